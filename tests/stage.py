"""The stage the contract and the tools' live tests share: the run's own Site (a Compose
project and a loopback address of its own), Docker, and the editions it brings up."""

from __future__ import annotations

import os
import ssl
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from museum.compose import render
from museum.docker import Docker, engine_available, logs
from museum.errors import MuseumError
from museum.site import Site
from museum.timeline import Edition, load

ROOT = Path(__file__).resolve().parents[1]
# One TLS context for every client of the run: httpx loads the CA bundle anew for each client
# it makes otherwise, 25 ms of CPU every time, minutes over the whole museum.
TLS = ssl.create_default_context()
TIMELINE = load(ROOT / "timeline.yaml")


def require_docker() -> None:
    """Skip without a Docker engine; fail instead where MUSEUM_REQUIRE_DOCKER=1 (CI)."""
    if engine_available():
        return
    message = "no Docker engine: this test runs real containers"
    if os.environ.get("MUSEUM_REQUIRE_DOCKER") == "1":
        pytest.fail(message + " (MUSEUM_REQUIRE_DOCKER=1)", pytrace=False)
    pytest.skip(message)


def make_site() -> Site:
    """Each run its own Compose project, so that runs side by side never touch each other's
    containers, and its own loopback address, so that it never meets another run nor the
    museum a visitor has running on 127.0.0.1."""
    pid = os.getpid()
    project = os.environ.get("MUSEUM_TEST_PROJECT", f"museumtest{pid}")
    host = f"127.{(pid >> 16) & 255}.{(pid >> 8) & 255}.{max(2, pid & 255)}"
    compose_file = Path(tempfile.gettempdir()) / f"{project}.compose.yaml"
    compose_file.write_text(render(TIMELINE, bind=host))
    base = Site.from_environment(os.environ, ROOT)
    return Site(root=ROOT, environ=dict(os.environ), project=project, host=host,
                compose_file=compose_file, base_images=base.base_images, require_docker=True)


@dataclass
class Live:
    """One edition's running container, as the tests see it."""

    edition: Edition
    site: Site
    docker: Docker

    @property
    def base_url(self) -> str:
        return self.site.url(self.edition)

    def client(self, **kwargs: Any) -> httpx.Client:
        kwargs.setdefault("timeout", 30.0)
        kwargs.setdefault("verify", TLS)
        return httpx.Client(base_url=self.base_url, **kwargs)

    def container(self) -> str:
        return self.docker.container(self.edition.id)

    def logs_since(self, since: float) -> str:
        return logs(self.container(), since=since)

    def wait_answering(self, timeout: float = 120.0) -> None:
        self.docker.wait([self.edition], timeout=timeout)


class Stage:
    """The run's editions: each built and started on first use, and kept running."""

    def __init__(self, site: Site, docker: Docker) -> None:
        self.site, self.docker = site, docker
        self.running: dict[str, Live] = {}
        self.failed: dict[str, str] = {}

    def live(self, edition: Edition) -> Live:
        if edition.id in self.failed:
            pytest.fail(self.failed[edition.id], pytrace=False)
        if edition.id not in self.running:
            try:
                self.docker.up([edition])
            except MuseumError as error:
                self.failed[edition.id] = f"could not bring {edition.id} up: {error}"
                pytest.fail(self.failed[edition.id], pytrace=False)
            self.running[edition.id] = Live(edition, self.site, self.docker)
        return self.running[edition.id]
