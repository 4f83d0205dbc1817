from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from museum.burst import Answer, Result
from museum.swimlane import clip_middle, lanes, render_svg, render_text, track

from tests.unit.conftest import Run, museum_with_server, serve


def result(answers: list[Answer], ms: int = 100) -> Result:
    wall = max(a.finished for a in answers) - min(a.started for a in answers)
    return Result("x-2000", len(answers), ms, wall, answers)


# Two processes taking turns: all sent at once, each process serves two in a row.
PREFORK = result([Answer(0.0, 0.1, 11, "MainThread"), Answer(0.0, 0.1, 10, "MainThread"),
                  Answer(0.0, 0.2, 10, "MainThread"), Answer(0.0, 0.2, 11, "MainThread")])
# One thread holding them all.
LOOP = result([Answer(0.0, 0.1, 7, "MainThread"), Answer(0.001, 0.101, 7, "MainThread"),
               Answer(0.002, 0.102, 7, "MainThread")])


def test_a_lane_per_process_and_thread_in_order_of_first_answer() -> None:
    found = lanes(PREFORK)
    assert [(lane.pid, lane.thread) for lane in found] == [(10, "MainThread"),
                                                            (11, "MainThread")]
    assert found[0].spans == [(0.0, 0.1), (0.1, 0.2)]  # served after queueing, not overlapping
    assert [lane.peak for lane in found] == [1, 1]


def test_the_event_loop_holds_them_all_at_once() -> None:
    [lane] = lanes(LOOP)
    assert lane.peak == 3 and len(lane.spans) == 3
    assert "3" in track(lane, 0.102, 20)


def test_turns_alternate_shades() -> None:
    first = lanes(PREFORK)[0]
    assert track(first, 0.2, 10) == "█████▓▓▓▓▓"


def test_text_fits_the_width_and_names_every_lane() -> None:
    threads = result([Answer(0.0, 0.1, 5, f"Thread-{n} (process_request_thread)")
                      for n in range(1, 7)])
    for width in (40, 80, 132):
        text = render_text(threads, width)
        assert all(len(line) <= width for line in text), width
        lanes_drawn = [line for line in text if line.startswith("pid 5")]
        assert len(lanes_drawn) == 6
        assert len({len(line) for line in lanes_drawn}) == 1  # one column for every track
    text = render_text(threads, 80)
    assert text[0] == "x-2000: 6 concurrent /slow?ms=100, 1 process(es), 6 thread(s)"
    assert text[1].rstrip().endswith("0.10 s  reqs")
    assert text[2].endswith("    1")


def test_svg_has_a_group_per_lane_and_a_rect_per_request() -> None:
    svg = render_svg(PREFORK)
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert svg.count('class="lane"') == 2 and svg.count('class="request"') == 4
    assert 'data-pid="10" data-thread="MainThread"' in svg


def test_thread_names_are_escaped_in_svg() -> None:
    svg = render_svg(result([Answer(0.0, 0.1, 1, "<dummy>")]))
    assert "<dummy>" not in svg and "&lt;dummy&gt;" in svg


class FakeThreads(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        time.sleep(0.05)
        body = json.dumps({"ms": 50, "pid": 42, "thread": threading.current_thread().name})
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def threads_server() -> Iterator[int]:
    yield from serve(FakeThreads)


def test_the_command_draws_a_live_burst(museum_root: Path, threads_server: int,
                                        run_museum: Run,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    museum_with_server(museum_root, then=threads_server)
    assert run_museum("map", "cgi-1991", "-n", "3", "--ms", "50", "--width", "60") == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("cgi-1991: 3 concurrent /slow?ms=50, 1 process(es), 3")
    assert out[1] == "thread(s)"  # the title wraps at 60 columns
    assert len([line for line in out if line.startswith("pid 42 Thread-")]) == 3
    assert all(len(line) <= 60 for line in out)


def test_python_thread_names_lose_their_target() -> None:
    [lane] = lanes(result([Answer(0.0, 0.1, 3, "Thread-12 (process_request_thread)")]))
    assert lane.label == "pid 3 Thread-12"


def test_long_thread_names_keep_their_ends() -> None:
    assert clip_middle("pid 7 CP Server Thread-10", 20) == "pid 7 CP … Thread-10"
    assert clip_middle("pid 7 MainThread", 20) == "pid 7 MainThread"
    assert len(clip_middle("x" * 50, 24)) == 24
