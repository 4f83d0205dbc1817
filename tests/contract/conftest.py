"""The contract suite: every test runs against the real container of every runnable exhibit.

Tests take an `exhibit` parameter (a timeline.yaml entry) and a `live` fixture (the running
container). `@needs("sse")` runs a test only on exhibits with the capability; `@lacks("sse")`
runs its fallback test on the others, so that no exhibit is ever skipped.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from museum import docker, stack
from museum.compose import render
from museum.errors import MuseumError
from museum.timeline import Exhibit, load

ROOT = Path(__file__).resolve().parents[2]
TIMELINE = load(ROOT / "timeline.yaml", check_folders=False)
EXHIBITS = TIMELINE.runnable
# Each session its own Compose project, so that runs side by side never touch each other's
# containers (their exhibits must still differ: the ports are the timeline's).
PROJECT = os.environ.get("MUSEUM_TEST_PROJECT", f"museumtest{os.getpid()}")
# ... and its own loopback address for the published ports, so that it never meets another
# run, nor the museum a visitor has running on 127.0.0.1.
HOST = f"127.{(os.getpid() >> 16) & 255}.{(os.getpid() >> 8) & 255}.{max(2, os.getpid() & 255)}"
COMPOSE_FILE = Path(tempfile.gettempdir()) / f"{PROJECT}.compose.yaml"
COMPOSE_FILE.write_text(render(TIMELINE, bind=HOST))
os.environ["MUSEUM_HOST"] = HOST
os.environ["MUSEUM_COMPOSE_FILE"] = str(COMPOSE_FILE)



def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "needs(capability): only exhibits with the capability")
    config.addinivalue_line("markers", "lacks(capability): only exhibits without it")
    config.addinivalue_line("markers", "sample: only the first exhibit of the timeline")
    config.addinivalue_line("markers", "scalable: only exhibits with a scale knob")
    config.addinivalue_line("markers", "only(*ids): only these exhibits (additions to the "
                            "contract that one exhibit shows)")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "exhibit" not in metafunc.fixturenames:
        return
    chosen = list(EXHIBITS)
    for mark in metafunc.definition.iter_markers("needs"):
        chosen = [e for e in chosen if e.has(mark.args[0])]
    for mark in metafunc.definition.iter_markers("lacks"):
        chosen = [e for e in chosen if not e.has(mark.args[0])]
    for mark in metafunc.definition.iter_markers("only"):
        chosen = [e for e in chosen if e.id in mark.args]
    if metafunc.definition.get_closest_marker("scalable"):
        chosen = [e for e in chosen if e.scale is not None]
    if metafunc.definition.get_closest_marker("sample"):
        chosen = chosen[:1]
    metafunc.parametrize("exhibit", chosen, ids=[e.id for e in chosen])


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    wanted: dict[str, Exhibit] = {}
    unused: list[pytest.Item] = []
    for item in items:
        item.add_marker(pytest.mark.docker)
        callspec = getattr(item, "callspec", None)
        if callspec is None or "exhibit" not in callspec.params:
            continue
        exhibit = callspec.params["exhibit"]
        if isinstance(exhibit, Exhibit):
            wanted[exhibit.id] = exhibit
        else:
            # pytest's NOTSET: no exhibit qualifies (a fallback that every exhibit outgrew).
            # Not a skip: there is nothing to run it on. Deselected, and counted as such.
            unused.append(item)
    if unused:
        config.hook.pytest_deselected(items=unused)
        items[:] = [item for item in items if item not in unused]
    config.stash[WANTED] = [e for e in EXHIBITS if e.id in wanted]


WANTED = pytest.StashKey[list[Exhibit]]()


@dataclass
class Live:
    """One exhibit's running container, as the tests see it."""

    exhibit: Exhibit
    base_url: str

    def client(self, **kwargs: Any) -> httpx.Client:
        kwargs.setdefault("timeout", 30.0)
        return httpx.Client(base_url=self.base_url, **kwargs)

    def container(self) -> str:
        return docker.container_id(ROOT, PROJECT, self.exhibit.id)

    def logs_since(self, since: float) -> str:
        done = subprocess.run(
            ["docker", "logs", "--since", f"{since:.3f}", self.container()],
            capture_output=True, text=True, errors="replace",
        )
        return done.stdout + done.stderr

    def wait_answering(self, timeout: float = 120.0) -> None:
        stack.wait_until_answering(ROOT, PROJECT, [self.exhibit], timeout=timeout)


@pytest.fixture(scope="session")
def museum(request: pytest.FixtureRequest) -> Iterator[dict[str, Live]]:
    exhibits = request.config.stash.get(WANTED, [])
    if not docker.engine_available():
        message = "no Docker engine: the contract runs against real containers"
        if os.environ.get("MUSEUM_REQUIRE_DOCKER") == "1":
            pytest.fail(message + " (MUSEUM_REQUIRE_DOCKER=1)", pytrace=False)
        pytest.skip(message)
    keep = os.environ.get("MUSEUM_KEEP_CONTAINERS") == "1"
    try:
        stack.build(ROOT, PROJECT, exhibits)
        stack.start(ROOT, PROJECT, exhibits)
        stack.wait_until_answering(ROOT, PROJECT, exhibits)
    except MuseumError as error:
        if not keep:
            docker.compose(ROOT, PROJECT, ["down", "--volumes"], capture=True, check=False)
        pytest.fail(f"could not bring the exhibits up: {error}", pytrace=False)
    yield {e.id: Live(e, stack.url(e)) for e in exhibits}
    if not keep:
        docker.compose(ROOT, PROJECT, ["down", "--volumes", "--remove-orphans"], capture=True)


@pytest.fixture(scope="session")
def lobby(museum: dict[str, Live]) -> str:
    """The lobby service, in the same Compose project as the exhibits under test."""
    port = TIMELINE.lobby_port
    docker.compose(ROOT, PROJECT, ["build", "lobby"])
    docker.compose(ROOT, PROJECT, ["up", "-d", "--no-build", "lobby"])
    deadline = time.monotonic() + 120
    while True:
        try:
            if httpx.get(f"http://{HOST}:{port}/hello", timeout=2).status_code == 200:
                return f"http://{HOST}:{port}"
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            pytest.fail("the lobby did not answer within 120 s", pytrace=False)
        time.sleep(1)


@pytest.fixture
def live(museum: dict[str, Live], exhibit: Exhibit) -> Live:
    return museum[exhibit.id]


@pytest.fixture
def client(live: Live) -> Iterator[httpx.Client]:
    with live.client() as c:
        yield c

