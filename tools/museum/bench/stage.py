"""The bench's own Compose project: its compose file, its containers started under the same
limits and timed to their first answer, their memory sampled, and the machine described."""

from __future__ import annotations

import os
import platform
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from museum import docker
from museum.bench.plan import Plan
from museum.bench.results import Machine, Target
from museum.compose import render
from museum.errors import MuseumError
from museum.site import Site
from museum.timeline import CONTAINER_PORT

WRK = "bench-wrk"
PROJECT = "museumbench"
START_TIMEOUT = 180.0
# Every request names the host as a visitor's browser would: Django answers 400 to a Host
# outside its ALLOWED_HOSTS, which holds 127.0.0.1 and localhost but no service name.
HOST = f"127.0.0.1:{CONTAINER_PORT}"


@dataclass(frozen=True)
class Running:
    """A target's container on the bench's network."""

    target: Target
    container: str  # its full id, as its cgroup is named

    @property
    def url(self) -> str:
        """Its address from inside the network: the service's name."""
        return f"http://{self.target.id}:{CONTAINER_PORT}"


def own_site(site: Site, project: str, plan: Plan) -> Site:
    """The bench's own compose file: editions publish on a loopback address of the bench's,
    so that its project never collides with a museum or a test run on the same ports."""
    pid = os.getpid()
    bind = f"127.254.{(pid >> 8) & 255}.{max(2, pid & 255)}"
    path = Path(tempfile.gettempdir()) / f"{project}.compose.yaml"
    path.write_text(render(site.timeline, bind=bind, scale=plan.scaling))
    return replace(site, project=project, compose_file=path, host=bind)


def cpu_split(cores: int, scaled: bool) -> tuple[str | None, str | None]:
    """(the targets' cpuset, wrk's): the targets share the last core and wrk has the others;
    on one core they share it. When scaling nothing is pinned: the copies may use every core
    and wrk shares them."""
    if cores > 1 and not scaled:
        return str(cores - 1), f"0-{cores - 2}"
    return None, None


@contextmanager
def stage(site: Site, plan: Plan, *, project: str, build: bool,
          keep: bool) -> Iterator[tuple[docker.Docker, str, list[Running]]]:
    """The bench's project up (wrk running, the targets created but not started), and down
    again afterwards unless `keep`: yields its Docker, wrk's container and the targets."""
    docker.require_engine()
    compose = docker.Docker.for_site(own_site(site, project, plan))
    # The editions' and the baseline's images if missing (or asked to); wrk's always, quietly:
    # it is cached, and holds this checkout's scripts.
    needed = [*plan.images, *(t.id for t in plan.targets if t.baseline)]
    compose.build([s for s in dict.fromkeys(needed)
                   if build or not docker.image_exists(f"museum/{s}:latest")])
    compose.compose(["build", WRK])
    _, wrk_cpus = cpu_split(os.cpu_count() or 1, plan.scaling is not None)
    try:
        compose.compose(["up", "-d", "--no-build", WRK])
        compose.create([t.id for t in plan.targets])
        wrk = docker.container_id(compose.container(WRK))
        if wrk_cpus:
            docker.limit(wrk, cpuset=wrk_cpus)
        running = [Running(t, docker.container_id(compose.container(t.id)))
                   for t in plan.targets]
        yield compose, wrk, running
    finally:
        if not keep:
            compose.compose(["down", "--volumes", "--remove-orphans"], check=False)


def start(running: Running, *, cpus: float, memory: str, cpuset: str | None) -> float:
    """Apply the limits, start the container, and time it to its first 200."""
    docker.limit(running.container, cpus=cpus, memory=memory, cpuset=cpuset)
    docker.start_container(running.container)
    # Polled from here at the container's own address on the bench network (no published
    # port, no proxy): a poll through `docker exec` would add its own start-up to the time.
    found = docker.addresses(running.container)
    if not found:
        raise MuseumError(f"{running.target.id} has no address on the bench's network")
    request = urllib.request.Request(f"http://{found[0]}:{CONTAINER_PORT}/hello",
                                     headers={"Host": HOST})
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(request, timeout=2) as response:
                if response.status == 200:
                    return time.time() - docker.started_at(running.container)
        except OSError:
            pass
        time.sleep(0.01)
    raise MuseumError(f"{running.target.id} did not answer /hello within "
                      f"{START_TIMEOUT:.0f} s of starting")


class MemoryWatch:
    """Samples every target's resident memory while the load runs; keeps the peak."""

    def __init__(self, running: Sequence[Running]) -> None:
        self.running = running
        self.peak: dict[str, int] = {}
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.loop, daemon=True)

    def loop(self) -> None:
        while not self.stop.wait(0.2):
            self.sample()

    def sample(self) -> None:
        for r in self.running:
            value = docker.resident_memory(r.container)
            if value is not None:
                self.peak[r.target.id] = max(value, self.peak.get(r.target.id, 0))

    def __enter__(self) -> MemoryWatch:
        self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop.set()
        self.thread.join()


def machine(compose: docker.Docker) -> Machine:
    cpuinfo = Path("/proc/cpuinfo")
    cpu = platform.processor()
    if cpuinfo.exists():
        cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines()
                    if line.startswith("model name")), cpu)
    memory = None
    if hasattr(os, "sysconf"):
        memory = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)
    return Machine(cores=os.cpu_count() or 1, cpu=cpu or "unknown", memory_gib=memory,
                   kernel=platform.release(), docker=docker.server_version(),
                   compose=" ".join(compose.command), cgroup=docker.cgroup_version(),
                   python=platform.python_version())


class Progress:
    """A one-line progress bar on stderr."""

    def __init__(self, total: int, quiet: bool) -> None:
        self.total, self.done, self.quiet = total, 0, quiet
        self.origin = time.monotonic()

    def step(self, what: str) -> None:
        self.done += 1
        if self.quiet:
            return
        width = 30
        filled = width * min(self.done, self.total) // max(self.total, 1)
        elapsed = time.monotonic() - self.origin
        print(f"\r[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} "
              f"{elapsed:4.0f}s {what[:40]:<40}", end="", file=sys.stderr, flush=True)

    def finish(self) -> None:
        if not self.quiet:
            print(file=sys.stderr)
