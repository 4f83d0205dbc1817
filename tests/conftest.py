"""Tests that take an `edition` parameter run against the real container of every edition
of every exhibit in timeline.yaml (or those their markers choose), through the `live`
fixture. `@needs("sse")` runs a test only on editions with the capability; `@lacks("sse")`
runs its fallback test on the others, so that no edition is ever skipped.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import httpx
import pytest
from museum.docker import Docker
from museum.site import Site
from museum.timeline import Edition

from tests.stage import TIMELINE, Live, Stage, make_site, require_docker

WANTED = pytest.StashKey[list[Edition]]()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--exhibit", action="append", default=[], metavar="ID",
                     help="run the edition tests on this exhibit's editions only (repeatable)")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "needs(capability): only editions with the capability")
    config.addinivalue_line("markers", "lacks(capability): only editions without it")
    config.addinivalue_line("markers", "sample: only the first edition of the timeline")
    config.addinivalue_line("markers", "scalable: only editions with a scale knob")
    config.addinivalue_line("markers", "addition(name): only editions that show this "
                            "addition to the contract (timeline.yaml's `additions`)")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "edition" not in metafunc.fixturenames:
        return
    chosen = list(TIMELINE.editions)
    only = metafunc.config.getoption("exhibit")
    if only:
        unknown = set(only) - {e.id for e in TIMELINE.exhibits}
        if unknown:
            raise pytest.UsageError(f"--exhibit: no such exhibit in timeline.yaml: {unknown}")
        chosen = [e for e in chosen if e.exhibit in only]
    for mark in metafunc.definition.iter_markers("needs"):
        chosen = [e for e in chosen if e.has(mark.args[0])]
    for mark in metafunc.definition.iter_markers("lacks"):
        chosen = [e for e in chosen if not e.has(mark.args[0])]
    for mark in metafunc.definition.iter_markers("addition"):
        chosen = [e for e in chosen if mark.args[0] in e.additions]
    if metafunc.definition.get_closest_marker("scalable"):
        chosen = [e for e in chosen if e.scale is not None]
    if metafunc.definition.get_closest_marker("sample"):
        chosen = chosen[:1]
    metafunc.parametrize("edition", chosen, ids=[e.id for e in chosen])


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    wanted: dict[str, Edition] = {}
    unused: list[pytest.Item] = []
    for item in items:
        callspec = getattr(item, "callspec", None)
        if callspec is None or "edition" not in callspec.params:
            continue
        item.add_marker(pytest.mark.docker)
        edition = callspec.params["edition"]
        if isinstance(edition, Edition):
            wanted[edition.id] = edition
            # With pytest-xdist's --dist loadgroup, one worker runs all of an edition's tests.
            item.add_marker(pytest.mark.xdist_group(edition.id))
        else:
            # pytest's NOTSET: no edition qualifies (a fallback that every edition outgrew).
            # Not a skip: there is nothing to run it on. Deselected, and counted as such.
            unused.append(item)
    if unused:
        config.hook.pytest_deselected(items=unused)
        items[:] = [item for item in items if item not in unused]
    config.stash[WANTED] = [e for e in TIMELINE.editions if e.id in wanted]


@pytest.fixture(scope="session")
def site() -> Site:
    return make_site()


@pytest.fixture(scope="session")
def stage(site: Site) -> Docker:
    require_docker()
    return Docker.for_site(site)


@pytest.fixture(scope="session")
def museum(site: Site, stage: Docker) -> Iterator[Stage]:
    """The editions this run's tests need, each built and started when its first test
    asks for it (with pytest-xdist, each worker starts only the editions it was given)."""
    running = Stage(site, stage)
    yield running
    if os.environ.get("MUSEUM_KEEP_CONTAINERS") != "1":
        stage.down(volumes=True)


@pytest.fixture
def live(museum: Stage, edition: Edition) -> Live:
    return museum.live(edition)


@pytest.fixture
def client(live: Live) -> Iterator[httpx.Client]:
    with live.client() as c:
        yield c
