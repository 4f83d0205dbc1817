"""`museum bench`: sync against async, measured live on every exhibit under the same limits.

Load comes from wrk in its own container inside the Compose network (never through published
ports), against each exhibit's service name, with Debian's nginx as the baseline of the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from museum import docker
from museum.benchstats import (
    Summary,
    WrkRun,
    human,
    parse_wrk,
    spearman,
    summarise,
    table,
    with_spread,
)
from museum.compose import render, scaled_name
from museum.errors import ExitStatus, MuseumError
from museum.site import Site
from museum.timeline import CONTAINER_PORT, Edition, Timeline

BASELINE = "bench-baseline"
WRK = "bench-wrk"
PROJECT = "museumbench"
SETTLE = 30.0
# Every request names the host as a visitor's browser would: Django answers 400 to a Host
# outside its ALLOWED_HOSTS, which holds 127.0.0.1 and localhost but no service name.
HOST = f"127.0.0.1:{CONTAINER_PORT}"
# Posts in flight when wrk stops may be stored without wrk counting them: the exactly-once
# check allows stored - accepted between 0 and this many per run, no more, never fewer.
WRITE_CONNECTIONS = 16


@dataclass(frozen=True)
class Target:
    id: str  # the Compose service, which is also its host name on the network
    label: str
    workers: str
    container: str = ""

    @property
    def url(self) -> str:
        return f"http://{self.id}:{CONTAINER_PORT}"

    @property
    def baseline(self) -> bool:
        return self.id == BASELINE


@dataclass(frozen=True)
class Settings:
    levels: tuple[int, ...]
    duration: int
    rounds: int
    slow_n: int
    slow_ms: int
    cpus: float
    memory: str


BASELINE_TARGET = Target(BASELINE, "baseline (nginx return 200)", "nginx, worker_processes auto")


def targets_for(timeline: Timeline, ids: Sequence[str]) -> list[Target]:
    chosen = [timeline.edition(i) for i in ids]
    ordered = [e for e in timeline.editions if e in chosen]
    return [BASELINE_TARGET,
            *(Target(e.id, f"{e.year} {e.framework.name}", f"{e.concurrency} ({e.server.name})")
              for e in ordered)]


def scalable(timeline: Timeline, exhibit_id: str) -> Edition:
    exhibit = timeline.edition(exhibit_id)
    if exhibit.scale is None:
        known = ", ".join(e.id for e in timeline.editions if e.scale)
        raise MuseumError(f"{exhibit_id} has no scale knob in timeline.yaml "
                          f"(scalable: {known})")
    return exhibit


def scale_targets(exhibit: Edition, counts: Sequence[int]) -> list[Target]:
    """The baseline and one copy of the exhibit per count, its server's knob set to it."""
    assert exhibit.scale is not None
    knob = exhibit.scale
    return [BASELINE_TARGET,
            *(Target(scaled_name(exhibit, n), f"{exhibit.id}, {knob.count(n)}",
                     f"{knob.count(n)} ({exhibit.server.name}; "
                     f"{' '.join(f'{k}={v}' for k, v in knob.environment(n).items())})")
              for n in counts)]


# -- Docker --------------------------------------------------------------------------------

def sh(command: Sequence[str], timeout: float = 600) -> str:
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
        raise MuseumError(f"{' '.join(command[:4])} failed: {detail[0]}")
    return done.stdout


def in_wrk(wrk: str, *command: str, timeout: float = 600) -> str:
    return sh(["docker", "exec", wrk, *command], timeout=timeout)


def cgroup_memory(container: str) -> int | None:
    """Resident memory (anonymous pages) of a container, from cgroup v1 or v2."""
    candidates = [
        (Path(f"/sys/fs/cgroup/memory/docker/{container}/memory.stat"), "total_rss"),
        (Path(f"/sys/fs/cgroup/memory/system.slice/docker-{container}.scope/memory.stat"),
         "total_rss"),
        (Path(f"/sys/fs/cgroup/system.slice/docker-{container}.scope/memory.stat"), "anon"),
        (Path(f"/sys/fs/cgroup/docker/{container}/memory.stat"), "anon"),
    ]
    for path, key in candidates:
        try:
            for line in path.read_text().splitlines():
                name, _, value = line.partition(" ")
                if name == key:
                    return int(value)
        except OSError:
            continue
    return None


class MemoryWatch:
    """Samples every target's resident memory while the load runs; keeps the peak."""

    def __init__(self, targets: Sequence[Target]) -> None:
        self.targets = targets
        self.peak: dict[str, int] = {}
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.loop, daemon=True)

    def loop(self) -> None:
        while not self.stop.wait(0.2):
            self.sample()

    def sample(self) -> None:
        for target in self.targets:
            value = cgroup_memory(target.container)
            if value is not None:
                self.peak[target.id] = max(value, self.peak.get(target.id, 0))

    def __enter__(self) -> MemoryWatch:
        self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop.set()
        self.thread.join()


def machine() -> dict[str, Any]:
    def version(*command: str) -> str:
        try:
            return sh(command, timeout=20).strip().splitlines()[0]
        except (MuseumError, IndexError, OSError):
            return "unknown"

    return {
        "cores": os.cpu_count(),
        "cpu": next((line.split(":", 1)[1].strip()
                     for line in Path("/proc/cpuinfo").read_text().splitlines()
                     if line.startswith("model name")), platform.processor())
        if Path("/proc/cpuinfo").exists() else platform.processor(),
        "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "kernel": platform.release(),
        "docker": version("docker", "version", "--format", "{{.Server.Version}}"),
        "compose": " ".join(docker.compose_command()),
        "cgroup": "v2" if Path("/sys/fs/cgroup/cgroup.controllers").exists() else "v1",
        "python": platform.python_version(),
    }


# -- the run -------------------------------------------------------------------------------

class Progress:
    def __init__(self, total: int, quiet: bool) -> None:
        self.total, self.done, self.quiet = total, 0, quiet
        self.origin = time.monotonic()

    def step(self, what: str) -> None:
        self.done += 1
        if self.quiet:
            return
        width = 30
        filled = width * self.done // max(self.total, 1)
        elapsed = time.monotonic() - self.origin
        print(f"\r[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} "
              f"{elapsed:4.0f}s {what[:40]:<40}", end="", file=sys.stderr, flush=True)

    def finish(self) -> None:
        if not self.quiet:
            print(file=sys.stderr)


def started_at(container: str) -> float:
    stamp = sh(["docker", "inspect", "--format", "{{.State.StartedAt}}", container]).strip()
    head, _, fraction = stamp.rstrip("Z").partition(".")
    when = datetime.fromisoformat(head).replace(tzinfo=UTC).timestamp()
    return when + float(f"0.{fraction[:9] or '0'}")


def start(target: Target, settings: Settings, cpuset: str | None) -> float:
    """Apply the limits, start the container, and time it to its first 200."""
    limits = ["--cpus", str(settings.cpus), "--memory", settings.memory,
              "--memory-swap", settings.memory]
    if cpuset:
        limits += ["--cpuset-cpus", cpuset]
    sh(["docker", "update", *limits, target.container])
    sh(["docker", "start", target.container])
    # Polled from here at the container's own address on the bench network (no published
    # port, no proxy): a poll through `docker exec` would add its own start-up to the time.
    address = sh(["docker", "inspect", "--format",
                   "{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}",
                   target.container]).split()[0]
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            request = urllib.request.Request(f"http://{address}:{CONTAINER_PORT}/hello",
                                             headers={"Host": HOST})
            with urllib.request.urlopen(request, timeout=2) as response:
                if response.status == 200:
                    return time.time() - started_at(target.container)
        except OSError:
            pass
        time.sleep(0.01)
    raise MuseumError(f"{target.id} did not answer /hello within 180 s of starting")


def settle(target: Target, wrk: str, limit: float = SETTLE) -> bool:
    """Wait until the target answers again once a load is over (a CGI server may still be
    working through forks the load left behind); False if it does not within the limit."""
    done = subprocess.run(["docker", "exec", wrk, "python3", "/bench/ready.py", target.url,
                           str(limit)], capture_output=True, timeout=limit + 30)
    return done.returncode == 0


def hello(target: Target, wrk: str, level: int, duration: int) -> WrkRun:
    result = parse_wrk(in_wrk(wrk, "wrk", "-t1", f"-c{level}", f"-d{duration}s", "--timeout",
                              "10s", "-H", f"Host: {HOST}", "--latency", f"{target.url}/hello",
                              timeout=duration + 60))
    settle(target, wrk)
    return result


def slow(target: Target, wrk: str, n: int, ms: int) -> float | None:
    limit = SETTLE + ms / 1000 * n
    try:
        out = json.loads(in_wrk(wrk, "python3", "/bench/slow.py", target.url, str(n), str(ms),
                                str(limit), timeout=limit + 30))
    except (MuseumError, subprocess.TimeoutExpired, ValueError):
        return None
    finally:
        settle(target, wrk)
    return float(out["wall"]) if out["answered"] == n else None


def count(target: Target, wrk: str) -> int | None:
    try:
        return int(in_wrk(wrk, "python3", "/bench/count.py", target.url, timeout=60))
    except (MuseumError, subprocess.TimeoutExpired, ValueError):
        return None


def write(target: Target, wrk: str, duration: int) -> dict[str, Any]:
    before = count(target, wrk)
    result = parse_wrk(in_wrk(wrk, "wrk", "-t1", f"-c{WRITE_CONNECTIONS}", f"-d{duration}s",
                              "--timeout", "10s", "-H", f"Host: {HOST}",
                              "-s", "/bench/post.lua",
                              f"{target.url}/guestbook",
                              timeout=duration + 60))
    settle(target, wrk)
    after = count(target, wrk)
    return {"rps": result.ok_rps, "accepted": result.ok,
            "stored": after - before if after is not None and before is not None else None,
            "errors": result.errors + result.non_2xx}


def rotate(items: Sequence[Target], by: int) -> list[Target]:
    """Each round starts with a different target, so that none always goes first."""
    by %= max(len(items), 1)
    return [*items[by:], *items[:by]]


def measure(targets: list[Target], wrk: str, settings: Settings,
            progress: Progress) -> dict[str, Any]:
    rps: dict[str, dict[int, list[float]]] = {t.id: {c: [] for c in settings.levels}
                                              for t in targets}
    lat: dict[str, dict[int, dict[str, list[float]]]] = {
        t.id: {c: {"p50": [], "p90": [], "p99": []} for c in settings.levels} for t in targets}
    errors: dict[str, int] = {t.id: 0 for t in targets}
    walls: dict[str, list[float]] = {t.id: [] for t in targets}
    incomplete: dict[str, int] = {t.id: 0 for t in targets}
    writes: dict[str, list[dict[str, Any]]] = {t.id: [] for t in targets if not t.baseline}
    with MemoryWatch(targets) as watch:
        for round_ in range(settings.rounds):
            for level in settings.levels:
                for target in rotate(targets, round_):
                    progress.step(f"hello c={level} {target.id}")
                    result = hello(target, wrk, level, settings.duration)
                    rps[target.id][level].append(result.ok_rps)
                    errors[target.id] += result.errors + result.non_2xx
                    for key, value in (result.latency if result.ok else {}).items():
                        lat[target.id][level][key].append(value)
            for target in rotate([t for t in targets if not t.baseline], round_):
                progress.step(f"slow n={settings.slow_n} {target.id}")
                wall = slow(target, wrk, settings.slow_n, settings.slow_ms)
                if wall is None:
                    incomplete[target.id] += 1
                else:
                    walls[target.id].append(wall)
            for target in rotate([t for t in targets if not t.baseline], round_):
                progress.step(f"write {target.id}")
                writes[target.id].append(write(target, wrk, settings.duration))
        peak = dict(watch.peak)

    def plain(summary: Summary | None) -> dict[str, Any] | None:
        return asdict(summary) if summary else None

    base = {c: summarise(rps[BASELINE][c]) for c in settings.levels}
    hello_out: dict[str, Any] = {}
    for target in targets:
        per_level: dict[str, Any] = {}
        for level in settings.levels:
            s = summarise(rps[target.id][level])
            b = base[level]
            per_level[str(level)] = {
                "rps": plain(s),
                "ratio": s.median / b.median if s and b and b.median else None,
                **{k: plain(summarise(v)) for k, v in lat[target.id][level].items()},
            }
        hello_out[target.id] = {"levels": per_level, "errors": errors[target.id]}
    write_out = {
        tid: {"rps": plain(summarise([r["rps"] for r in runs])),
              "accepted": sum(r["accepted"] for r in runs),
              "stored": None if any(r["stored"] is None for r in runs)
              else sum(r["stored"] for r in runs),
              "errors": sum(r["errors"] for r in runs),
              "exactly_once": None if any(r["stored"] is None for r in runs)
              else all(0 <= r["stored"] - r["accepted"] <= WRITE_CONNECTIONS for r in runs)}
        for tid, runs in writes.items()}
    return {
        "hello": hello_out,
        "slow": {tid: {"wall": plain(summarise(w)), "incomplete": incomplete[tid]}
                 for tid, w in walls.items() if tid != BASELINE},
        "write": write_out,
        "peak": peak,
    }


# -- TechEmpower ---------------------------------------------------------------------------

def cross_check(results: dict[str, Any], root: Path) -> dict[str, Any]:
    data = yaml.safe_load((root / "tools/bench/techempower.yaml").read_text())
    level = str(max(int(c) for c in results["settings"]["levels"]))
    ours: dict[str, float] = {}
    for exhibit_id, name in data["frameworks"].items():
        entry = results["hello"].get(exhibit_id)
        summary = entry and entry["levels"][level]["rps"]
        if summary:
            ours[name] = summary["median"]
    theirs = {name: float(v) for name, v in (data.get("figures") or {}).items()}
    common = sorted(set(ours) & set(theirs))
    check: dict[str, Any] = {"round": data.get("round"), "url": data.get("url"),
                             "frameworks": common, "level": int(level)}
    if len(common) < 3:
        check["rho"] = None
        check["note"] = (
            f"no trustworthy TechEmpower plaintext figures recorded for {len(common)} > 2 of the "
            "frameworks measured here (see tools/bench/techempower.yaml): no rank correlation"
            if theirs else
            "no trustworthy TechEmpower Round 22/23 plaintext figures were found; "
            "tools/bench/techempower.yaml says why: no rank correlation is claimed")
    else:
        check["rho"] = spearman([ours[n] for n in common], [theirs[n] for n in common])
        check["ours"] = {n: ours[n] for n in common}
        check["theirs"] = {n: theirs[n] for n in common}
    return check


# -- output --------------------------------------------------------------------------------

def once(write: dict[str, Any]) -> str:
    if write["exactly_once"] is None:
        return "unchecked"
    return "yes" if write["exactly_once"] else f"NO {write['stored']}/{write['accepted']}"


def report(results: dict[str, Any]) -> str:
    levels = [str(c) for c in results["settings"]["levels"]]
    headers = ["target", "workers", *[f"req/s c={c}" for c in levels], "x base",
               f"p99 c={levels[-1]}", "slow", "write/s", "once", "idle", "peak", "start"]
    rows = []
    for target in results["targets"]:
        tid = target["id"]
        hello_ = results["hello"][tid]["levels"]
        top = hello_[levels[-1]]
        slow_ = results["slow"].get(tid)
        wall = slow_["wall"] if slow_ else None
        wr = results["write"].get(tid)
        mem = results["memory"][tid]
        rows.append([
            tid, target["workers"],
            *[with_spread(Summary(**hello_[c]["rps"]) if hello_[c]["rps"] else None)
              for c in levels],
            f"{top['ratio']:.2f}" if top["ratio"] is not None else "-",
            human(top["p99"]["median"], "s") if top["p99"] else "none done",
            with_spread(Summary(**wall), "s") if wall else "incomplete" if slow_ else "-",
            with_spread(Summary(**wr["rps"])) if wr and wr["rps"] else "-",
            once(wr) if wr else "-",
            human(mem["idle"], "B"), human(mem["peak"], "B"),
            human(results["start"][tid], "s"),
        ])
    settings = results["settings"]
    m = results["machine"]
    lines = [
        f"museum bench ({results['mode']}), {results['measured']}: "
        f"{m['cores']} cores ({m['cpu']}), kernel {m['kernel']}, Docker {m['docker']}",
        f"each target limited to {settings['cpus']} CPU and {settings['memory']} memory; "
        f"wrk in its own container; {settings['rounds']} round(s) of {settings['duration']} s, "
        f"interleaved; medians ±half their range",
        "",
        table(headers, rows),
        "",
        f"slow: {settings['slow_n']} concurrent /slow?ms={settings['slow_ms']}, time until all "
        f"answered (ideal {settings['slow_ms'] / 1000:.2f} s); x base: req/s at "
        f"c={levels[-1]} over the baseline's; once: every accepted post stored, exactly once "
        f"(at most {WRITE_CONNECTIONS} more stored per run: posts in flight when wrk stopped)",
    ]
    if "scale" in results:
        sc = results["scale"]
        lines.append(f"scale: {sc['exhibit']} ({sc['server']}, {sc['concurrency']}) at "
                     f"{', '.join(map(str, sc['counts']))} {sc['unit']} side by side, its "
                     f"own setting being {sc['default']}; nothing pinned, wrk shares the "
                     "cores")
        return "\n".join(lines)
    te = results["techempower"]
    if te["rho"] is None:
        lines.append(f"TechEmpower cross-check: {te['note']}")
    else:
        lines.append(f"TechEmpower cross-check (round {te['round']}, {te['url']}): Spearman "
                     f"rho {te['rho']:.2f} over {', '.join(te['frameworks'])}")
    return "\n".join(lines)


def own_site(site: Site, project: str, scale: tuple[Edition, Sequence[int]] | None) -> Site:
    """The bench's own compose file: exhibits publish on a loopback address of the bench's,
    so that its project never collides with a museum or a test run on the same ports."""
    pid = os.getpid()
    bind = f"127.254.{(pid >> 8) & 255}.{max(2, pid & 255)}"
    path = Path(tempfile.gettempdir()) / f"{project}.compose.yaml"
    path.write_text(render(site.timeline, bind=bind, scale=scale))
    return replace(site, project=project, compose_file=path, host=bind)


def counts_from(text: str) -> tuple[int, ...]:
    try:
        counts = tuple(int(c) for c in text.split(","))
    except ValueError:
        raise MuseumError(
            f"--counts takes whole numbers separated by commas, not {text!r}") from None
    if not counts or min(counts) < 1 or len(set(counts)) != len(counts):
        raise MuseumError(f"--counts needs distinct numbers of at least 1, not {text!r}")
    return counts


def settings_from(args: argparse.Namespace) -> Settings:
    scale = bool(args.scale)
    levels = tuple(int(c) for c in args.levels.split(",")) if args.levels else (
        (1, 16, 64) if args.quick else (16, 64) if scale else (1, 16, 64, 256))
    # Scaling shows what more cores buy: the copies may use every core (wrk shares them);
    # otherwise every target gets one CPU, the same for all.
    cpus = args.cpus if args.cpus is not None else float(os.cpu_count() or 1) if scale else 1.0
    return Settings(
        levels=levels,
        duration=args.duration or (1 if args.quick else 5),
        rounds=args.rounds or (1 if args.quick else 3),
        slow_n=args.slow_n or (16 if args.quick else 32 if scale else 100),
        slow_ms=200,
        cpus=cpus,
        memory=args.memory,
    )


def redraw(path: Path, out: Path | None) -> ExitStatus:
    """Charts again from a results file, without measuring: after a change to the charts."""
    try:
        results = json.loads(path.read_text())
    except (OSError, ValueError) as error:
        raise MuseumError(f"{path}: cannot read bench results: {error}") from None
    from museum import benchchart

    out = out or path.parent
    written = (benchchart.draw_scale(results, out) if "scale" in results
               else benchchart.draw(results, out))
    print(f"wrote {', '.join(str(p) for p in written)}", file=sys.stderr)
    return ExitStatus.OK


def run(site: Site, args: argparse.Namespace) -> int:
    if args.redraw:
        return redraw(Path(args.redraw), Path(args.out) if args.out else None)
    timeline = site.timeline
    settings = settings_from(args)
    scale: tuple[Edition, tuple[int, ...]] | None = None
    if args.scale:
        if args.ids or args.quick:
            raise MuseumError("--scale measures one exhibit: name it with --scale alone")
        exhibit = scalable(timeline, args.scale)
        scale = (exhibit, counts_from(args.counts))
        targets = scale_targets(*scale)
        images = [exhibit.id]
    else:
        ids = args.ids or [e.id for e in (timeline.bench_quick if args.quick
                                          else [x.main for x in timeline.runnable])]
        targets = targets_for(timeline, ids)
        images = [t.id for t in targets]
    docker.require_engine()
    root = site.root
    services = [t.id for t in targets]
    cores = os.cpu_count() or 1
    # The targets share the last core, wrk has the others; on one core they share it. When
    # scaling, nothing is pinned: the copies may use every core and wrk shares them.
    target_cpus, wrk_cpus = ((str(cores - 1), f"0-{cores - 2}") if cores > 1 and not scale
                             else (None, None))
    measured = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    bench_site = own_site(site, args.project, scale)
    compose = docker.Docker.for_site(bench_site)
    if True:
        # wrk's image always (cached, it holds this checkout's scripts); the others if missing.
        missing = [s for s in [*images, WRK]
                   if s == WRK or args.build or not docker.image_exists(f"museum/{s}:latest")]
        missing = [m for m in missing if m == WRK or m in {t.id for t in targets}
                   or m in images]
        if missing != [WRK]:
            print(f"building {', '.join(missing)} ...", file=sys.stderr)
            compose.compose(["build", *missing])
        try:
            compose.compose(["up", "-d", "--no-build", WRK])
            compose.compose(["up", "--no-start", "--no-build", *services])
            wrk = compose.container(WRK)
            if wrk_cpus:
                sh(["docker", "update", "--cpuset-cpus", wrk_cpus, wrk])
            targets = [Target(t.id, t.label, t.workers,
                              sh(["docker", "inspect", "--format", "{{.Id}}",
                                   compose.container(t.id)]).strip())
                       for t in targets]
            steps = len(targets) * (1 + settings.rounds * (len(settings.levels) + 2)) - (
                2 * settings.rounds)
            progress = Progress(steps, args.quiet)
            start_s: dict[str, float] = {}
            idle: dict[str, int | None] = {}
            for target in targets:
                progress.step(f"start {target.id}")
                start_s[target.id] = start(target, settings, target_cpus)
            time.sleep(1.0)
            for target in targets:
                idle[target.id] = cgroup_memory(target.container)
            measured_ = measure(targets, wrk, settings, progress)
            progress.finish()
        finally:
            if not args.keep:
                compose.compose(["down", "--volumes", "--remove-orphans"], check=False)
    results: dict[str, Any] = {
        "measured": measured,
        "mode": "scale" if scale else "quick" if args.quick else "full",
        "machine": machine(),
        "settings": asdict(settings),
        "targets": [{"id": t.id, "label": t.label, "workers": t.workers,
                     "baseline": t.baseline} for t in targets],
        "hello": measured_["hello"],
        "slow": measured_["slow"],
        "write": measured_["write"],
        "memory": {t.id: {"idle": idle[t.id], "peak": max(measured_["peak"].get(t.id, 0),
                                                          idle[t.id] or 0) or None}
                   for t in targets},
        "start": start_s,
    }
    if scale:
        exhibit, counts = scale
        assert exhibit.scale is not None
        results["scale"] = {"exhibit": exhibit.id, "unit": exhibit.scale.unit,
                            "one": exhibit.scale.count(1).split(" ", 1)[1],
                            "counts": list(counts), "default": exhibit.scale.default,
                            "server": str(exhibit.server),
                            "concurrency": exhibit.concurrency,
                            "targets": [scaled_name(exhibit, n) for n in counts]}
    else:
        results["techempower"] = cross_check(results, root)
    out = Path(args.out) if args.out else root / "artifacts" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    stem = f"scale-{scale[0].id}" if scale else "results"
    (out / f"{stem}.json").write_text(json.dumps(results, indent=2) + "\n")
    print(report(results))
    written = [out / f"{stem}.json"]
    if not args.no_charts:
        try:
            from museum import benchchart
        except ImportError:
            print("charts skipped: matplotlib is not installed (pip install -e '.[bench]')",
                  file=sys.stderr)
        else:
            written += (benchchart.draw_scale(results, out) if scale
                        else benchchart.draw(results, out))
    print(f"wrote {', '.join(str(p) for p in written)}", file=sys.stderr)
    return ExitStatus.OK


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("ids", nargs="*", metavar="ID",
                        help="exhibits to measure (default: the whole timeline; "
                        "--quick: the exhibits timeline.yaml marks bench_quick); the baseline "
                        "always runs")
    parser.add_argument("--quick", action="store_true",
                        help="a few exhibits, one round of 1 s: under a minute, for the stage")
    parser.add_argument("--duration", type=int, help="seconds per wrk run (quick 1, full 5)")
    parser.add_argument("--rounds", type=int, help="interleaved rounds (quick 1, full 3)")
    parser.add_argument("--levels", help="concurrency levels for /hello (quick 1,16,64; "
                        "full 1,16,64,256; scale 16,64)")
    parser.add_argument("--slow-n", type=int, help="concurrent /slow requests (quick 16, "
                        "full 100, scale 32)")
    parser.add_argument("--scale", metavar="ID",
                        help="one exhibit at several worker or thread counts (its server's "
                        "knob in timeline.yaml), side by side")
    parser.add_argument("--counts", default="1,2,4", help="the counts for --scale (1,2,4)")
    parser.add_argument("--cpus", type=float, help="CPU limit of every target (1; with "
                        "--scale, every core)")
    parser.add_argument("--memory", default="1g", help="memory limit of every target")
    parser.add_argument("--project", default=PROJECT, help="the Compose project to run in")
    parser.add_argument("--out", help="folder for results.json (scale-ID.json) and charts "
                        "(default artifacts/bench)")
    parser.add_argument("--build", action="store_true", help="rebuild the images first")
    parser.add_argument("--keep", action="store_true", help="leave the containers running")
    parser.add_argument("--no-charts", action="store_true")
    parser.add_argument("--redraw", metavar="JSON", help="draw the charts again from a "
                        "results file (beside it, or in --out), measuring nothing")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
