from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from museum.bench.results import Idle, Results
from museum.screen import Screen
from museum.site import Site
from museum.verbs.tour import KEYS, Tour, idle_figure

from tests.stage import ROOT
from tests.unit.conftest import SCRIPT, FakeExhibit, Run, museum_with_server, serve

Capture = pytest.CaptureFixture[str]


@pytest.fixture
def both_on_one_server(museum_root: Path, exhibit_server: int) -> Iterator[Path]:
    """The fake museum with both editions answering, each on a fake server of its own."""
    for now in serve(FakeExhibit):
        yield museum_with_server(museum_root, then=exhibit_server, now=now)


def test_script_mode_shows_every_part(both_on_one_server: Path, run_museum: Run,
                                      capsys: Capture) -> None:
    assert run_museum("tour", "--script", "--no-color") == 0
    out = capsys.readouterr().out
    assert "1991   cgi-1991   1/1" in out
    assert "CGI script Python 2.7 on Python 2.7.18" in out
    assert "the code: exhibits/cgi-1991/then/app/museum.py:3" in out
    assert '   3 def respond(body):' in out and '   4     print("Content-Type: text/plain")' in out
    assert "Hello, Zoë!" in out
    assert "what the app received (CGI/1.1): /inspect native" in out
    assert "SERVER_SOFTWARE: Apache/2.4" in out


def test_script_mode_walks_either_edition_or_both(both_on_one_server: Path, run_museum: Run,
                                                  capsys: Capture) -> None:
    assert run_museum("tour", "--script", "--no-color", "--editions", "now") == 0
    out = capsys.readouterr().out
    assert "cgi-1991-now   1/1" in out and "on Python 3.11" in out
    assert "exhibits/cgi-1991/now/app/museum.py" in out
    assert run_museum("tour", "--script", "--no-color", "--editions", "both") == 0
    out = capsys.readouterr().out
    assert "cgi-1991   1/2" in out and "cgi-1991-now   2/2" in out
    assert "side by side: cgi-1991 and cgi-1991-now" in out


def test_script_mode_says_how_to_start_a_missing_exhibit(run_museum: Run,
                                                         capsys: Capture) -> None:
    assert run_museum("tour", "--script", "--no-color") == 1
    assert "start it with: museum up cgi-1991" in capsys.readouterr().out


def test_unknown_start(run_museum: Run, capsys: Capture) -> None:
    assert run_museum("tour", "--script", "--from", "zope-1999") == 1
    assert "zope-1999 is not on this walk" in capsys.readouterr().err


class WideExhibit(FakeExhibit):
    native = {f"HTTP_X_{n:02d}": "v" for n in range(30)}


@pytest.fixture
def wide_server() -> Iterator[int]:
    yield from serve(WideExhibit)


@pytest.mark.parametrize("height", [24, 30])
def test_a_step_fits_the_height_it_is_given(museum_root: Path, wide_server: int,
                                            run_museum: Run, capsys: Capture,
                                            height: int) -> None:
    museum_with_server(museum_root, then=wide_server)
    timeline = museum_root / "timeline.yaml"
    timeline.write_text(timeline.read_text().replace("lines: 3", "lines: 20"))
    body = "".join(f"    print({n})\n" for n in range(30))
    (museum_root / "exhibits/cgi-1991/then/app/museum.py").write_text(SCRIPT + body)
    assert run_museum("tour", "--script", "--height", str(height), "--no-color") == 0
    step = capsys.readouterr().out.split("\n\n")[0].splitlines()
    assert len(step) + 3 <= height  # and the blank line and key legend below it
    assert "more lines" in "\n".join(step) and step[-1].startswith("… ")
    assert "HTTP_X_02: v" in "\n".join(step)

    assert run_museum("tour", "--script", "--no-color") == 0
    whole = capsys.readouterr().out.split("\n\n")[0].splitlines()
    assert len(whole) > 40 and "more lines" not in "\n".join(whole)


def test_keys_flip_between_then_and_now(fake_site: Site) -> None:
    tour = Tour(fake_site, list(fake_site.timeline.runnable))
    assert tour.edition.name == "then"
    KEYS["e"](tour)
    assert tour.edition.id == "cgi-1991-now"
    KEYS["e"](tour)
    assert tour.edition.name == "then"
    KEYS["e"](tour)
    KEYS["n"](tour)  # one exhibit only: stays, and shows its own edition again
    assert tour.index == 0 and tour.edition.name == "then"
    KEYS["x"](tour)
    assert tour.view == "step", "no pitfalls on this edition"
    KEYS["c"](tour)
    assert tour.view == "compare"


def test_the_legend_offers_the_flip_only_where_there_are_two(fake_site: Site) -> None:
    tour = Tour(fake_site, list(fake_site.timeline.runnable))
    screen = Screen(width=100, color=False)
    tour.draw(screen, 40)
    assert "[e] then / now" in screen.flush()
    assert tour.offers("e") and not tour.offers("x")
    assert json.dumps(sorted(KEYS)) == json.dumps(sorted("cejmnoprx"))


def test_the_concurrency_step_quotes_the_committed_idle_figure(fake_site: Site) -> None:
    edition = fake_site.timeline.editions[0]
    assert idle_figure(fake_site, edition) == (
        f"idle keep-alive connections: not measured yet (museum bench {edition.id})")
    committed = Results.load(ROOT / "docs/bench/results.json")
    entry = replace(committed.exhibits[0], target=replace(committed.exhibits[0].target,
                                                          id=edition.id),
                    idle=(Idle(10, 10, 10, 10, 0.01), Idle(100, 100, 100, 100, 0.02),
                          Idle(1000, 1000, 1000, 1000, None)))
    measured = replace(committed, measured="2026-11-30T02:00:00Z", entries=(entry,),
                       settings=replace(committed.settings, idle=(10, 100, 1000)))
    (fake_site.root / "docs/bench").mkdir(parents=True)
    (fake_site.root / "docs/bench/results.json").write_text(measured.to_json())
    assert idle_figure(fake_site, edition) == (
        "idle keep-alive connections held while GET /hello answered within "
        f"{measured.settings.idle_limit:g} s: 100 (museum bench, 2026-11-30)")
