"""Results files of the first format (before `schema`), as `museum bench` wrote them until
exhibits had editions: one dict per measure keyed by target id, levels as strings.

Every target of such a file was the exhibit's only edition then: today's release on Python
3.11, which timeline.yaml now calls the `now` edition. The conversion says so in the
results' note.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from museum.bench.results import (
    Entry,
    Level,
    Machine,
    Memory,
    Results,
    Scale,
    Settings,
    Slow,
    Summary,
    Target,
    Write,
)
from museum.errors import MuseumError

Plain = Mapping[str, Any]
EDITION = "now"
PYTHON = "3.11"
NOTE = ("Measured before exhibits had editions: every exhibit ran today's release on Python "
        "3.11, its now edition, under the exhibit's own id.")


def summary(data: Plain | None) -> Summary | None:
    if not data:
        return None
    return Summary(float(data["median"]), float(data["low"]), float(data["high"]),
                   int(data["n"]))


def server_of(workers: str) -> str | None:
    """"prefork (gunicorn)" and "1 worker (gunicorn; GUNICORN_CMD_ARGS=...)": gunicorn."""
    found = re.search(r"\(([^;)]+)", workers)
    return found[1].strip() if found else None


def target(data: Plain, scale: Plain | None) -> Target:
    baseline = bool(data.get("baseline"))
    exhibit = None if baseline else str(scale["exhibit"]) if scale else str(data["id"])
    return Target(id=str(data["id"]), label=str(data["label"]), workers=str(data["workers"]),
                  exhibit=exhibit, edition=None if baseline else EDITION,
                  python=None if baseline else PYTHON,
                  server=None if baseline else server_of(str(data["workers"])),
                  baseline=baseline)


def entry(data: Plain, tid: str, levels: tuple[int, ...], scale: Plain | None) -> Entry:
    hello = data["hello"][tid]
    levels_of = hello["levels"]
    slow = data["slow"].get(tid)
    write = data["write"].get(tid)
    memory = data["memory"][tid]
    info = next(t for t in data["targets"] if t["id"] == tid)
    return Entry(
        target=target(info, scale),
        hello=tuple(Level(connections=c, rps=summary(levels_of[str(c)]["rps"]),
                          ratio=levels_of[str(c)]["ratio"],
                          p50=summary(levels_of[str(c)]["p50"]),
                          p90=summary(levels_of[str(c)]["p90"]),
                          p99=summary(levels_of[str(c)]["p99"]))
                    for c in levels),
        errors=int(hello["errors"]),
        slow=None if slow is None else Slow(summary(slow["wall"]), int(slow["incomplete"])),
        write=None if write is None else Write(
            rps=summary(write["rps"]), accepted=int(write["accepted"]),
            stored=write["stored"], errors=int(write["errors"]),
            exactly_once=write["exactly_once"]),
        memory=Memory(memory["idle"], memory["peak"]),
        start=data["start"].get(tid),
    )


def convert(data: Plain) -> Results:
    """A first-format results dict as Results; the TechEmpower section it may hold is
    dropped (the cross-check is computed from the figures whenever it is shown)."""
    try:
        s = data["settings"]
        levels = tuple(int(c) for c in s["levels"])
        scale = data.get("scale")
        m = data["machine"]
        return Results(
            measured=str(data["measured"]),
            mode=str(data["mode"]),
            machine=Machine(cores=int(m["cores"]), cpu=str(m["cpu"]),
                            memory_gib=m.get("memory_gib"), kernel=str(m["kernel"]),
                            docker=str(m["docker"]), compose=str(m.get("compose", "unknown")),
                            cgroup=str(m.get("cgroup", "unknown")),
                            python=str(m.get("python", "unknown"))),
            settings=Settings(levels=levels, duration=int(s["duration"]),
                              rounds=int(s["rounds"]), slow_n=int(s["slow_n"]),
                              slow_ms=int(s["slow_ms"]), cpus=float(s["cpus"]),
                              memory=str(s["memory"]), editions=EDITION, idle=()),
            entries=tuple(entry(data, str(t["id"]), levels, scale) for t in data["targets"]),
            scale=None if scale is None else Scale(
                exhibit=str(scale["exhibit"]), unit=str(scale["unit"]),
                one=str(scale["one"]), counts=tuple(int(c) for c in scale["counts"]),
                default=int(scale["default"]), server=str(scale["server"]),
                concurrency=str(scale["concurrency"]),
                targets=tuple(str(t) for t in scale["targets"])),
            note=NOTE,
        )
    except (KeyError, TypeError, ValueError, StopIteration) as error:
        raise MuseumError(f"bench results of the first format are malformed: {error!r}") \
            from None
