"""The one place the museum drives Docker: the engine, Compose v2 (`docker compose`) or
Debian's v1 (`docker-compose`), containers and images."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from museum.errors import MuseumError
from museum.site import Site
from museum.timeline import Edition

START_TIMEOUT = 180.0
# Debian's docker-compose 1.29 builds six images at a time by default; the museum says so.
PARALLEL_BUILDS = 6


def run(args: Sequence[str], *, timeout: float | None = None, check: bool = True,
        capture: bool = True, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    """`docker ...`; a failure raises MuseumError with docker's own last line."""
    try:
        done = subprocess.run(["docker", *args], capture_output=capture, text=stdin is None,
                              timeout=timeout, input=stdin)
    except FileNotFoundError:
        raise MuseumError("docker is not installed (Debian: apt-get install docker.io)") from None
    if check and done.returncode != 0:
        raise MuseumError(f"docker {' '.join(args[:2])} failed: {last_line(done.stderr)}")
    return done


def last_line(text: str | bytes | None) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    lines = (text or "").strip().splitlines()
    return lines[-1] if lines else "no message"


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
    return run(["image", "inspect", tag], check=False).returncode == 0


def image_id(tag: str) -> str:
    return inspect(tag, "{{.Id}}")


def image_size(tag: str) -> int:
    return int(inspect(tag, "{{.Size}}") or 0)


def save(tags: Sequence[str], out: Path) -> None:
    """`docker save` of the tags into one tar file; the layers they share are kept once."""
    run(["save", "--output", str(out), *tags], timeout=None)


def load(path: Path) -> None:
    """`docker load` of a tar file `docker save` wrote, its progress on the terminal."""
    run(["load", "--input", str(path)], timeout=None, capture=False)


def import_image(source: IO[bytes], tag: str, changes: Sequence[str]) -> None:
    """`docker import` of a root filesystem's tar stream, with Dockerfile-like changes."""
    options = [arg for change in changes for arg in ("--change", change)]
    done = subprocess.run(["docker", "import", *options, "-", tag], stdin=source,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if done.returncode != 0:
        raise MuseumError(f"docker import failed: {last_line(done.stderr)}")


def remove_image(tag: str) -> None:
    run(["image", "rm", "--force", tag], check=False)


def compose_command() -> tuple[str, ...]:
    """`docker compose` (v2) when the Docker CLI has the plugin, else `docker-compose`."""
    if shutil.which("docker"):
        probe = subprocess.run(["docker", "compose", "version"], capture_output=True)
        if probe.returncode == 0:
            return ("docker", "compose")
    if shutil.which("docker-compose"):
        return ("docker-compose",)
    raise MuseumError("neither `docker compose` nor `docker-compose` is installed")


def answers(url: str, timeout: float = 2.0) -> bool:
    """True when GET {url}/hello is a 200."""
    try:
        with urllib.request.urlopen(f"{url}/hello", timeout=timeout) as response:
            return bool(response.status == 200)
    except (OSError, urllib.error.URLError):
        return False


def wait_until_answering(url: str, timeout: float,
                         gone: Callable[[], str | None] = lambda: None) -> None:
    """Poll {url}/hello until it answers 200; `gone` says why the server can no longer
    answer (its container stopped), which ends the wait at once."""
    deadline = time.monotonic() + timeout
    asked = 0.0
    while not answers(url):
        if time.monotonic() - asked > 3.0:  # asking costs more than polling: now and then
            reason, asked = gone(), time.monotonic()
            if reason:
                raise MuseumError(reason)
        if time.monotonic() > deadline:
            raise MuseumError(f"{url} is not answering after {timeout:.0f} s")
        time.sleep(0.5)


@dataclass(frozen=True)
class Docker:
    """Compose and the containers of one museum: its checkout, compose file and project."""

    site: Site
    command: tuple[str, ...]

    @classmethod
    def for_site(cls, site: Site) -> Docker:
        return cls(site, compose_command())

    @property
    def version(self) -> str:
        """"v2" or "v1", for the user and the bench's record."""
        return "v1" if self.command == ("docker-compose",) else "v2"

    def environment(self) -> dict[str, str]:
        """Compose's environment: the museum's base images added to the process's own."""
        return {**self.site.environ, **self.site.base_images,
                "COMPOSE_PARALLEL_LIMIT": str(PARALLEL_BUILDS)}

    def compose(self, args: Sequence[str], *, capture: bool = True, check: bool = True,
                extra_env: Mapping[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        site = self.site
        command = [*self.command, "-f", str(site.compose_path), "--project-directory",
                   str(site.root), "-p", site.project, *args]
        done = subprocess.run(command, cwd=site.root, text=True, capture_output=capture,
                              env={**self.environment(), **(extra_env or {})})
        if check and done.returncode != 0:
            detail = last_line(done.stderr) if capture else "see above"
            raise MuseumError(f"{' '.join(self.command)} {' '.join(args[:3])} failed: {detail}")
        return done

    def build(self, services: Sequence[str]) -> None:
        if not services:
            return
        args = ["build"]
        if self.version == "v1" and len(services) > 1:
            args.append("--parallel")
        print(f"building {', '.join(services)} ...", file=sys.stderr)
        self.compose([*args, *services], capture=False)

    # One service an `up` in create and start: Debian's docker-compose 1.29 was seen to hang,
    # its threads all waiting, when one `up` creates or starts two dozen.

    def create(self, services: Sequence[str]) -> None:
        """The services' containers, created from their images but not started."""
        for service in services:
            self.compose(["up", "--no-start", "--no-build", service])

    def start(self, services: Sequence[str]) -> None:
        for service in services:
            self.compose(["up", "-d", "--no-build", service])

    def stop(self, services: Sequence[str] = ()) -> None:
        self.compose(["stop", *services])

    def remove(self, services: Sequence[str], *, volumes: bool = False) -> None:
        self.compose(["rm", "--stop", "--force", *(["-v"] if volumes else []), *services])
        if volumes:
            names = [f"{self.site.project}_{s}-data" for s in services]
            run(["volume", "rm", "--force", *names], check=False)

    def down(self, *, volumes: bool = False) -> None:
        self.compose(["down", "--remove-orphans", *(["--volumes"] if volumes else [])])

    def container(self, service: str) -> str:
        """The service's container, found by the labels both Composes put on it (Docker's
        own CLI answers in milliseconds; docker-compose 1.29 takes a second of CPU)."""
        labels = (f"label=com.docker.compose.project={self.site.project}",
                  f"label=com.docker.compose.service={service}")
        done = run(["ps", "-aq", "--filter", labels[0], "--filter", labels[1]])
        return done.stdout.split()[0] if done.stdout.split() else ""

    def start_again(self, service: str) -> None:
        """`docker start` of a service's stopped container, as it was."""
        run(["start", self.container(service)])

    def state(self, container: str) -> str:
        return inspect(container, "{{.State.Status}}") if container else "gone"

    def why_gone(self, service: str) -> str | None:
        """Why a service's container cannot answer: it stopped, with its last log line."""
        container = self.container(service)
        state = self.state(container)
        if state not in ("exited", "dead", "gone"):
            return None
        tail = logs(container, tail=5) if container else ""
        return f"{service} stopped while starting ({state}): {last_line(tail)}"

    def wait(self, editions: Sequence[Edition], timeout: float = START_TIMEOUT) -> None:
        """Until every edition answers GET /hello; fails at once if one stops."""
        for edition in editions:
            print(f"waiting for {edition.id} ...", file=sys.stderr)
            wait_until_answering(self.site.url(edition), timeout,
                                 lambda e=edition: self.why_gone(e.id))  # type: ignore[misc]

    def up(self, editions: Sequence[Edition], *, build: bool = True) -> None:
        services = [e.id for e in editions]
        if build:
            self.build(services)
        self.start(services)
        self.wait(editions)


def inspect(container: str, template: str) -> str:
    return run(["inspect", "--format", template, container]).stdout.strip()


def logs(container: str, *, since: float | None = None, tail: int | None = None) -> str:
    args = ["logs"]
    if since is not None:
        args += ["--since", f"{since:.3f}"]
    if tail is not None:
        args += ["--tail", str(tail)]
    done = subprocess.run(["docker", *args, container], capture_output=True, text=True,
                          errors="replace")
    return done.stdout + done.stderr


def execute(container: str, *command: str, timeout: float = 120) -> str:
    """`docker exec` as the container's own user; its output (a failure is an error)."""
    return run(["exec", container, *command], timeout=timeout).stdout


def kill(container: str, signal: str = "KILL") -> None:
    run(["kill", "--signal", signal, container])


def host_config(container: str) -> dict[str, Any]:
    """What the engine enforces on a running container: `docker inspect`'s HostConfig."""
    found = json.loads(run(["inspect", "--format", "{{json .HostConfig}}", container]).stdout)
    return found if isinstance(found, dict) else {}


def update(container: str, *options: str) -> None:
    run(["update", *options, container])


def top(container: str) -> list[dict[str, str]]:
    """The container's processes as `docker top` shows them: user, pid, command."""
    done = run(["top", container, "-eo", "user,pid,args"])
    rows = done.stdout.splitlines()[1:]
    found = []
    for row in rows:
        user, pid, command = (row.split(None, 2) + ["", ""])[:3]
        found.append({"user": user, "pid": pid, "command": command})
    return found


def limit(container: str, *, cpus: float | None = None, memory: str | None = None,
          cpuset: str | None = None) -> None:
    """`docker update` a container's CPU and memory limits. The memory limit goes with an
    equal swap limit: Docker refuses a memory limit above the container's memory-swap."""
    options: list[str] = []
    if cpus is not None:
        options += ["--cpus", str(cpus)]
    if memory is not None:
        options += ["--memory", memory, "--memory-swap", memory]
    if cpuset is not None:
        options += ["--cpuset-cpus", cpuset]
    if options:
        update(container, *options)


def start_container(container: str) -> None:
    run(["start", container])


def container_id(container: str) -> str:
    """The container's full id, as its cgroup is named."""
    return inspect(container, "{{.Id}}")


def started_at(container: str) -> float:
    """When the container last started, in seconds since the epoch."""
    stamp = inspect(container, "{{.State.StartedAt}}")
    head, _, fraction = stamp.rstrip("Z").partition(".")
    when = datetime.fromisoformat(head).replace(tzinfo=UTC).timestamp()
    return when + float(f"0.{fraction[:9] or '0'}")


def addresses(container: str) -> list[str]:
    """The container's IP addresses on its networks."""
    return inspect(container,
                   "{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}").split()


def server_version() -> str:
    """The engine's version, or "unknown"."""
    done = run(["version", "--format", "{{.Server.Version}}"], check=False, timeout=20)
    version = done.stdout.strip() if done.returncode == 0 else ""
    return version or "unknown"


# Where a container's memory statistics are, by cgroup layout, and the key that counts its
# resident memory: cgroup v1's total_rss, v2's anon (anonymous pages, no page cache).
CGROUP_MEMORY = (
    ("/sys/fs/cgroup/memory/docker/{id}/memory.stat", "total_rss"),
    ("/sys/fs/cgroup/memory/system.slice/docker-{id}.scope/memory.stat", "total_rss"),
    ("/sys/fs/cgroup/system.slice/docker-{id}.scope/memory.stat", "anon"),
    ("/sys/fs/cgroup/docker/{id}/memory.stat", "anon"),
)


def resident_memory(full_id: str) -> int | None:
    """A container's resident memory in bytes, from its cgroup; None where it cannot be read
    (another cgroup layout, a remote engine)."""
    for template, key in CGROUP_MEMORY:
        try:
            text = Path(template.format(id=full_id)).read_text()
        except OSError:
            continue
        for line in text.splitlines():
            name, _, value = line.partition(" ")
            if name == key:
                return int(value)
    return None


def cgroup_version() -> str:
    return "v2" if Path("/sys/fs/cgroup/cgroup.controllers").exists() else "v1"
