from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from museum.cli import main

TIMELINE = """\
lobby: {{port: 8100}}
eras:
  - {{id: cgi, title: "CGI: a program per request", years: "1993-2004", story: A story.}}
exhibits:
  - id: cgi-1991
    era: cgi
    year: 1991
    title: A CGI script
    framework: {{name: none, version: "1"}}
    server: {{name: Apache, version: "2.4"}}
    interface: "CGI/1.1"
    concurrency: process-per-request
    port: {port}
    capabilities: []
    storage: SQLite
    sources: [{{title: RFC 3875, url: "https://www.rfc-editor.org/rfc/rfc3875"}}]
    notes: Every request forks a new Python.
    heart: {{file: museum.py, start: "def respond(", lines: 3}}
"""
SCRIPT = 'import os\n\ndef respond(body):\n    print("Content-Type: text/plain")\n    print()\n'


class FakeExhibit(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path.startswith("/hello/"):
            body, kind = "Hello, Zoë!".encode(), "text/plain; charset=utf-8"
        else:
            native = {"SERVER_SOFTWARE": "Apache/2.4.62", "GATEWAY_INTERFACE": "CGI/1.1",
                      "REQUEST_METHOD": "GET", "HTTP_X_MULTI": "a\nb"}
            body = json.dumps({"interface": "CGI/1.1", "native": native}).encode()
            kind = "application/json"
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def exhibit_server() -> Iterator[int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeExhibit)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def museum_root(tmp_path: Path, port: int) -> Path:
    (tmp_path / "timeline.yaml").write_text(TIMELINE.format(port=port))
    folder = tmp_path / "exhibits" / "cgi-1991"
    folder.mkdir(parents=True)
    (folder / "museum.py").write_text(SCRIPT)
    (folder / "PLACARD.md").write_text("# cgi-1991: a CGI script under Apache\n\nText.\n")
    return tmp_path


def test_script_mode_shows_every_part(tmp_path: Path, exhibit_server: int,
                                      monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("MUSEUM_ROOT", str(museum_root(tmp_path, exhibit_server)))
    monkeypatch.setenv("MUSEUM_HOST", "127.0.0.1")  # the contract suite may have set its own
    assert main(["tour", "--script", "--width", "80", "--no-color"]) == 0
    out = capsys.readouterr().out
    assert "1991   cgi-1991   1/1" in out
    assert "cgi-1991: a CGI script under Apache" in out
    assert '   3 def respond(body):' in out and '   4     print("Content-Type: text/plain")' in out
    assert "Hello, Zoë!" in out
    assert "GATEWAY_INTERFACE: CGI/1.1" in out
    assert "HTTP_X_MULTI: a\\nb" in out
    assert all(len(line) <= 80 for line in out.splitlines())


def test_script_mode_says_how_to_start_a_missing_exhibit(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("MUSEUM_ROOT", str(museum_root(tmp_path, unused_port())))
    assert main(["tour", "--script", "--no-color"]) == 1
    assert "start it with: museum up cgi-1991" in capsys.readouterr().out


def test_unknown_start(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                       capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("MUSEUM_ROOT", str(museum_root(tmp_path, unused_port())))
    assert main(["tour", "--script", "--from", "zope-1999"]) == 1
    assert "zope-1999 is not on this walk" in capsys.readouterr().err


class WideExhibit(FakeExhibit):
    def do_GET(self) -> None:
        if self.path.startswith("/hello/"):
            return super().do_GET()
        native = {f"HTTP_X_{n:02d}": "v" for n in range(30)}
        body = json.dumps({"interface": "CGI/1.1", "native": native}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.mark.parametrize("height", [24, 30])
def test_a_step_fits_the_height_it_is_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str],
                                            height: int) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), WideExhibit)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        root = museum_root(tmp_path, server.server_address[1])
        (root / "timeline.yaml").write_text((root / "timeline.yaml").read_text().replace(
            "lines: 3", "lines: 20"))
        body = "".join(f"    print({n})\n" for n in range(30))
        (root / "exhibits/cgi-1991/museum.py").write_text(SCRIPT + body)
        monkeypatch.setenv("MUSEUM_ROOT", str(root))
        monkeypatch.setenv("MUSEUM_HOST", "127.0.0.1")
        assert main(["tour", "--script", "--height", str(height), "--no-color"]) == 0
        step = capsys.readouterr().out.split("\n\n")[0].splitlines()
        assert len(step) + 3 <= height  # and the blank line and key legend below it
        assert "more lines" in "\n".join(step) and step[-1].startswith("… ")
        assert "HTTP_X_02: v" in "\n".join(step)

        assert main(["tour", "--script", "--no-color"]) == 0
        whole = capsys.readouterr().out.split("\n\n")[0].splitlines()
        assert len(whole) > 40 and "more lines" not in "\n".join(whole)
    finally:
        server.shutdown()
        server.server_close()
