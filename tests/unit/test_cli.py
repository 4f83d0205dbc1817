from __future__ import annotations

import json
from pathlib import Path

import pytest
from museum.cli import main

TIMELINE = """\
lobby: {port: 8100}
eras:
  - {id: cgi, title: CGI, years: "1993-2004", story: A program per request.}
exhibits:
  - id: cgi-1991
    era: cgi
    year: 1991
    title: A CGI script
    framework: {name: none, version: "1"}
    server: {name: Apache, version: "2.4"}
    interface: "CGI/1.1"
    concurrency: process-per-request
    port: 8101
    capabilities: [streaming]
    storage: SQLite
    sources: [{title: RFC 3875, url: "https://www.rfc-editor.org/rfc/rfc3875"}]
    notes: A note.
    heart: {file: museum.py, start: "print(", lines: 1}
"""


@pytest.fixture
def museum_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "timeline.yaml").write_text(TIMELINE)
    folder = tmp_path / "exhibits" / "cgi-1991"
    folder.mkdir(parents=True)
    (folder / "Dockerfile").write_text("FROM scratch\n")
    (folder / "PLACARD.md").write_text("# CGI\n")
    (folder / "museum.py").write_text('print("Content-Type: text/plain")\n')
    monkeypatch.setenv("MUSEUM_ROOT", str(tmp_path))
    return tmp_path


def test_compose_then_check(museum_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check"]) == 1
    assert "compose.yaml is out of date" in capsys.readouterr().err
    assert main(["compose"]) == 0
    assert "cgi-1991:" in (museum_root / "compose.yaml").read_text()
    assert main(["check"]) == 1
    assert "docs/timeline.svg is out of date" in capsys.readouterr().err
    assert main(["picture"]) == 0
    assert main(["check"]) == 0
    assert main(["compose", "--check"]) == 0


def test_check_finds_drift_and_strays(museum_root: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    main(["compose"])
    main(["picture"])
    timeline = museum_root / "timeline.yaml"
    timeline.write_text(timeline.read_text().replace("port: 8101", "port: 8111"))
    assert main(["check"]) == 1
    assert "out of date" in capsys.readouterr().err
    main(["compose"])
    main(["picture"])
    (museum_root / "exhibits" / "stray-2001").mkdir()
    assert main(["check"]) == 1
    assert "exhibits/stray-2001 is not in timeline.yaml" in capsys.readouterr().err
    (museum_root / "exhibits" / "stray-2001").rmdir()
    (museum_root / "exhibits" / "cgi-1991" / "museum.py").write_text("# moved\n")
    assert main(["check"]) == 1
    assert "'print(' is not in exhibits/cgi-1991/museum.py" in capsys.readouterr().err


def test_bad_manifest_is_one_line(museum_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (museum_root / "timeline.yaml").write_text(TIMELINE.replace("[streaming]", "[smell]"))
    assert main(["list"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0
    assert err.startswith("museum list: timeline.yaml:14: ")


def test_list(museum_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split()[:2] == ["YEAR", "ID"]
    assert out[1].split()[:2] == ["1991", "cgi-1991"]
    assert main(["list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed["exhibits"][0]["capabilities"] == ["streaming"]


def test_unknown_exhibit(museum_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["slow", "nope-2000"]) == 1
    assert "no exhibit 'nope-2000'" in capsys.readouterr().err
