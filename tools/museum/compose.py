"""compose.yaml, rendered from timeline.yaml: one service per edition, the lobby and the
bench's own services. Committed; `museum check` fails when it drifts."""

from __future__ import annotations

import json
from collections.abc import Sequence

from museum.errors import MuseumError
from museum.site import LOOPBACK, MODERN, Base, base_of
from museum.timeline import CONTAINER_PORT, TLS_CONTAINER_PORT, Edition, Timeline

HEADER = (
    "# Generated from timeline.yaml by `museum compose`: edit timeline.yaml, not this file.\n"
    "# Works with Compose v2 (`docker compose`) and Debian's docker-compose 1.29.\n"
)
PROBES = {
    "python3": "import urllib.request; "
               f"urllib.request.urlopen('http://127.0.0.1:{CONTAINER_PORT}/hello', timeout=3)",
    "python2.7": "import urllib2; "
                 f"urllib2.urlopen('http://127.0.0.1:{CONTAINER_PORT}/hello', timeout=3)",
}


def q(value: str) -> str:
    """A YAML scalar, quoted as JSON (JSON strings are YAML); `$` escaped for Compose."""
    return json.dumps(value, ensure_ascii=False).replace("$", "$$")


def scaled_name(edition: Edition, n: int) -> str:
    return f"{edition.id}-x{n}"


def service(edition: Edition, bind: str = LOOPBACK) -> list[str]:
    tls = ([f"      - {q(f'{bind}:{edition.tls_port}:{TLS_CONTAINER_PORT}')}"]
           if edition.tls_port is not None else [])
    return [
        f"  {edition.id}:",
        *build_lines(str(edition.dockerfile), base_of(edition)),
        f"    image: {edition.image}",
        "    init: true",
        "    ports:",
        f"      - {q(f'{bind}:{edition.port}:{CONTAINER_PORT}')}",
        *tls,
        *environment_lines(edition),
        "    volumes:",
        f"      - {edition.volume}:/data",
        *containment_lines(edition),
        *health_lines(base_of(edition)),
        "    labels:",
        f"      museum.exhibit: {q(edition.exhibit)}",
        f"      museum.edition: {q(edition.name)}",
    ]


def scaled(edition: Edition, n: int) -> list[str]:
    """`museum bench --scale`'s copy of an edition with its server's knob set to n: the same
    image, no published port, a volume of its own."""
    if edition.scale is None:
        raise MuseumError(f"{edition.id} has no scale knob in timeline.yaml")
    name = scaled_name(edition, n)
    return [
        f"  {name}:",
        f"    image: {edition.image}",
        "    init: true",
        *environment_lines(edition, edition.scale.environment(n)),
        "    volumes:",
        f"      - {name}-data:/data",
        *containment_lines(edition),
        '    profiles: ["bench"]',
    ]


def environment_lines(edition: Edition, extra: dict[str, str] | None = None) -> list[str]:
    return [
        "    environment:",
        f"      MUSEUM_EXHIBIT_ID: {q(edition.id)}",
        f"      MUSEUM_EXHIBIT_TITLE: {q(edition.title)}",
        f"      MUSEUM_EXHIBIT_YEAR: {q(str(edition.year))}",
        f"      MUSEUM_EXHIBIT_SERVER: {q(str(edition.server))}",
        f"      MUSEUM_EXHIBIT_EDITION: {q(edition.name)}",
        *(f"      {name}: {q(value)}" for name, value in (extra or {}).items()),
    ]


def containment_lines(edition: Edition) -> list[str]:
    """Confined as timeline.yaml says: limits, no capabilities beyond those it adds back,
    no new privileges, a read-only root filesystem with tmpfs where the server writes."""
    limits = edition.limits
    added = [f"      - {name}" for name in limits.cap_add]
    return [
        "    read_only: true",
        "    tmpfs:",
        *(f"      - {path}" for path in limits.scratch),
        "    cap_drop:",
        "      - ALL",
        *(["    cap_add:", *added] if added else []),
        "    security_opt:",
        '      - "no-new-privileges:true"',
        f"    mem_limit: {limits.memory}",
        f"    pids_limit: {limits.pids}",
        f"    cpus: {limits.cpus}",
    ]


def build_lines(dockerfile: str, base: Base) -> list[str]:
    return [
        "    build:",
        "      context: .",
        f"      dockerfile: {dockerfile}",
        "      args:",
        f"        BASE_IMAGE: ${{{base.variable}:-{base.official}}}",
    ]


def health_lines(base: Base) -> list[str]:
    """Docker's own health check: a new Python each time, so not too often (with forty
    editions up, a check every few seconds each keeps two cores busy on its own)."""
    test = ", ".join(q(part) for part in ("CMD", base.python, "-c", PROBES[base.python]))
    return [
        "    healthcheck:",
        f"      test: [{test}]",
        "      interval: 30s",
        "      timeout: 4s",
        "      retries: 3",
        "      start_period: 120s",
        "    stop_grace_period: 10s",
    ]


def lobby(timeline: Timeline, bind: str = LOOPBACK) -> list[str]:
    return [
        "  lobby:",
        *build_lines("tools/lobby/Dockerfile", MODERN),
        "    image: museum/lobby:latest",
        "    init: true",
        "    ports:",
        f"      - {q(f'{bind}:{timeline.lobby_port}:{CONTAINER_PORT}')}",
        "    environment:",
        f"      MUSEUM_PUBLIC_HOST: {q(bind)}",
        *health_lines(MODERN),
    ]


def bench() -> list[str]:
    """`museum bench`'s own services, started only by name or with the bench profile: wrk, and
    Debian's nginx as the baseline. Neither publishes a port: load stays inside the network."""
    return [
        "  bench-baseline:",
        *build_lines("tools/bench/baseline/Dockerfile", MODERN),
        "    image: museum/bench-baseline:latest",
        "    init: true",
        '    profiles: ["bench"]',
        "  bench-wrk:",
        *build_lines("tools/bench/wrk/Dockerfile", MODERN),
        "    image: museum/bench-wrk:latest",
        "    init: true",
        '    profiles: ["bench"]',
    ]


def render(timeline: Timeline, bind: str = LOOPBACK,
           scale: tuple[Edition, Sequence[int]] | None = None) -> str:
    """compose.yaml; `bind` is the loopback address ports are published on (tests pick their
    own, so that a test run never meets the museum a visitor has running); `scale` adds the
    copies of one edition that `museum bench --scale` runs side by side."""
    lines = [HEADER.rstrip("\n"), "", "services:", *lobby(timeline, bind)]
    for edition in timeline.editions:
        lines += service(edition, bind)
    lines += bench()
    copies = [(scale[0], n) for n in scale[1]] if scale else []
    for edition, n in copies:
        lines += scaled(edition, n)
    lines += ["", "volumes:"]
    lines += [f"  {edition.volume}: {{}}" for edition in timeline.editions]
    lines += [f"  {scaled_name(edition, n)}-data: {{}}" for edition, n in copies]
    return "\n".join(lines) + "\n"
