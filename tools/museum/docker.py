"""The Docker engine and Compose, v2 (`docker compose`) or Debian's v1 (`docker-compose`)."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

from museum.errors import MuseumError


def engine_available() -> bool:
    if shutil.which("docker") is None:
        return False
    done = subprocess.run(["docker", "info", "--format", "{{.ServerVersion}}"],
                          capture_output=True, text=True, timeout=20)
    return done.returncode == 0


def require_engine() -> None:
    if shutil.which("docker") is None:
        raise MuseumError("docker is not installed (Debian: apt-get install docker.io)")
    if not engine_available():
        raise MuseumError("the Docker engine is not running (start dockerd, or the docker service)")


def image_exists(tag: str) -> bool:
    done = subprocess.run(["docker", "image", "inspect", tag], capture_output=True)
    return done.returncode == 0


@functools.cache
def compose_command() -> tuple[str, ...]:
    if shutil.which("docker"):
        probe = subprocess.run(["docker", "compose", "version"], capture_output=True)
        if probe.returncode == 0:
            return ("docker", "compose")
    if shutil.which("docker-compose"):
        return ("docker-compose",)
    raise MuseumError("neither `docker compose` nor `docker-compose` is installed")


def is_compose_v1() -> bool:
    return compose_command() == ("docker-compose",)


def compose_file(root: Path) -> Path:
    """compose.yaml, or the variant named by $MUSEUM_COMPOSE_FILE (the tests' own)."""
    return Path(os.environ.get("MUSEUM_COMPOSE_FILE") or root / "compose.yaml")


def compose(root: Path, project: str, args: Sequence[str], *, capture: bool = False,
            check: bool = True) -> subprocess.CompletedProcess[str]:
    command = [*compose_command(), "-f", str(compose_file(root)), "--project-directory",
               str(root), "-p", project, *args]
    done = subprocess.run(command, cwd=root, text=True, capture_output=capture)
    if check and done.returncode != 0:
        detail = (done.stderr or "").strip().splitlines()[-1:] if capture else []
        raise MuseumError(f"{' '.join(command[:2])} {' '.join(args)} failed"
                          + (f": {detail[0]}" if detail else ""))
    return done


def container_id(root: Path, project: str, service: str) -> str:
    done = compose(root, project, ["ps", "-q", service], capture=True)
    return done.stdout.strip()


def inspect_field(container: str, template: str) -> str:
    done = subprocess.run(["docker", "inspect", "--format", template, container],
                          capture_output=True, text=True, check=True)
    return done.stdout.strip()
