"""The lobby's Benchmarks page: the committed charts, then and now, the idle connections and
the two rankings beside TechEmpower's, all read from docs/bench through the results' types."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

from museum.bench.results import Idle, Results
from museum.lobby import Lobby
from museum.site import Site

ROOT = Path(__file__).resolve().parents[2]
SVG = '<svg xmlns="http://www.w3.org/2000/svg"><title>chart</title></svg>'
# today's releases, converted from the first format: the rankings the bench README quotes
COMMITTED = Results.load(ROOT / "docs/bench/results-2026-11-25.json")


def lobby_in(tmp_path: Path, files: dict[str, str]) -> Lobby:
    shutil.copy(ROOT / "timeline.yaml", tmp_path / "timeline.yaml")
    (tmp_path / "tools/bench").mkdir(parents=True)
    shutil.copy(ROOT / "tools/bench/techempower.yaml", tmp_path / "tools/bench")
    folder = tmp_path / "docs" / "bench"
    folder.mkdir(parents=True)
    for name, text in files.items():
        (folder / name).write_text(text)
    return Lobby(Site(root=tmp_path, environ={}), "host", "127.0.0.1")


def get(app: Lobby, path: str) -> tuple[str, dict[str, str], str]:
    seen: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        seen["status"], seen["headers"] = status, dict(headers)

    body = b"".join(app({"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": ""},
                        start_response))
    return seen["status"], seen["headers"], body.decode()


def test_the_bench_page_shows_the_committed_charts(tmp_path: Path) -> None:
    results = replace(COMMITTED, measured="2026-11-25T10:00:00Z", note=None)
    app = lobby_in(tmp_path, {"throughput.svg": SVG, "slow.svg": SVG,
                              "scale-flask-2010.svg": SVG, "then-and-now-flask-2010.svg": SVG,
                              "results.json": results.to_json(),
                              "scale-flask-2010.json": results.to_json()})
    status, headers, page = get(app, "/bench")
    assert status == "200 OK" and headers["Content-Type"].startswith("text/html")
    assert page.index('src="/bench/throughput.svg"') < page.index('src="/bench/slow.svg"')
    assert 'src="/bench/scale-flask-2010.svg"' in page
    assert "Workers or threads: flask-2010" in page and "Then and now: flask-2010" in page
    assert page.index("Then and now") < page.index("Workers or threads")
    # every chart says when and on what; the then-and-now chart the full run's, having none
    assert page.count("Measured 2026-11-25T10:00:00Z on 2 cores (AMD EPYC)") == 4
    assert 'src="/bench/memory.svg"' not in page

    status, headers, body = get(app, "/bench/scale-flask-2010.svg")
    assert status == "200 OK" and headers["Content-Type"].startswith("image/svg+xml")
    assert body == SVG


def test_the_two_rankings_stand_side_by_side(tmp_path: Path) -> None:
    page = get(lobby_in(tmp_path, {"throughput.svg": SVG,
                                   "results.json": COMMITTED.to_json()}), "/bench")[2]
    section = page[page.index('id="techempower"'):]
    assert 'data-rho="0.71"' in section and "1.00 over the 6 that run the same server" in section
    first = section[section.index('data-rank="1"'):section.index('data-rank="2"')]
    assert "asgi-2016 =" in first and "wsgi (wsgi-2003)" in first and "1,559,748" in first
    assert section.count("<tr data-rank=") == 11
    assert "<strong>wsgi-2003</strong>: 7 here, 1 there" in section
    assert "meinheld workers" in section


def test_the_idle_connections_are_shown_when_measured(tmp_path: Path) -> None:
    asgi, flask = COMMITTED.entry("asgi-2016"), COMMITTED.entry("flask-2010")
    measured = replace(
        COMMITTED, settings=replace(COMMITTED.settings, idle=(10, 100, 1000)),
        entries=(replace(asgi, idle=tuple(Idle(c, c, c, c, 0.003) for c in (10, 100, 1000))),
                 replace(flask, idle=(Idle(10, 10, 10, 10, 0.002),
                                      Idle(100, 100, 4, 100, None)))))
    page = get(lobby_in(tmp_path, {"throughput.svg": SVG,
                                   "results.json": measured.to_json()}), "/bench")[2]
    section = page[page.index('id="idle"'):page.index("</section>", page.index('id="idle"'))]
    assert 'data-target="asgi-2016"' in section and 'data-holds="1000"' in section
    flask_row = section[section.index('data-target="flask-2010"'):]
    assert "no answer within 1 s" in flask_row and "not tried" in flask_row
    assert "2 ms, 10 of 10 kept open" in flask_row
    assert 'data-holds="10"' in flask_row


def test_the_committed_run_shows_its_idle_connections_and_then_and_now() -> None:
    page = get(Lobby(Site(root=ROOT, environ={}), "host", "127.0.0.1"), "/bench")[2]
    for name in ("throughput", "slow", "latency", "memory", "then-and-now-flask-2010"):
        assert f'src="/bench/{name}.svg"' in page
    section = page[page.index('id="idle"'):page.index("</section>", page.index('id="idle"'))]
    assert "Not measured" not in section
    chart = page[page.index('data-chart="throughput.svg"'):]
    chart = chart[:chart.index("</section>")]
    assert "Measured 2026-11-30T01:49:54Z" in chart and "before exhibits had editions" not in chart
    tornado = section[section.index('data-target="tornado-2009"'):]
    assert tornado.index('data-holds="1000"') < tornado.index("</tr>")
    bottle = section[section.index('data-target="bottle-2009"'):]
    assert bottle.index("fewer than 10") < bottle.index("</tr>")


def test_only_the_charts_are_served(tmp_path: Path) -> None:
    app = lobby_in(tmp_path, {"throughput.svg": SVG, "results.json": "{}"})
    for path in ("/bench/results.json", "/bench/../../timeline.yaml", "/bench/nothing.svg"):
        assert get(app, path)[0] == "404 Not Found"


def test_unreadable_results_leave_the_charts(tmp_path: Path) -> None:
    app = lobby_in(tmp_path, {"throughput.svg": SVG, "results.json": json.dumps({"x": 1})})
    status, _, page = get(app, "/bench")
    assert status == "200 OK" and 'src="/bench/throughput.svg"' in page
    assert "Measured" not in page and 'id="techempower"' not in page


def test_without_charts_the_page_says_how_to_make_them(tmp_path: Path) -> None:
    status, _, page = get(lobby_in(tmp_path, {}), "/bench")
    assert status == "200 OK" and "museum bench --out docs/bench" in page
