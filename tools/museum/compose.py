"""compose.yaml, generated from timeline.yaml and committed; `museum check` fails on drift."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from museum.errors import ExitStatus, MuseumError
from museum.paths import repo_root
from museum.timeline import CONTAINER_PORT, TLS_CONTAINER_PORT, Exhibit, Timeline, load_default

DEFAULT_BASE_IMAGE = "python:3.11-slim-bookworm"
LOOPBACK = "127.0.0.1"
HEADER = (
    "# Generated from timeline.yaml by `museum compose`: edit timeline.yaml, not this file.\n"
    "# Works with Compose v2 (`docker compose`) and Debian's docker-compose 1.29.\n"
)
HEALTH_PROBE = (
    "import urllib.request; "
    f"urllib.request.urlopen('http://127.0.0.1:{CONTAINER_PORT}/hello', timeout=3)"
)


def q(value: str) -> str:
    """A YAML scalar, quoted as JSON (JSON strings are YAML); `$` escaped for Compose."""
    return json.dumps(value, ensure_ascii=False).replace("$", "$$")


def volume_name(exhibit: Exhibit) -> str:
    return f"{exhibit.id}-data"


def scaled_name(exhibit: Exhibit, n: int) -> str:
    return f"{exhibit.id}-x{n}"


def service(exhibit: Exhibit, bind: str = LOOPBACK) -> list[str]:
    tls = ([f"      - {q(f'{bind}:{exhibit.tls_port}:{TLS_CONTAINER_PORT}')}"]
           if exhibit.tls_port is not None else [])
    return [
        f"  {exhibit.id}:",
        *build_lines(f"exhibits/{exhibit.id}/Dockerfile"),
        f"    image: museum/{exhibit.id}:latest",
        "    init: true",
        "    ports:",
        f"      - {q(f'{bind}:{exhibit.port}:{CONTAINER_PORT}')}",
        *tls,
        *environment_lines(exhibit),
        "    volumes:",
        f"      - {volume_name(exhibit)}:/data",
        *health_lines(),
        "    labels:",
        f"      museum.exhibit: {q(exhibit.id)}",
    ]


def scaled(exhibit: Exhibit, n: int) -> list[str]:
    """`museum bench --scale`'s copy of an exhibit with its server's knob set to n: the same
    image, no published port, a volume of its own."""
    if exhibit.scale is None:
        raise MuseumError(f"{exhibit.id} has no scale knob in timeline.yaml")
    name = scaled_name(exhibit, n)
    return [
        f"  {name}:",
        f"    image: museum/{exhibit.id}:latest",
        "    init: true",
        *environment_lines(exhibit, exhibit.scale.environment(n)),
        "    volumes:",
        f"      - {name}-data:/data",
        '    profiles: ["bench"]',
    ]


def environment_lines(exhibit: Exhibit, extra: dict[str, str] | None = None) -> list[str]:
    return [
        "    environment:",
        f"      MUSEUM_EXHIBIT_ID: {q(exhibit.id)}",
        f"      MUSEUM_EXHIBIT_TITLE: {q(exhibit.title)}",
        f"      MUSEUM_EXHIBIT_YEAR: {q(str(exhibit.year))}",
        f"      MUSEUM_EXHIBIT_SERVER: {q(str(exhibit.server))}",
        *(f"      {name}: {q(value)}" for name, value in (extra or {}).items()),
    ]


def build_lines(dockerfile: str) -> list[str]:
    return [
        "    build:",
        "      context: .",
        f"      dockerfile: {dockerfile}",
        "      args:",
        f"        BASE_IMAGE: ${{MUSEUM_BASE_IMAGE:-{DEFAULT_BASE_IMAGE}}}",
    ]


def health_lines() -> list[str]:
    health = ", ".join(q(part) for part in ("CMD", "python3", "-c", HEALTH_PROBE))
    return [
        "    healthcheck:",
        f"      test: [{health}]",
        "      interval: 5s",
        "      timeout: 4s",
        "      retries: 3",
        "      start_period: 120s",
        "    stop_grace_period: 10s",
    ]


def lobby(timeline: Timeline, bind: str = LOOPBACK) -> list[str]:
    return [
        "  lobby:",
        *build_lines("tools/lobby/Dockerfile"),
        "    image: museum/lobby:latest",
        "    init: true",
        "    ports:",
        f"      - {q(f'{bind}:{timeline.lobby_port}:{CONTAINER_PORT}')}",
        "    environment:",
        f"      MUSEUM_PUBLIC_HOST: {q(bind)}",
        *health_lines(),
    ]


def bench(timeline: Timeline) -> list[str]:
    """`museum bench`'s own services, started only by name or with the bench profile: wrk, and
    Debian's nginx as the baseline. Neither publishes a port: load stays inside the network."""
    return [
        "  bench-baseline:",
        *build_lines("tools/bench/baseline/Dockerfile"),
        "    image: museum/bench-baseline:latest",
        "    init: true",
        '    profiles: ["bench"]',
        "  bench-wrk:",
        *build_lines("tools/bench/wrk/Dockerfile"),
        "    image: museum/bench-wrk:latest",
        "    init: true",
        '    profiles: ["bench"]',
    ]


def render(timeline: Timeline, bind: str = LOOPBACK,
           scale: tuple[Exhibit, Sequence[int]] | None = None) -> str:
    """compose.yaml; `bind` is the loopback address ports are published on (tests pick their
    own, so that a test run never meets the museum a visitor has running); `scale` adds the
    copies of one exhibit that `museum bench --scale` runs side by side."""
    lines = [HEADER.rstrip("\n"), "", "services:", *lobby(timeline, bind)]
    exhibits = timeline.runnable
    for exhibit in exhibits:
        lines += service(exhibit, bind)
    lines += bench(timeline)
    copies = [(scale[0], n) for n in scale[1]] if scale else []
    for exhibit, n in copies:
        lines += scaled(exhibit, n)
    lines += ["", "volumes:"]
    lines += [f"  {volume_name(exhibit)}: {{}}" for exhibit in exhibits]
    lines += [f"  {scaled_name(exhibit, n)}-data: {{}}" for exhibit, n in copies]
    return "\n".join(lines) + "\n"


def main(args: argparse.Namespace) -> ExitStatus:
    root = repo_root()
    timeline = load_default(check_folders=False)
    text = render(timeline)
    target = root / "compose.yaml"
    if args.check:
        current = target.read_text() if target.exists() else ""
        if current != text:
            raise MuseumError(
                "compose.yaml is out of date with timeline.yaml: run `museum compose`")
        print("compose.yaml matches timeline.yaml", file=sys.stderr)
        return ExitStatus.OK
    target.write_text(text)
    print(f"wrote {target.name} ({len(timeline.runnable)} exhibits)", file=sys.stderr)
    return ExitStatus.OK


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--check", action="store_true",
                        help="fail if compose.yaml differs from what timeline.yaml gives")
