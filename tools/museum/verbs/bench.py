"""`museum bench`: sync against async, measured live on the exhibits' editions under the same
limits, from inside the Compose network, against Debian's nginx as the machine's baseline.
The work is done by the museum.bench package; this module is the command line."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from museum.bench import report
from museum.bench.measure import measure
from museum.bench.plan import CHOICES, IDLE_LEVELS, Request, plan
from museum.bench.results import Results
from museum.bench.stage import PROJECT
from museum.bench.techempower import Reference, cross_check
from museum.errors import ExitStatus
from museum.site import Site


def request_from(args: argparse.Namespace) -> Request:
    return Request(ids=tuple(args.ids), editions=args.editions, quick=args.quick,
                   then_and_now=args.then_and_now, scale=args.scale, counts=args.counts,
                   levels=args.levels, duration=args.duration, rounds=args.rounds,
                   slow_n=args.slow_n, idle=args.idle, cpus=args.cpus, memory=args.memory)


def charts(results: Results, out: Path) -> list[Path]:
    try:
        from museum.bench import charts
    except ImportError:
        print("charts skipped: matplotlib is not installed (pip install -e '.[bench]')",
              file=sys.stderr)
        return []
    return charts.draw_any(results, out)


def show(results: Results, site: Site) -> None:
    check = cross_check(results, Reference.load(site.root))
    print(report.render(results, check))


def redraw(site: Site, path: Path, out: Path | None) -> int:
    """The report and charts again from a results file, measuring nothing."""
    results = Results.load(path)
    show(results, site)
    written = charts(results, out or path.parent)
    print(f"wrote {', '.join(str(p) for p in written)}", file=sys.stderr)
    return ExitStatus.OK


def run(site: Site, args: argparse.Namespace) -> int:
    if args.redraw:
        return redraw(site, Path(args.redraw), Path(args.out) if args.out else None)
    chosen = plan(site.timeline, request_from(args), os.cpu_count() or 1)
    results = measure(site, chosen, project=args.project, build=args.build, keep=args.keep,
                      quiet=args.quiet)
    out = Path(args.out) if args.out else site.root / "artifacts" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    results.dump(out / f"{chosen.stem}.json")
    show(results, site)
    written = [out / f"{chosen.stem}.json"]
    if not args.no_charts:
        written += charts(results, out)
    print(f"wrote {', '.join(str(p) for p in written)}", file=sys.stderr)
    return ExitStatus.OK


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("ids", nargs="*", metavar="ID",
                        help="exhibits (their editions as --editions says) or editions "
                        "(flask-2010-now) to measure; default: the whole timeline, or with "
                        "--quick the exhibits timeline.yaml marks bench_quick; the baseline "
                        "always runs")
    parser.add_argument("--editions", choices=CHOICES,
                        help="then: each exhibit's main edition, its then edition where it "
                        "has one (the default); now: today's editions; all: both")
    parser.add_argument("--quick", action="store_true",
                        help="the bench_quick exhibits, one round of 1 s: a minute or two, "
                        "for the stage")
    parser.add_argument("--then-and-now", metavar="ID",
                        help="one exhibit's then and now editions side by side, and their "
                        "chart (then-and-now-ID)")
    parser.add_argument("--scale", metavar="ID",
                        help="one edition at several worker or thread counts (its server's "
                        "knob in timeline.yaml), side by side")
    parser.add_argument("--counts", default="1,2,4", help="the counts for --scale (1,2,4)")
    parser.add_argument("--duration", type=int, help="seconds per wrk run (quick 1, full 5)")
    parser.add_argument("--rounds", type=int, help="interleaved rounds (quick 1, full 3)")
    parser.add_argument("--levels", help="concurrency levels for /hello (quick 1,16,64; "
                        "full 1,16,64,256; scale 16,64)")
    parser.add_argument("--slow-n", type=int, help="concurrent /slow requests (quick 16, "
                        "full 100, scale 32)")
    parser.add_argument("--idle", help="idle keep-alive connections to hold while GET /hello "
                        f"must answer within 1 s ({','.join(map(str, IDLE_LEVELS))}; "
                        "0 to skip)")
    parser.add_argument("--cpus", type=float, help="CPU limit of every target (1; with "
                        "--scale, every core)")
    parser.add_argument("--memory", default="1g", help="memory limit of every target")
    parser.add_argument("--project", default=PROJECT, help="the Compose project to run in")
    parser.add_argument("--out", help="folder for the results (results.json, scale-ID.json, "
                        "then-and-now-ID.json) and charts (default artifacts/bench)")
    parser.add_argument("--build", action="store_true", help="rebuild the images first")
    parser.add_argument("--keep", action="store_true", help="leave the containers running")
    parser.add_argument("--no-charts", action="store_true")
    parser.add_argument("--redraw", metavar="JSON", help="the report and charts again from a "
                        "results file (beside it, or in --out), measuring nothing")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
