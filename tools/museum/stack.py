"""Bringing exhibits' containers up and down through Compose."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from pathlib import Path

from museum import docker
from museum.compose import volume_name
from museum.errors import MuseumError
from museum.timeline import Exhibit

PROJECT = "museum"
START_TIMEOUT = 180.0


def project_name() -> str:
    return os.environ.get("MUSEUM_PROJECT", PROJECT)


def host() -> str:
    """The loopback address the exhibits are published on: $MUSEUM_HOST, or 127.0.0.1."""
    return os.environ.get("MUSEUM_HOST", "127.0.0.1")


def url(exhibit: Exhibit) -> str:
    return f"http://{host()}:{exhibit.port}"


def answers(exhibit: Exhibit, timeout: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(f"{url(exhibit)}/hello", timeout=timeout) as response:
            return bool(response.status == 200)
    except (OSError, urllib.error.URLError):
        return False


def build(root: Path, project: str, exhibits: Sequence[Exhibit]) -> None:
    ids = [e.id for e in exhibits]
    args = ["build"]
    if docker.is_compose_v1() and len(ids) > 1:
        args.append("--parallel")
    print(f"building {', '.join(ids)} ...", file=sys.stderr)
    os.environ.setdefault("COMPOSE_PARALLEL_LIMIT", "6")
    docker.compose(root, project, [*args, *ids])


def start(root: Path, project: str, exhibits: Sequence[Exhibit]) -> None:
    # One at a time: Debian's docker-compose 1.29 was seen to hang when one `up` starts many.
    for exhibit in exhibits:
        docker.compose(root, project, ["up", "-d", "--no-build", exhibit.id])


def wait_until_answering(root: Path, project: str, exhibits: Sequence[Exhibit],
                         timeout: float = START_TIMEOUT) -> None:
    pending = list(exhibits)
    deadline = time.monotonic() + timeout
    while pending:
        pending = [e for e in pending if not answers(e)]
        for exhibit in pending:
            container = docker.container_id(root, project, exhibit.id)
            state = docker.inspect_field(container, "{{.State.Status}}") if container else "gone"
            if state in ("exited", "dead", "gone"):
                logs = subprocess.run(["docker", "logs", "--tail", "5", container],
                                      capture_output=True, text=True) if container else None
                tail = (logs.stderr or logs.stdout).strip().splitlines()[-1:] if logs else []
                raise MuseumError(f"{exhibit.id} stopped while starting ({state})"
                                  + (f": {tail[0]}" if tail else ""))
        if not pending:
            break
        if time.monotonic() > deadline:
            raise MuseumError(f"not answering after {timeout:.0f} s: "
                              f"{', '.join(e.id for e in pending)} (see `docker logs`)")
        print(f"waiting for {', '.join(e.id for e in pending)} ...", file=sys.stderr)
        time.sleep(1.0)


def up(root: Path, project: str, exhibits: Sequence[Exhibit], *, rebuild: bool = True) -> None:
    if rebuild:
        build(root, project, exhibits)
    start(root, project, exhibits)
    wait_until_answering(root, project, exhibits)


def remove(root: Path, project: str, exhibits: Sequence[Exhibit], *,
           volumes: bool = False) -> None:
    ids = [e.id for e in exhibits]
    docker.compose(root, project, ["rm", "--stop", "--force", *ids], capture=True)
    if volumes:
        names = [f"{project}_{volume_name(e)}" for e in exhibits]
        subprocess.run(["docker", "volume", "rm", "--force", *names], capture_output=True)


def down(root: Path, project: str) -> None:
    docker.compose(root, project, ["down"])
