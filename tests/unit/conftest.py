"""What the unit tests share: a small museum in a temporary folder (a timeline with one
exhibit in two editions, laid out as `museum check` wants), a Site for it, the command line
run in-process against it, and a fake exhibit server that answers like a real one."""

from __future__ import annotations

import json
import os
import shutil
import socket
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from museum.cli import main
from museum.site import Site

REPO = Path(__file__).resolve().parents[2]

TIMELINE = """\
lobby: {{port: 8100}}
eras:
  - {{id: cgi, title: CGI, years: "1993-2004", story: A program per request.}}
exhibits:
  - id: cgi-1991
    era: cgi
    year: 1991
    title: A CGI script
    bench_quick: true
    sources: [{{title: RFC 3875, url: "https://www.rfc-editor.org/rfc/rfc3875"}}]
    notes: A note.
    editions:
      then:
        framework: {{name: "CGI script", version: "Python 2.7"}}
        server: {{name: Apache, version: "2.4"}}
        python: "2.7.18"
        released: 2010
        interface: "CGI/1.1"
        concurrency: process-per-request
        port: {then_port}
        capabilities: [streaming]
        storage: SQLite
        heart: {{file: app/museum.py, start: "def respond(", lines: 3}}
        differs: Apache 2.4, not NCSA httpd.
      now:
        framework: {{name: "CGI script", version: "Python 3.11"}}
        server: {{name: Apache, version: "2.4"}}
        python: "3.11"
        interface: "CGI/1.1"
        concurrency: process-per-request
        port: {now_port}
        capabilities: [streaming]
        storage: SQLite
        heart: {{file: app/museum.py, start: "def respond(", lines: 3}}
        differs: Python 3.11.
"""

SCRIPT = 'import os\n\ndef respond(body):\n    print("Content-Type: text/plain")\n    print()\n'
DOCKERFILE = """\
ARG BASE_IMAGE={base}
FROM ${{BASE_IMAGE}}
COPY exhibits/cgi-1991/{edition}/requirements.txt /requirements.txt
COPY exhibits/cgi-1991/{edition}/app /app
WORKDIR /app
USER museum
EXPOSE 8000
CMD ["python3", "museum.py"]
"""


def unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def write_museum(root: Path, then_port: int, now_port: int) -> Path:
    """A museum with one exhibit in two editions, every file where the layout wants it."""
    (root / "timeline.yaml").write_text(TIMELINE.format(then_port=then_port,
                                                        now_port=now_port))
    (root / "period").mkdir(exist_ok=True)
    shutil.copyfile(REPO / "period" / "Dockerfile", root / "period" / "Dockerfile")
    opening = (REPO / "period" / "Dockerfile").read_text().split("\nCOPY ", 1)[0]
    for edition, base in (("then", "debian:bullseye-slim"), ("now", "python:3.11-slim-bookworm")):
        folder = root / "exhibits" / "cgi-1991" / edition
        (folder / "app").mkdir(parents=True, exist_ok=True)
        (folder / "app" / "museum.py").write_text(SCRIPT)
        (folder / "requirements.txt").write_text("# the standard library only\n")
        text = DOCKERFILE.format(base=base, edition=edition)
        if edition == "then":
            text = opening + "\n" + text.split("\n", 2)[2]
        (folder / "Dockerfile").write_text(text)
    (root / "exhibits" / "cgi-1991" / "PLACARD.md").write_text("# cgi-1991: CGI\n")
    return root


@pytest.fixture
def museum_root(tmp_path: Path) -> Path:
    return write_museum(tmp_path, unused_port(), unused_port())


@pytest.fixture
def fake_site(museum_root: Path) -> Site:
    return Site(root=museum_root, environ=dict(os.environ))


Run = Callable[..., int]


@pytest.fixture
def run_museum(museum_root: Path) -> Run:
    """`museum ...` in-process, in the fake museum, whatever the environment says."""
    def run(*argv: str, **environ: str) -> int:
        inherited = {k: v for k, v in os.environ.items() if not k.startswith("MUSEUM_")}
        settings = {**inherited, "MUSEUM_ROOT": str(museum_root), "MUSEUM_HOST": "127.0.0.1",
                    **environ}
        return main(list(argv), environ=settings, cwd=museum_root)
    return run


class FakeExhibit(BaseHTTPRequestHandler):
    """Answers /hello, /inspect and /slow like a running edition, from one thread per
    request; subclasses change what /inspect's native structure holds or who answers."""

    native: ClassVar[dict[str, object]] = {"REQUEST_METHOD": "GET", "PATH_INFO": "/inspect",
                                           "SERVER_SOFTWARE": "Apache/2.4"}
    interface: ClassVar[str] = "CGI/1.1"

    def answer(self, status: int, kind: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        if path.startswith("/hello"):
            name = path[len("/hello/"):] if path.startswith("/hello/") else "World"
            text = "Hello, Zoë!" if name == "Zo%C3%AB" else f"Hello, {name}!"
            self.answer(200, "text/plain; charset=utf-8", text.encode())
        elif path == "/inspect":
            document = {"interface": self.interface, "native": self.native,
                        "process": {"pid": os.getpid(),
                                    "thread": threading.current_thread().name}}
            self.answer(200, "application/json", json.dumps(document).encode())
        elif path == "/slow":
            body = {"ms": 0, "pid": os.getpid(), "thread": threading.current_thread().name}
            self.answer(200, "application/json", json.dumps(body).encode())
        else:
            self.answer(404, "application/json", b'{"error": "nothing here"}')

    def log_message(self, *args: object) -> None:
        pass


def serve(handler: type[BaseHTTPRequestHandler]) -> Iterator[int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield int(server.server_address[1])
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def exhibit_server() -> Iterator[int]:
    """A FakeExhibit listening on a free port of 127.0.0.1; the fixture gives the port."""
    yield from serve(FakeExhibit)


def museum_with_server(root: Path, then: int | None = None, now: int | None = None) -> Path:
    """The fake museum with the editions given a port published there (a fake server's)."""
    return write_museum(root, then or unused_port(), now or unused_port())
