"""`museum bench`'s report: the machine, the settings, one row a target, and the legend."""

from __future__ import annotations

from collections.abc import Sequence

from museum.bench import techempower
from museum.bench.measure import WRITE_CONNECTIONS
from museum.bench.results import Entry, Results, Summary, Write


def human(value: float | None, unit: str = "") -> str:
    if value is None:
        return "-"
    if unit == "s":
        return f"{value * 1000:.1f}ms" if value < 1 else f"{value:.2f}s"
    if unit == "B":
        return f"{value / 2**20:.0f}M"
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def with_spread(summary: Summary | None, unit: str = "") -> str:
    if summary is None:
        return "-"
    text = human(summary.median, unit)
    return f"{text} ±{summary.spread * 100:.0f}%" if summary.n > 1 else text


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A plain text table: the first column left-aligned, the others right-aligned."""
    widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                         for i, (c, w) in enumerate(zip(cells, widths, strict=True))).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths]), *map(line, rows)])


def once(write: Write) -> str:
    if write.exactly_once is None:
        return "unchecked"
    return "yes" if write.exactly_once else f"NO {write.stored}/{write.accepted}"


def holds(entry: Entry, levels: Sequence[int]) -> str:
    """The most idle connections it held: "1000", "100", "<10"; "-" when not measured."""
    most = entry.holds
    if most is None:
        return "-"
    if not most:
        return f"<{min(levels)}"
    return f"{most} closed" if entry.closes else str(most)


def edition(entry: Entry) -> str:
    t = entry.target
    if t.baseline or t.edition is None:
        return "-"
    return f"{t.edition} {t.python}" if t.python else t.edition


def row(entry: Entry, results: Results) -> list[str]:
    s = results.settings
    top = entry.level(s.top)
    slow, write = entry.slow, entry.write
    return [
        entry.target.id, edition(entry), entry.target.workers,
        *[with_spread(entry.level(c).rps) for c in s.levels],
        f"{top.ratio:.2f}" if top.ratio is not None else "-",
        human(top.p99.median, "s") if top.p99 else "none done",
        (with_spread(slow.wall, "s") if slow.wall else "incomplete") if slow else "-",
        with_spread(write.rps) if write and write.rps else "-",
        once(write) if write else "-",
        *([holds(entry, s.idle)] if s.idle else []),
        human(entry.memory.idle, "B"), human(entry.memory.peak, "B"),
        human(entry.start, "s"),
    ]


def render(results: Results, cross: techempower.CrossCheck | None = None) -> str:
    s, m = results.settings, results.machine
    headers = ["target", "edition", "workers", *[f"req/s c={c}" for c in s.levels], "x base",
               f"p99 c={s.top}", "slow", "write/s", "once",
               *(["idle conns"] if s.idle else []), "mem idle", "mem peak", "start"]
    lines = [
        f"museum bench ({results.mode}), {results.measured}: "
        f"{m.cores} cores ({m.cpu}), kernel {m.kernel}, Docker {m.docker}",
        f"each target limited to {s.cpus} CPU and {s.memory} memory; wrk in its own "
        f"container; {s.rounds} round(s) of {s.duration} s, interleaved; medians ±half their "
        "range",
    ]
    if results.note:
        lines.append(results.note)
    lines += [
        "",
        table(headers, [row(e, results) for e in results.entries]),
        "",
        f"slow: {s.slow_n} concurrent /slow?ms={s.slow_ms}, time until all answered (ideal "
        f"{s.slow_ms / 1000:.2f} s); x base: req/s at c={s.top} over the baseline's; once: "
        "every accepted post stored, exactly once (at most "
        f"{WRITE_CONNECTIONS} more stored per run: posts in flight when wrk stopped)",
    ]
    if s.idle:
        lines.append(
            f"idle conns: the most idle keep-alive connections (of {', '.join(map(str, s.idle))})"
            f" held open while GET /hello still answered within {s.idle_limit:g} s; closed: the "
            "server closed each after its answer instead of keeping it alive")
    if results.scale is not None:
        sc = results.scale
        lines.append(f"scale: {sc.exhibit} ({sc.server}, {sc.concurrency}) at "
                     f"{', '.join(map(str, sc.counts))} {sc.unit} side by side, its own "
                     f"setting being {sc.default}; nothing pinned, wrk shares the cores")
    if cross is not None:
        lines += ["", *techempower.summary(cross)]
    return "\n".join(lines)
