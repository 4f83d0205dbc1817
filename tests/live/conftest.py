from __future__ import annotations

import time

import httpx
import pytest
from museum.docker import Docker
from museum.site import Site

from tests.stage import Stage


@pytest.fixture(scope="session")
def lobby(museum: Stage, site: Site, stage: Docker) -> str:
    """The lobby service, in the same Compose project as the editions under test."""
    stage.build(["lobby"])
    stage.compose(["up", "-d", "--no-build", "lobby"])
    url = f"http://{site.host}:{site.timeline.lobby_port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            if httpx.get(f"{url}/hello", timeout=2).status_code == 200:
                return url
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            pytest.fail("the lobby did not answer within 120 s", pytrace=False)
        time.sleep(1)
