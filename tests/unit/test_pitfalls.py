from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from museum import pitfalls

from tests.unit.conftest import Run, museum_with_server, unused_port

# A fake exhibit: blocking-async holds a lock that every request needs, as a blocked event
# loop holds up every request; the other routes sleep on their own.
LOOP = threading.Lock()

class FakeFastAPI(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        path, _, query = self.path.partition("?")
        ms = int(query.partition("=")[2] or 0)
        if path == "/pitfalls/blocking-async":
            with LOOP:
                time.sleep(ms / 1000)
        elif path.startswith("/pitfalls/"):
            time.sleep(ms / 1000)
        with LOOP:
            body = b"Hello, World!" if path == "/hello" else b'{"ms": 1}'
        self.send_response(200 if path == "/hello" or path[10:] in pitfalls.ROUTES else 404)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    running = ThreadingHTTPServer(("127.0.0.1", 0), FakeFastAPI)
    threading.Thread(target=running.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{running.server_address[1]}"
    running.shutdown()
    running.server_close()


def test_measure_sees_the_stall(server: str) -> None:
    # A second's sleep: a stall is over half of it, wide of what a busy CI machine adds.
    found = {m.route: m for m in pitfalls.measure_all(server, ms=1000, quick=3)}
    assert found["blocking-async"].stalled and found["blocking-async"].stall > 0.5
    assert not found["blocking-def"].stalled and found["blocking-def"].stall < 0.5
    assert not found["awaiting"].stalled
    assert all(m.slow >= 1.0 and len(m.quick) == 3 for m in found.values())


def test_report() -> None:
    measures = [pitfalls.Measure("blocking-async", 800, 0.803, [0.64, 0.48, 0.32, 0.16]),
                pitfalls.Measure("blocking-def", 800, 0.804, [0.003, 0.004, 0.002, 0.003])]
    lines = pitfalls.report("fastapi-2018", measures).splitlines()
    assert lines[0] == ("fastapi-2018: one slow request (ms=800) and 4 quick GET /hello "
                        "while it runs")
    assert lines[2].split() == ["/pitfalls/blocking-async", "803", "ms", "640", "ms", "STALL:",
                                "every", "request", "waited"]
    assert lines[3].split()[:5] == ["/pitfalls/blocking-def", "804", "ms", "4", "ms"]
    assert lines[3].endswith("no stall")
    assert lines[1].index("slow") + 4 == lines[2].index(" ms") + 3  # the column lines up
    assert all(len(line) <= 80 for line in lines)


def with_pitfalls(root: Path, port: int) -> None:
    museum_with_server(root, then=port)
    timeline = root / "timeline.yaml"
    timeline.write_text(timeline.read_text().replace(
        "        differs: Apache 2.4, not NCSA httpd.\n",
        "        differs: Apache 2.4, not NCSA httpd.\n        additions: [pitfalls]\n"))


def test_the_command(server: str, museum_root: Path, run_museum: Run,
                     capsys: pytest.CaptureFixture[str]) -> None:
    with_pitfalls(museum_root, int(server.rsplit(":", 1)[1]))
    assert run_museum("pitfalls", "--ms", "1000", "--quick", "2") == 0
    out = capsys.readouterr().out
    assert "/pitfalls/blocking-async" in out and "STALL" in out
    assert out.count("no stall") == 2


def test_the_command_when_not_running(museum_root: Path, run_museum: Run,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    with_pitfalls(museum_root, unused_port())
    assert run_museum("pitfalls") == 1
    assert "run `museum up cgi-1991` first" in capsys.readouterr().err


def test_only_an_edition_with_the_routes(run_museum: Run,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert run_museum("pitfalls") == 1
    assert "no edition in timeline.yaml has the pitfalls addition" in capsys.readouterr().err
