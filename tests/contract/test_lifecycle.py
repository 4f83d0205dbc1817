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
    try:
        subprocess.run(["docker", "stop", "--time", "10", container], check=True,
                       capture_output=True)
        elapsed = time.monotonic() - start
        exit_code = int(inspect(container, "{{.State.ExitCode}}"))
    finally:  # the edition's other tests need it running, whatever happened here
        live.docker.start_again(live.edition.id)
        live.wait_answering()
    # docker stop sends SIGKILL after its 10 s: not killed means stopped within them (the
    # time measured here also holds docker's own work, slow on a busy machine)
    assert exit_code != 137, f"the container had to be killed after {elapsed:.1f} s"
    with live.client() as fresh:
        assert fresh.get(f"/guestbook/{entry['id']}").json() == entry
