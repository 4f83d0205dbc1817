"""`museum bench`'s charts, PNG and SVG; the only module that imports matplotlib."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from museum.bench.results import Entry, Results, Summary  # noqa: E402

plt.rcParams["svg.fonttype"] = "none"  # SVG text stays text: readable, searchable, smaller
plt.rcParams["svg.hashsalt"] = "museum"  # the same figures draw the same SVG

BASE_COLOUR = "#888888"
COLOUR = "#3b6ea5"
THEN_COLOUR = "#b5651d"
NOW_COLOUR = COLOUR
PEAK_COLOUR = "#e6a157"
IDEAL_COLOUR = "#c0392b"
MISSING_COLOUR = "#a31515"
SHADES = ("#9ecae1", "#4292c6", "#08306b", "#041a3a")
MiB = 2**20


def subtitle(results: Results, whiskers: bool = True) -> str:
    m, s = results.machine, results.settings
    return (f"{results.measured}, {m.cores} cores, kernel {m.kernel}, Docker {m.docker};\n"
            f"{s.cpus} CPU / {s.memory} per target; {s.rounds} round(s) of {s.duration} s; "
            + ("bars: median, whiskers: range" if whiskers else "bars: median"))


def save(figure: Any, out: Path, name: str) -> list[Path]:
    paths = [out / f"{name}.png", out / f"{name}.svg"]
    figure.tight_layout()
    for path in paths:
        figure.savefig(path, dpi=110, metadata={"Date": None} if path.suffix == ".svg" else {})
    plt.close(figure)
    return paths


def median(summary: Summary | None, scale: float = 1.0) -> float:
    return summary.median * scale if summary else 0.0


def whiskers(summaries: Sequence[Summary | None],
             scale: float = 1.0) -> list[list[float]]:
    return [[(s.median - s.low) * scale if s else 0.0 for s in summaries],
            [(s.high - s.median) * scale if s else 0.0 for s in summaries]]


def bars(ax: Any, labels: list[str], summaries: list[Summary | None], colours: list[str],
         scale: float = 1.0, missing: str = "none answered") -> None:
    medians = [median(s, scale) for s in summaries]
    ax.barh(labels, medians, xerr=whiskers(summaries, scale), color=colours, capsize=2)
    for n, (value, summary) in enumerate(zip(medians, summaries, strict=True)):
        text = (missing if summary is None or summary.median == 0 else
                f"{value:,.0f}" if value >= 10 else f"{value:.2f}")
        ax.text(value, n, f" {text}", va="center", fontsize=7,
                color=MISSING_COLOUR if text == missing else "black")
    if not ax.yaxis_inverted():  # axes sharing y share the inversion: once, timeline order
        ax.invert_yaxis()


def connections(n: int) -> str:
    return f"{n} connection{'s' if n != 1 else ''}"


def draw(results: Results, out: Path) -> list[Path]:
    """Throughput, latency, /slow and memory of every target; then and now for each exhibit
    whose two editions were both measured."""
    entries = results.entries
    labels = [e.target.name for e in entries]
    colours = [BASE_COLOUR if e.target.baseline else COLOUR for e in entries]
    s = results.settings
    height = 1.2 + 0.32 * len(entries)
    written: list[Path] = []

    figure, axes = plt.subplots(1, len(s.levels), figsize=(3.2 * len(s.levels), height),
                                sharey=True, squeeze=False)
    for ax, level in zip(axes[0], s.levels, strict=True):
        bars(ax, labels, [e.level(level).rps for e in entries], colours)
        ax.set_title(f"GET /hello, {connections(level)}", fontsize=9)
        ax.set_xscale("symlog", linthresh=10)
        ax.set_xlabel("requests per second (log scale)")
    figure.suptitle("Throughput by exhibit, timeline order (grey: the nginx baseline)\n"
                    + subtitle(results), fontsize=8)
    written += save(figure, out, "throughput")

    figure, ax = plt.subplots(figsize=(8, height))
    for offset, (key, shade) in enumerate((("p50", SHADES[0]), ("p90", SHADES[1]),
                                           ("p99", SHADES[2]))):
        values = [median(getattr(e.level(s.top), key), 1000) for e in entries]
        ax.barh([n + (offset - 1) * 0.27 for n in range(len(labels))], values, height=0.27,
                color=shade, label=key)
    ax.set_yticks(range(len(labels)), labels)
    ax.invert_yaxis()
    ax.set_xscale("log")
    ax.set_xlabel("milliseconds (log scale)")
    ax.legend(fontsize=8)
    ax.set_title(f"Latency percentiles of GET /hello at {s.top} connections\n"
                 + subtitle(results, whiskers=False), fontsize=8)
    written += save(figure, out, "latency")

    figure, ax = plt.subplots(figsize=(8, height))
    exhibits = results.exhibits
    bars(ax, [e.target.name for e in exhibits], [e.slow.wall if e.slow else None
                                                for e in exhibits],
         [COLOUR] * len(exhibits), missing="not all answered")
    ax.axvline(s.slow_ms / 1000, color=IDEAL_COLOUR, linestyle="--", label="ideal")
    ax.set_xlabel("seconds until all were answered")
    ax.legend(fontsize=8)
    ax.set_title(f"{s.slow_n} concurrent GET /slow?ms={s.slow_ms}\n" + subtitle(results),
                 fontsize=8)
    written += save(figure, out, "slow")

    figure, ax = plt.subplots(figsize=(8, height))
    idle = [(e.memory.idle or 0) / MiB for e in entries]
    peak = [(e.memory.peak or 0) / MiB for e in entries]
    ax.barh([n + 0.2 for n in range(len(labels))], peak, height=0.4, color=PEAK_COLOUR,
            label="peak under load")
    ax.barh([n - 0.2 for n in range(len(labels))], idle, height=0.4, color=COLOUR,
            label="idle")
    ax.set_yticks(range(len(labels)), labels)
    ax.invert_yaxis()
    ax.set_xlabel("resident memory, MiB (cgroup)")
    ax.legend(fontsize=8)
    ax.set_title("Memory, idle and at peak\n" + subtitle(results, whiskers=False), fontsize=8)
    written += save(figure, out, "memory")

    for then, now in results.then_and_now():
        written += draw_then_and_now(results, then, now, out)
    return written


def draw_then_and_now(results: Results, then: Entry, now: Entry, out: Path) -> list[Path]:
    """One exhibit's two editions side by side: throughput at every level, the /slow time
    against the ideal, and memory idle and at peak."""
    s = results.settings
    exhibit = then.target.exhibit or then.target.id
    pair = (then, now)
    names = [f"then: {then.target.label}", f"now: {now.target.label}"]
    colours = [THEN_COLOUR, NOW_COLOUR]
    figure, (rps_ax, slow_ax, mem_ax) = plt.subplots(1, 3, figsize=(13, 4.4))

    x = list(range(len(s.levels)))
    width = 0.4
    for n, (entry, name, colour) in enumerate(zip(pair, names, colours, strict=True)):
        summaries = [entry.level(c).rps for c in s.levels]
        offsets = [i + (n - 0.5) * width for i in x]
        rps_ax.bar(offsets, [median(m) for m in summaries], width=width, color=colour,
                   yerr=whiskers(summaries), capsize=2, label=name)
        for i, summary in zip(offsets, summaries, strict=True):
            rps_ax.text(i, median(summary), f"{median(summary):,.0f}" if summary and
                        summary.median else "none", ha="center", va="bottom", fontsize=7,
                        color="black" if summary and summary.median else MISSING_COLOUR)
    rps_ax.set_xticks(x, [str(c) for c in s.levels])
    rps_ax.set_xlabel("keep-alive connections")
    rps_ax.set_title("GET /hello, requests per second", fontsize=9)
    rps_ax.legend(fontsize=7, loc="upper left")

    walls = [e.slow.wall if e.slow else None for e in pair]
    slow_ax.bar([0, 1], [median(w) for w in walls], color=colours, yerr=whiskers(walls),
                capsize=3)
    for n, wall in enumerate(walls):
        slow_ax.text(n, median(wall), f"{wall.median:.2f} s" if wall else "not all answered",
                     ha="center", va="bottom", fontsize=8,
                     color="black" if wall else MISSING_COLOUR)
    slow_ax.axhline(s.slow_ms / 1000, color=IDEAL_COLOUR, linestyle="--", label="ideal")
    slow_ax.set_xticks([0, 1], ["then", "now"])
    slow_ax.set_title(f"{s.slow_n} concurrent /slow?ms={s.slow_ms}: seconds until all "
                      "answered", fontsize=9)
    slow_ax.legend(fontsize=7, loc="lower right")

    idle = [(e.memory.idle or 0) / MiB for e in pair]
    peak = [(e.memory.peak or 0) / MiB for e in pair]
    mem_ax.bar([-0.2, 0.8], idle, width=0.4, color=colours, label="idle")
    mem_ax.bar([0.2, 1.2], peak, width=0.4, color=colours, alpha=0.5, hatch="//",
               label="peak under load")
    for n, (rest, top) in enumerate(zip(idle, peak, strict=True)):
        mem_ax.text(n - 0.2, rest, f"{rest:.0f}", ha="center", va="bottom", fontsize=7)
        mem_ax.text(n + 0.2, top, f"{top:.0f}", ha="center", va="bottom", fontsize=7)
    mem_ax.set_xticks([0, 1], ["then", "now"])
    for ax in (rps_ax, slow_ax, mem_ax):
        ax.margins(y=0.12)  # room for the figures above the bars
    mem_ax.set_title("resident memory, MiB (cgroup): idle, and at peak (hatched)", fontsize=9)

    figure.suptitle(f"{exhibit}, then and now: {then.target.label}, {then.target.workers}, "
                    f"beside {now.target.label}, {now.target.workers}\n" + subtitle(results),
                    fontsize=8)
    return save(figure, out, f"then-and-now-{exhibit}")


def draw_scale(results: Results, out: Path) -> list[Path]:
    """One edition at several worker or thread counts: throughput, /slow and memory."""
    scale, s = results.scale, results.settings
    assert scale is not None
    counts = list(scale.counts)
    copies = [results.entry(i) for i in scale.targets]
    base = results.baseline
    x = list(range(len(counts)))
    figure, (rps_ax, slow_ax, mem_ax) = plt.subplots(1, 3, figsize=(12, 4))

    for level, shade in zip(s.levels, SHADES, strict=False):
        summaries = [e.level(level).rps for e in copies]
        rps_ax.errorbar(x, [median(m) for m in summaries], yerr=whiskers(summaries),
                        marker="o", capsize=3, color=shade, label=connections(level))
        top = base.level(level).rps if base else None
        if top and level == s.top:
            rps_ax.set_title(f"GET /hello, req/s (baseline at {level}: {top.median:,.0f})",
                             fontsize=9)
    rps_ax.set_ylim(bottom=0)
    rps_ax.legend(fontsize=8)

    walls = [e.slow.wall if e.slow else None for e in copies]
    slow_ax.bar(x, [median(w) for w in walls], color=COLOUR, yerr=whiskers(walls), capsize=3)
    for n, w in enumerate(walls):
        slow_ax.text(n, median(w), f"{w.median:.2f} s" if w else "incomplete", ha="center",
                     va="bottom", fontsize=8)
    ideal = s.slow_ms / 1000
    slow_ax.axhline(ideal, color=IDEAL_COLOUR, linestyle="--", label="ideal: all at once")
    slow_ax.plot(x, [-(-s.slow_n // c) * ideal for c in counts], color="#7f7f7f",
                 linestyle=":", marker="_", label=f"one at a time per {scale.one}")
    slow_ax.set_title(f"{s.slow_n} concurrent /slow?ms={s.slow_ms}: seconds until all "
                      "answered", fontsize=9)
    slow_ax.legend(fontsize=8)

    idle = [(e.memory.idle or 0) / MiB for e in copies]
    peak = [(e.memory.peak or 0) / MiB for e in copies]
    mem_ax.bar([n - 0.2 for n in x], idle, width=0.4, color=COLOUR, label="idle")
    mem_ax.bar([n + 0.2 for n in x], peak, width=0.4, color=PEAK_COLOUR,
               label="peak under load")
    mem_ax.set_title("resident memory, MiB (cgroup)", fontsize=9)
    mem_ax.legend(fontsize=8)

    for ax in (rps_ax, slow_ax, mem_ax):
        ax.set_xticks(x, [str(c) for c in counts])
        ax.set_xlabel(scale.unit)
    figure.suptitle(f"{scale.exhibit} ({scale.server}, {scale.concurrency}) at "
                    f"{', '.join(map(str, counts))} {scale.unit}; its own setting: "
                    f"{scale.default}\n" + subtitle(results) + "; nothing pinned, wrk "
                    "shares the cores", fontsize=8)
    return save(figure, out, f"scale-{scale.exhibit}")


def draw_any(results: Results, out: Path) -> list[Path]:
    """The charts of a results file: the scale chart of a --scale run, the then-and-now
    chart of a --then-and-now run, the timeline's charts of any other."""
    if results.scale is not None:
        return draw_scale(results, out)
    if results.mode == "then-and-now":
        return [path for then, now in results.then_and_now()
                for path in draw_then_and_now(results, then, now, out)]
    return draw(results, out)
