"""The scale knob that timeline.yaml records for an exhibit, and `museum bench --scale` turns,
really sets its server's count: a copy of the exhibit's image started with the knob at 1 and
at 2 is served by that many workers or threads."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

import pytest
from museum.burst import fire
from museum.compose import render, scaled_name
from museum.docker import Docker, inspect, top, wait_until_answering
from museum.timeline import Edition

from tests.stage import TIMELINE, Live

BURST = 5
MS = 300


@contextmanager
def copy(live: Live, n: int) -> Iterator[tuple[str, str]]:
    """The edition's image run with its knob at n: `museum bench --scale`'s own copy, with no
    published port, reached on its address in the Compose network."""
    edition = live.edition
    compose_file = live.site.compose_path.with_name(f"{live.site.project}-x{n}.compose.yaml")
    compose_file.write_text(render(TIMELINE, bind=live.site.host, scale=(edition, [n])))
    docker = Docker(replace(live.site, compose_file=compose_file), live.docker.command)
    name = scaled_name(edition, n)
    docker.compose(["up", "-d", "--no-build", name])
    try:
        container = docker.container(name)
        address = inspect(container, "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}")
        base = f"http://{address}:8000"
        wait_until_answering(base, 120, lambda: docker.why_gone(name))
        yield base, container
    finally:
        docker.remove([name], volumes=True)


def worker_processes(container: str) -> int:
    """Processes started by multiprocessing's spawn (uvicorn's workers when there are more
    than one), read from the container's process table."""
    return sum("spawn_main" in process["command"] for process in top(container))


@pytest.mark.scalable
@pytest.mark.parametrize("n", [1, 2])
def test_the_knob_sets_the_count(live: Live, edition: Edition, n: int) -> None:
    assert edition.scale is not None
    with copy(live, n) as (base, container):
        result = fire(edition.id, base, BURST, MS, timeout=60)
        if edition.concurrency == "event-loop":
            # One loop per worker holds every request at once, however many workers there are.
            assert result.wall < 2 * MS / 1000, result
            assert result.threads <= n
            assert worker_processes(container) == (n if n > 1 else 0)
        else:
            # Blocking workers or threads: each serves one at a time, so a burst bigger than
            # n is spread over exactly n of them, in ceil(BURST / n) turns.
            served = result.processes if edition.scale.unit == "workers" else result.threads
            assert served == n, result
            turns = -(-BURST // n)
            # never faster than its turns; a second more at most, for a busy machine
            assert turns * MS / 1000 * 0.9 <= result.wall < turns * MS / 1000 + 1.0, result


@pytest.mark.scalable
def test_the_recorded_default_is_what_the_exhibit_runs(live: Live, edition: Edition) -> None:
    """timeline.yaml's `scale.default` is the count the exhibit's own configuration sets
    (gunicorn.conf.py, the CherryPy config, uvicorn's command line), so the two cannot drift."""
    assert edition.scale is not None
    default = edition.scale.default
    if edition.concurrency == "event-loop":
        assert worker_processes(live.container()) == (default if default > 1 else 0)
        return
    result = fire(edition.id, live.base_url, 2 * default, MS, timeout=60)
    served = result.processes if edition.scale.unit == "workers" else result.threads
    assert served == default, result
