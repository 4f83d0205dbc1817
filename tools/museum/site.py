"""Where and how the museum runs: one object, built once at start-up and passed to every verb.

Nothing else in `museum` reads the environment for these settings. `Site.from_environment`
is the one place that does, for the command line; tests build their own Site.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from museum.errors import MuseumError
from museum.timeline import Edition, Timeline, load


@dataclass(frozen=True)
class Base:
    """A base image the Dockerfiles start from: the official one where a registry answers,
    or the stand-in `museum base-image` builds from Debian's packages."""

    name: str
    official: str
    variable: str
    stand_in: str
    suite: str
    packages: tuple[str, ...]
    python: str


MODERN = Base(name="bookworm", official="python:3.11-slim-bookworm",
              variable="MUSEUM_BASE_IMAGE", stand_in="museum/base:bookworm-python3",
              suite="bookworm", packages=("python3", "python3-venv", "ca-certificates"),
              python="python3")
PERIOD = Base(name="bullseye", official="debian:bullseye-slim",
              variable="MUSEUM_PERIOD_BASE_IMAGE", stand_in="museum/base:bullseye-python2.7",
              suite="bullseye", packages=("python2.7", "ca-certificates"), python="python2.7")
BASES = (MODERN, PERIOD)

PROJECT = "museum"
LOOPBACK = "127.0.0.1"


def base_of(edition: Edition) -> Base:
    return PERIOD if edition.period else MODERN


def read_env_file(path: Path) -> dict[str, str]:
    """Compose's `.env`: NAME=value lines; the museum keeps its base images there."""
    found: dict[str, str] = {}
    if path.is_file():
        for line in path.read_text().splitlines():
            name, sep, value = line.partition("=")
            if sep and not name.startswith("#"):
                found[name.strip()] = value.strip()
    return found


@dataclass(frozen=True)
class Site:
    root: Path
    # The process environment as it was at start-up: what Compose and Docker run with.
    environ: Mapping[str, str]
    project: str = PROJECT
    host: str = LOOPBACK
    compose_file: Path | None = None
    # Base image per variable (MUSEUM_BASE_IMAGE, ...): set only where the official image
    # is not the one to use; passed to Compose in its environment.
    base_images: Mapping[str, str] = field(default_factory=dict)
    require_docker: bool = False

    @classmethod
    def from_environment(cls, environ: Mapping[str, str], cwd: Path) -> Site:
        root = Path(environ["MUSEUM_ROOT"]) if environ.get("MUSEUM_ROOT") else find_root(cwd)
        settings = {**read_env_file(root / ".env"), **environ}
        return cls(
            root=root,
            environ=dict(environ),
            project=environ.get("MUSEUM_PROJECT", PROJECT),
            host=environ.get("MUSEUM_HOST", LOOPBACK),
            base_images={b.variable: settings[b.variable] for b in BASES
                         if settings.get(b.variable)},
            require_docker=environ.get("MUSEUM_REQUIRE_DOCKER") == "1",
        )

    @property
    def compose_path(self) -> Path:
        return self.compose_file or self.root / "compose.yaml"

    @functools.cached_property
    def timeline(self) -> Timeline:
        return load(self.root / "timeline.yaml")

    def url(self, edition: Edition) -> str:
        return f"http://{self.host}:{edition.port}"

    def path(self, relative: object) -> Path:
        return self.root / str(relative)

    def base_image(self, base: Base) -> str:
        return self.base_images.get(base.variable, base.official)


def find_root(cwd: Path) -> Path:
    """The museum checkout: the nearest folder at or above cwd with timeline.yaml."""
    for folder in (cwd, *cwd.parents):
        if (folder / "timeline.yaml").is_file():
            return folder
    raise MuseumError("no timeline.yaml here or above: run museum inside the museum's checkout")
