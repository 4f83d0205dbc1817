"""The measurements, made by wrk and the small scripts beside it in their own container on
the bench's network (tools/bench/wrk/), in interleaved rounds: GET /hello at each level,
N concurrent /slow, JSON posts, idle keep-alive connections; memory sampled throughout."""

from __future__ import annotations

import json
import os
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from museum import docker
from museum.bench import stage
from museum.bench.plan import Plan
from museum.bench.results import (
    Entry,
    Idle,
    Level,
    Memory,
    Results,
    Settings,
    Slow,
    Write,
)
from museum.bench.stage import HOST, Running
from museum.bench.stats import WrkRun, parse_wrk, summarise
from museum.errors import MuseumError
from museum.site import Site

SETTLE = 30.0
# Posts in flight when wrk stops may be stored without wrk counting them: the exactly-once
# check allows stored - accepted between 0 and this many per run, no more, never fewer.
WRITE_CONNECTIONS = 16
# Idle connections: how long the N first requests may take to be answered before the probe.
IDLE_SETTLE = 5.0


@dataclass(frozen=True)
class WriteRun:
    rps: float
    accepted: int
    stored: int | None  # None when the guestbook's total could not be read
    errors: int


def exactly_once(runs: Sequence[WriteRun]) -> bool | None:
    """Every accepted post stored, and none twice: in each run the guestbook grew by at least
    the posts wrk saw accepted and by at most WRITE_CONNECTIONS more (posts in flight when wrk
    stopped); None when a total could not be read."""
    if not runs or any(r.stored is None for r in runs):
        return None
    return all(0 <= (r.stored or 0) - r.accepted <= WRITE_CONNECTIONS for r in runs)


def write_summary(runs: Sequence[WriteRun]) -> Write:
    stored = [r.stored for r in runs]
    return Write(rps=summarise([r.rps for r in runs]),
                 accepted=sum(r.accepted for r in runs),
                 stored=None if None in stored else sum(s or 0 for s in stored),
                 errors=sum(r.errors for r in runs),
                 exactly_once=exactly_once(runs))


def rotate(items: Sequence[Running], by: int) -> list[Running]:
    """Each round starts with a different target, so that none always goes first."""
    by %= max(len(items), 1)
    return [*items[by:], *items[:by]]


@dataclass(frozen=True)
class Wrk:
    """The load generator's container, and what it runs against one target."""

    container: str

    def run(self, command: Sequence[str], timeout: float) -> str:
        return docker.execute(self.container, *command, timeout=timeout)

    def settle(self, target: Running, limit: float = SETTLE) -> bool:
        """Wait until the target answers again once a load is over (a CGI server may still be
        working through forks the load left behind); False if it does not within the limit."""
        try:
            self.run(["python3", "/bench/ready.py", target.url, str(limit)], timeout=limit + 30)
        except (MuseumError, subprocess.TimeoutExpired):
            return False
        return True

    def hello(self, target: Running, level: int, duration: int) -> WrkRun:
        result = parse_wrk(self.run(["wrk", "-t1", f"-c{level}", f"-d{duration}s", "--timeout",
                                     "10s", "-H", f"Host: {HOST}", "--latency",
                                     f"{target.url}/hello"], timeout=duration + 60))
        self.settle(target)
        return result

    def slow(self, target: Running, n: int, ms: int) -> float | None:
        limit = SETTLE + ms / 1000 * n
        try:
            out = json.loads(self.run(["python3", "/bench/slow.py", target.url, str(n), str(ms),
                                       str(limit)], timeout=limit + 30))
        except (MuseumError, subprocess.TimeoutExpired, ValueError):
            return None
        finally:
            self.settle(target)
        return float(out["wall"]) if out["answered"] == n else None

    def count(self, target: Running) -> int | None:
        try:
            return int(self.run(["python3", "/bench/count.py", target.url], timeout=60))
        except (MuseumError, subprocess.TimeoutExpired, ValueError):
            return None

    def write(self, target: Running, duration: int) -> WriteRun:
        before = self.count(target)
        result = parse_wrk(self.run(["wrk", "-t1", f"-c{WRITE_CONNECTIONS}", f"-d{duration}s",
                                     "--timeout", "10s", "-H", f"Host: {HOST}", "-s",
                                     "/bench/post.lua", f"{target.url}/guestbook"],
                                    timeout=duration + 60))
        self.settle(target)
        after = self.count(target)
        return WriteRun(rps=result.ok_rps, accepted=result.ok,
                        stored=after - before if after is not None and before is not None
                        else None,
                        errors=result.errors + result.non_2xx)

    def idle(self, target: Running, connections: int, limit: float) -> Idle:
        try:
            out = json.loads(self.run(["python3", "/bench/idle.py", target.url,
                                       str(connections), str(limit), str(IDLE_SETTLE)],
                                      timeout=IDLE_SETTLE + limit + 60))
        except (MuseumError, subprocess.TimeoutExpired, ValueError):
            out = {"opened": 0, "answered": 0, "open": 0, "probe": None}
        finally:
            self.settle(target)
        probe = out["probe"]
        return Idle(connections=connections, opened=int(out["opened"]),
                    answered=int(out["answered"]), open=int(out["open"]),
                    probe=float(probe) if probe is not None and probe <= limit else None)


@dataclass
class Tally:
    """What the rounds gather for one target."""

    rps: dict[int, list[float]]
    latency: dict[int, dict[str, list[float]]]
    errors: int = 0
    walls: list[float] = field(default_factory=list)
    incomplete: int = 0
    writes: list[WriteRun] = field(default_factory=list)
    idle: list[Idle] = field(default_factory=list)

    @classmethod
    def empty(cls, levels: Sequence[int]) -> Tally:
        return cls({c: [] for c in levels},
                   {c: {"p50": [], "p90": [], "p99": []} for c in levels})


def steps(plan: Plan) -> int:
    s, n = plan.settings, len(plan.targets)
    exhibits = n - 1
    return n + s.rounds * (n * len(s.levels) + 2 * exhibits) + n * len(s.idle)


def rounds(wrk: Wrk, running: list[Running], settings: Settings,
           progress: stage.Progress) -> dict[str, Tally]:
    tallies = {r.target.id: Tally.empty(settings.levels) for r in running}
    exhibits = [r for r in running if not r.target.baseline]
    for round_ in range(settings.rounds):
        for level in settings.levels:
            for r in rotate(running, round_):
                progress.step(f"hello c={level} {r.target.id}")
                result = wrk.hello(r, level, settings.duration)
                tally = tallies[r.target.id]
                tally.rps[level].append(result.ok_rps)
                tally.errors += result.errors + result.non_2xx
                for key, value in (result.latency if result.ok else {}).items():
                    tally.latency[level][key].append(value)
        for r in rotate(exhibits, round_):
            progress.step(f"slow n={settings.slow_n} {r.target.id}")
            wall = wrk.slow(r, settings.slow_n, settings.slow_ms)
            if wall is None:
                tallies[r.target.id].incomplete += 1
            else:
                tallies[r.target.id].walls.append(wall)
        for r in rotate(exhibits, round_):
            progress.step(f"write {r.target.id}")
            tallies[r.target.id].writes.append(wrk.write(r, settings.duration))
    # Idle connections once, after the rounds: a count, not a rate. Upwards from the fewest,
    # stopping at the first level under which /hello no longer answered in time.
    for r in rotate(running, settings.rounds):
        for connections in settings.idle:
            progress.step(f"idle {connections} {r.target.id}")
            found = wrk.idle(r, connections, settings.idle_limit)
            tallies[r.target.id].idle.append(found)
            if not found.held:
                break
    return tallies


def entry(r: Running, tally: Tally, baseline: Tally | None, settings: Settings,
          memory: Memory, start: float) -> Entry:
    levels = []
    for c in settings.levels:
        rps = summarise(tally.rps[c])
        base = summarise(baseline.rps[c]) if baseline else None
        levels.append(Level(connections=c, rps=rps,
                            ratio=rps.median / base.median if rps and base and base.median
                            else None,
                            p50=summarise(tally.latency[c]["p50"]),
                            p90=summarise(tally.latency[c]["p90"]),
                            p99=summarise(tally.latency[c]["p99"])))
    exhibit = not r.target.baseline
    return Entry(target=r.target, hello=tuple(levels), errors=tally.errors,
                 slow=Slow(summarise(tally.walls), tally.incomplete) if exhibit else None,
                 write=write_summary(tally.writes) if exhibit else None,
                 memory=memory, start=start, idle=tuple(tally.idle))


def measure(site: Site, plan: Plan, *, project: str, build: bool, keep: bool,
            quiet: bool) -> Results:
    """Run the plan in the bench's own Compose project; the containers are removed after."""
    settings = plan.settings
    measured = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    target_cpus, _ = stage.cpu_split(os.cpu_count() or 1, plan.scaling is not None)
    with stage.stage(site, plan, project=project, build=build, keep=keep) as (compose, wrk_id,
                                                                            running):
        progress = stage.Progress(steps(plan), quiet)
        started: dict[str, float] = {}
        for r in running:
            progress.step(f"start {r.target.id}")
            started[r.target.id] = stage.start(r, cpus=settings.cpus, memory=settings.memory,
                                               cpuset=target_cpus)
        time.sleep(1.0)
        idle = {r.target.id: docker.resident_memory(r.container) for r in running}
        with stage.MemoryWatch(running) as watch:
            tallies = rounds(Wrk(wrk_id), running, settings, progress)
        progress.finish()
        machine = stage.machine(compose)
    baseline = next((tallies[r.target.id] for r in running if r.target.baseline), None)
    entries = []
    for r in running:
        rest = idle[r.target.id]
        peak = max(watch.peak.get(r.target.id, 0), rest or 0) or None
        entries.append(entry(r, tallies[r.target.id], baseline, settings, Memory(rest, peak),
                             started[r.target.id]))
    return Results(measured=measured, mode=plan.mode, machine=machine, settings=settings,
                   entries=tuple(entries), scale=plan.scale)
