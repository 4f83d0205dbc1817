from __future__ import annotations

import json
from pathlib import Path

import pytest
from museum.cli import VERBS, parser

from tests.unit.conftest import Run

Capture = pytest.CaptureFixture[str]


def test_every_verb_is_a_module_named_after_it() -> None:
    for verb in VERBS:
        module = verb.load()
        assert verb.module == verb.name.replace("-", "_")
        assert callable(module.run) and callable(module.add_arguments)
    assert {v.name for v in VERBS} <= set(parser()._subparsers._group_actions[0].choices)


def test_generate_then_check(museum_root: Path, run_museum: Run, capsys: Capture) -> None:
    assert run_museum("check") == 1
    assert "compose.yaml (run `museum compose`)" in capsys.readouterr().err
    assert run_museum("compose") == 0
    assert "cgi-1991-now:" in (museum_root / "compose.yaml").read_text()
    assert run_museum("picture") == 0
    assert run_museum("workflow") == 0
    assert run_museum("check") == 1
    assert "PLACARD.md (run `museum placards`)" in capsys.readouterr().err
    assert run_museum("placards") == 0
    assert run_museum("check") == 0, capsys.readouterr().err
    assert run_museum("compose", "--check") == 0
    placard = (museum_root / "exhibits/cgi-1991/PLACARD.md").read_text()
    assert "- RFC 3875: <https://www.rfc-editor.org/rfc/rfc3875>" in placard
    assert "### Then: CGI script Python 2.7, released 2010, on Python 2.7.18" in placard


def test_check_finds_drift_and_strays(museum_root: Path, run_museum: Run,
                                      capsys: Capture) -> None:
    for verb in ("compose", "picture", "placards", "workflow"):
        run_museum(verb)
    timeline = museum_root / "timeline.yaml"
    timeline.write_text(timeline.read_text().replace("RFC 3875", "RFC 3875 (2004)"))
    assert run_museum("check") == 1
    assert "PLACARD.md (run `museum placards`)" in capsys.readouterr().err
    run_museum("placards")
    (museum_root / "exhibits" / "stray-2001").mkdir()
    assert run_museum("check") == 1
    assert "exhibits/stray-2001 is not in timeline.yaml" in capsys.readouterr().err
    (museum_root / "exhibits" / "stray-2001").rmdir()
    (museum_root / "exhibits/cgi-1991/now/app/museum.py").write_text("# moved\n")
    assert run_museum("check") == 1
    assert "'def respond(' is not in exhibits/cgi-1991/now/app/museum.py" in \
        capsys.readouterr().err


def test_check_holds_the_layout(museum_root: Path, run_museum: Run, capsys: Capture) -> None:
    for verb in ("compose", "picture", "placards", "workflow"):
        run_museum(verb)
    now = museum_root / "exhibits/cgi-1991/now"
    dockerfile = now / "Dockerfile"
    good = dockerfile.read_text()
    dockerfile.write_text(good.replace("USER museum\n", ""))
    assert run_museum("check") == 1
    assert "must run as a user that is not root" in capsys.readouterr().err
    dockerfile.write_text(good.replace('CMD ["python3", "museum.py"]', "CMD python3 museum.py"))
    assert run_museum("check") == 1
    assert "CMD in exec form" in capsys.readouterr().err
    dockerfile.write_text(good + "RUN pip install flask\n")
    assert run_museum("check") == 1
    assert "installs or copies after the app" in capsys.readouterr().err
    dockerfile.write_text(good)
    (now / "requirements.txt").write_text("flask>=3\n")
    assert run_museum("check") == 1
    assert "not an exact pin: 'flask>=3'" in capsys.readouterr().err
    (now / "requirements.txt").write_text("")
    then = museum_root / "exhibits/cgi-1991/then/Dockerfile"
    then.write_text(then.read_text().replace("python2.7-dev", "python-dev"))
    assert run_museum("check") == 1
    assert "starts with the period opening" in capsys.readouterr().err


def test_bad_manifest_is_one_line(museum_root: Path, run_museum: Run, capsys: Capture) -> None:
    timeline = museum_root / "timeline.yaml"
    timeline.write_text(timeline.read_text().replace("[streaming]", "[smell]", 1))
    assert run_museum("list") == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0
    assert err.startswith("museum list: timeline.yaml:21: ")


def test_list_shows_each_edition_with_its_python(run_museum: Run, capsys: Capture) -> None:
    assert run_museum("list") == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split()[:4] == ["YEAR", "ID", "EDITION", "PYTHON"]
    assert out[1].split()[:4] == ["1991", "cgi-1991", "then", "2.7.18"]
    assert out[2].split()[:4] == ["1991", "cgi-1991-now", "now", "3.11"]
    assert run_museum("list", "--json") == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed["exhibits"][0]["editions"][0]["capabilities"] == ["streaming"]


def test_unknown_exhibit(run_museum: Run, capsys: Capture) -> None:
    assert run_museum("slow", "nope-2000") == 1
    assert "no exhibit or edition 'nope-2000'" in capsys.readouterr().err


def test_a_stopped_exhibit_says_how_to_start_it(run_museum: Run, capsys: Capture) -> None:
    assert run_museum("slow", "cgi-1991-now") == 1
    assert "run `museum up cgi-1991-now` first" in capsys.readouterr().err
