"""The scale knob that timeline.yaml records for an exhibit, and `museum bench --scale` turns,
really sets its server's count: a copy of the exhibit's image started with the knob at 1 and
at 2 is served by that many workers or threads."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest
from conftest import HOST, PROJECT, Live
from museum import slow
from museum.timeline import Exhibit

BURST = 5
MS = 300


@contextmanager
def copy(exhibit: Exhibit, n: int) -> Iterator[tuple[str, str]]:
    """The exhibit's image run with its knob at n, published on the run's loopback address."""
    assert exhibit.scale is not None
    env = {"MUSEUM_EXHIBIT_ID": exhibit.id, **exhibit.scale.environment(n)}
    container = subprocess.run(
        ["docker", "run", "-d", "--rm", "--init", "--label", f"museum.test={PROJECT}",
         "-v", "/data", "-p", f"{HOST}::8000",
         *(arg for name, value in env.items() for arg in ("-e", f"{name}={value}")),
         f"museum/{exhibit.id}:latest"],
        capture_output=True, text=True, check=True).stdout.strip()
    try:
        port = subprocess.run(["docker", "port", container, "8000/tcp"], capture_output=True,
                              text=True, check=True).stdout.split()[0].rsplit(":", 1)[1]
        base = f"http://{HOST}:{port}"
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{base}/hello", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, f"{exhibit.id} x{n} did not answer in 120 s"
            time.sleep(0.5)
        yield base, container
    finally:
        subprocess.run(["docker", "rm", "-f", container], capture_output=True)


def worker_processes(container: str) -> int:
    """Processes started by multiprocessing's spawn (uvicorn's workers when there are more
    than one), read from the container's process table."""
    table = subprocess.run(["docker", "top", container, "-eo", "pid,args"],
                           capture_output=True, text=True, check=True).stdout
    return sum("spawn_main" in line for line in table.splitlines()[1:])


@pytest.mark.scalable
@pytest.mark.parametrize("n", [1, 2])
def test_the_knob_sets_the_count(live: Live, exhibit: Exhibit, n: int) -> None:
    assert exhibit.scale is not None
    with copy(exhibit, n) as (base, container):
        result = slow.fire(exhibit, BURST, MS, timeout=60, base=base)
        if exhibit.concurrency == "event-loop":
            # One loop per worker holds every request at once, however many workers there are.
            assert result.wall < 2 * MS / 1000, result
            assert result.threads <= n
            assert worker_processes(container) == (n if n > 1 else 0)
        else:
            # Blocking workers or threads: each serves one at a time, so a burst bigger than
            # n is spread over exactly n of them, in ceil(BURST / n) turns.
            served = result.processes if exhibit.scale.unit == "workers" else result.threads
            assert served == n, result
            turns = -(-BURST // n)
            assert turns * MS / 1000 * 0.9 <= result.wall < (turns + 1) * MS / 1000, result


@pytest.mark.scalable
def test_the_recorded_default_is_what_the_exhibit_runs(live: Live, exhibit: Exhibit) -> None:
    """timeline.yaml's `scale.default` is the count the exhibit's own configuration sets
    (gunicorn.conf.py, the CherryPy config, uvicorn's command line), so the two cannot drift."""
    assert exhibit.scale is not None
    default = exhibit.scale.default
    if exhibit.concurrency == "event-loop":
        assert worker_processes(live.container()) == (default if default > 1 else 0)
        return
    result = slow.fire(exhibit, 2 * default, MS, timeout=60, base=live.base_url)
    served = result.processes if exhibit.scale.unit == "workers" else result.threads
    assert served == default, result
