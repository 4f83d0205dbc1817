from __future__ import annotations

import subprocess
import time

import httpx
from museum.docker import inspect
from support import sign, unique

from tests.stage import Live


def test_stops_on_sigterm_and_keeps_entries(live: Live, client: httpx.Client) -> None:
    """11.1 and 11.2 (4.7) docker stop ends it within 10 s; a restart keeps every entry."""
    entry = sign(client, "Persistent", unique("survives a restart"))
    container = live.container()
    start = time.monotonic()
    subprocess.run(["docker", "stop", "--time", "10", container], check=True,
                   capture_output=True)
    elapsed = time.monotonic() - start
    exit_code = int(inspect(container, "{{.State.ExitCode}}"))
    assert elapsed < 10, f"took {elapsed:.1f} s to stop"
    assert exit_code != 137, "the container had to be killed"
    live.docker.compose(["start", live.edition.id])
    live.wait_answering()
    with live.client() as fresh:
        assert fresh.get(f"/guestbook/{entry['id']}").json() == entry
