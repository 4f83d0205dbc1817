"""The museum's compose layer under Compose v2 (`docker compose`, the Go plugin), as most
users run it: CI runs the whole suite under Debian's docker-compose 1.29 and this under v2.

MUSEUM_COMPOSE_V2_CONFIG names a DOCKER_CONFIG folder whose cli-plugins/ holds the v2 binary
(.ci/run installs it there for the test run only)."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Iterator
from dataclasses import replace

import httpx
import pytest
from museum.compose import render
from museum.docker import Docker, inspect, run, wait_until_answering
from museum.site import Site
from museum.timeline import Edition

from tests.stage import TIMELINE, require_docker

# One worker runs this module whole: its tests share one Compose v2 project, torn down last.
pytestmark = pytest.mark.xdist_group("compose-v2")

# One exhibit per era, each in the edition its id serves.
ONE_PER_ERA = [next(e for e in TIMELINE.runnable if e.era == era.id).main
               for era in TIMELINE.eras if any(e.era == era.id for e in TIMELINE.runnable)]


@pytest.fixture(scope="module")
def v2(site: Site) -> Iterator[Docker]:
    require_docker()
    config = os.environ.get("MUSEUM_COMPOSE_V2_CONFIG")
    if not config:
        message = "Compose v2 is not installed for the tests (MUSEUM_COMPOSE_V2_CONFIG)"
        if os.environ.get("MUSEUM_REQUIRE_DOCKER") == "1":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    environ = {**site.environ, "DOCKER_CONFIG": config}
    # A loopback address of its own: the v1 run's containers may still hold the same ports.
    host = "127.253." + site.host.split(".", 2)[2]
    compose_file = site.compose_path.with_name(f"{site.project}v2.compose.yaml")
    compose_file.write_text(render(TIMELINE, bind=host))
    docker = Docker(replace(site, project=f"{site.project}v2", environ=environ, host=host,
                            compose_file=compose_file), ("docker", "compose"))
    version = subprocess.run(["docker", "compose", "version"], env=environ, text=True,
                             capture_output=True, check=True).stdout
    assert "v2." in version, version
    yield docker
    docker.down(volumes=True)
    compose_file.unlink(missing_ok=True)


def test_v2_reads_the_compose_file(v2: Docker) -> None:
    done = v2.compose(["config", "--services"])
    assert set(done.stdout.split()) >= {e.id for e in TIMELINE.editions} | {"lobby"}


@pytest.mark.parametrize("era_edition", ONE_PER_ERA, ids=[e.id for e in ONE_PER_ERA])
def test_v2_builds_starts_restarts_and_removes(v2: Docker, era_edition: Edition) -> None:
    v2.build([era_edition.id])
    v2.start([era_edition.id])
    url = v2.site.url(era_edition)
    wait_until_answering(url, 180, lambda: v2.why_gone(era_edition.id))
    container = v2.container(era_edition.id)
    health = ""
    for _ in range(90):  # the first check comes 30 s after the start
        health = inspect(container, "{{.State.Health.Status}}")
        if health == "healthy":
            break
        time.sleep(1)
    assert health == "healthy", f"the healthcheck says {health!r}"
    signed = httpx.post(f"{url}/guestbook", json={"name": "v2", "message": era_edition.id},
                        timeout=30)
    assert signed.status_code == 201, signed.text[:300]
    v2.compose(["restart", era_edition.id])
    wait_until_answering(url, 180, lambda: v2.why_gone(era_edition.id))
    kept = httpx.get(f"{url}/guestbook/{signed.json()['id']}", timeout=30)
    assert kept.status_code == 200 and kept.json() == signed.json()


def test_v2_down_removes_containers_and_volumes(v2: Docker) -> None:
    project = v2.site.project
    label = f"label=com.docker.compose.project={project}"
    assert run(["volume", "ls", "-q", "--filter", label]).stdout.split(), "nothing was up"
    v2.compose(["down", "--volumes", "--remove-orphans"])
    assert not run(["ps", "-aq", "--filter", label]).stdout.split()
    assert not run(["volume", "ls", "-q", "--filter", label]).stdout.split()
