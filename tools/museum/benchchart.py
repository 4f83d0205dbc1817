"""`museum bench`'s charts, PNG and SVG; the only module that imports matplotlib."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

plt.rcParams["svg.fonttype"] = "none"  # SVG text stays text: readable, searchable, smaller

BASE_COLOUR = "#888888"
COLOUR = "#3b6ea5"


def subtitle(results: dict[str, Any], whiskers: bool = True) -> str:
    m, s = results["machine"], results["settings"]
    return (f"{results['measured']}, {m['cores']} cores, kernel {m['kernel']}, Docker "
            f"{m['docker']};\n{s['cpus']} CPU / {s['memory']} per target; "
            f"{s['rounds']} round(s) of {s['duration']} s; "
            + ("bars: median, whiskers: range" if whiskers else "bars: median"))


def save(figure: Any, out: Path, name: str) -> list[Path]:
    paths = [out / f"{name}.png", out / f"{name}.svg"]
    figure.tight_layout()
    for path in paths:
        figure.savefig(path, dpi=110)
    plt.close(figure)
    return paths


def bars(ax: Any, labels: list[str], summaries: list[dict[str, Any] | None],
         colours: list[str], scale: float = 1.0, missing: str = "none answered") -> None:
    medians = [s["median"] * scale if s else 0.0 for s in summaries]
    low = [(s["median"] - s["low"]) * scale if s else 0.0 for s in summaries]
    high = [(s["high"] - s["median"]) * scale if s else 0.0 for s in summaries]
    ax.barh(labels, medians, xerr=[low, high], color=colours, capsize=2)
    for n, (value, summary) in enumerate(zip(medians, summaries, strict=True)):
        text = (missing if summary is None or summary["median"] == 0 else
                f"{value:,.0f}" if value >= 10 else f"{value:.2f}")
        ax.text(value, n, f" {text}", va="center", fontsize=7,
                color="#a31515" if text == missing else "black")
    if not ax.yaxis_inverted():  # axes sharing y share the inversion: once, timeline order
        ax.invert_yaxis()


def draw(results: dict[str, Any], out: Path) -> list[Path]:
    targets = results["targets"]
    labels = [t["id"] for t in targets]
    colours = [BASE_COLOUR if t["baseline"] else COLOUR for t in targets]
    levels = [str(c) for c in results["settings"]["levels"]]
    top = levels[-1]
    height = 1.2 + 0.32 * len(targets)
    written: list[Path] = []

    figure, axes = plt.subplots(1, len(levels), figsize=(3.2 * len(levels), height),
                                sharey=True, squeeze=False)
    for ax, level in zip(axes[0], levels, strict=True):
        bars(ax, labels, [results["hello"][i]["levels"][level]["rps"] for i in labels], colours)
        ax.set_title(f"GET /hello, {level} connection{'s' if level != '1' else ''}",
                     fontsize=9)
        ax.set_xscale("symlog", linthresh=10)
        ax.set_xlabel("requests per second (log scale)")
    figure.suptitle("Throughput by exhibit, timeline order (grey: the nginx baseline)\n"
                    + subtitle(results), fontsize=8)
    written += save(figure, out, "throughput")

    figure, ax = plt.subplots(figsize=(8, height))
    for offset, (key, shade) in enumerate((("p50", "#9ecae1"), ("p90", "#4292c6"),
                                           ("p99", "#08306b"))):
        values = [(results["hello"][i]["levels"][top][key] or {}).get("median", 0) * 1000
                  for i in labels]
        ax.barh([n + (offset - 1) * 0.27 for n in range(len(labels))], values, height=0.27,
                color=shade, label=key)
    ax.set_yticks(range(len(labels)), labels)
    ax.invert_yaxis()
    ax.set_xscale("log")
    ax.set_xlabel("milliseconds (log scale)")
    ax.legend(fontsize=8)
    ax.set_title(f"Latency percentiles of GET /hello at {top} connections\n"
                 + subtitle(results, whiskers=False), fontsize=8)
    written += save(figure, out, "latency")

    s = results["settings"]
    figure, ax = plt.subplots(figsize=(8, height))
    exhibits = [t["id"] for t in targets if not t["baseline"]]
    bars(ax, exhibits, [results["slow"][i]["wall"] for i in exhibits], [COLOUR] * len(exhibits),
         missing="not all answered")
    ax.axvline(s["slow_ms"] / 1000, color="#c0392b", linestyle="--", label="ideal")
    ax.set_xlabel("seconds until all were answered")
    ax.legend(fontsize=8)
    ax.set_title(f"{s['slow_n']} concurrent GET /slow?ms={s['slow_ms']}\n" + subtitle(results),
                 fontsize=8)
    written += save(figure, out, "slow")

    figure, ax = plt.subplots(figsize=(8, height))
    idle = [(results["memory"][i]["idle"] or 0) / 2**20 for i in labels]
    peak = [(results["memory"][i]["peak"] or 0) / 2**20 for i in labels]
    ax.barh([n + 0.2 for n in range(len(labels))], peak, height=0.4, color="#e6a157",
            label="peak under load")
    ax.barh([n - 0.2 for n in range(len(labels))], idle, height=0.4, color=COLOUR, label="idle")
    ax.set_yticks(range(len(labels)), labels)
    ax.invert_yaxis()
    ax.set_xlabel("resident memory, MiB (cgroup)")
    ax.legend(fontsize=8)
    ax.set_title("Memory, idle and at peak\n" + subtitle(results, whiskers=False), fontsize=8)
    written += save(figure, out, "memory")
    return written


def draw_scale(results: dict[str, Any], out: Path) -> list[Path]:
    """One exhibit at several worker or thread counts: throughput, /slow and memory."""
    scale, s = results["scale"], results["settings"]
    counts, ids = scale["counts"], scale["targets"]
    baseline = next(t["id"] for t in results["targets"] if t["baseline"])
    x = list(range(len(counts)))
    figure, (rps_ax, slow_ax, mem_ax) = plt.subplots(1, 3, figsize=(12, 4))

    for level, shade in zip([str(c) for c in s["levels"]],
                            ("#9ecae1", "#4292c6", "#08306b", "#041a3a"), strict=False):
        summaries = [results["hello"][i]["levels"][level]["rps"] for i in ids]
        medians = [m["median"] if m else 0.0 for m in summaries]
        spread = [[m["median"] - m["low"] if m else 0.0 for m in summaries],
                  [m["high"] - m["median"] if m else 0.0 for m in summaries]]
        rps_ax.errorbar(x, medians, yerr=spread, marker="o", capsize=3, color=shade,
                        label=f"{level} connection{'s' if level != '1' else ''}")
        base = results["hello"][baseline]["levels"][level]["rps"]
        if base and level == str(s["levels"][-1]):
            rps_ax.set_title(f"GET /hello, req/s (baseline at {level}: "
                             f"{base['median']:,.0f})", fontsize=9)
    rps_ax.set_ylim(bottom=0)
    rps_ax.legend(fontsize=8)

    walls = [results["slow"][i]["wall"] for i in ids]
    slow_ax.bar(x, [w["median"] if w else 0.0 for w in walls], color=COLOUR,
                yerr=[[w["median"] - w["low"] if w else 0.0 for w in walls],
                      [w["high"] - w["median"] if w else 0.0 for w in walls]], capsize=3)
    for n, w in enumerate(walls):
        slow_ax.text(n, w["median"] if w else 0.0, f"{w['median']:.2f} s" if w else
                     "incomplete", ha="center", va="bottom", fontsize=8)
    ideal = s["slow_ms"] / 1000
    slow_ax.axhline(ideal, color="#c0392b", linestyle="--", label="ideal: all at once")
    slow_ax.plot(x, [-(-s["slow_n"] // c) * ideal for c in counts], color="#7f7f7f",
                 linestyle=":", marker="_", label=f"one at a time per {scale['one']}")
    slow_ax.set_title(f"{s['slow_n']} concurrent /slow?ms={s['slow_ms']}: seconds until all "
                      "answered", fontsize=9)
    slow_ax.legend(fontsize=8)

    idle = [(results["memory"][i]["idle"] or 0) / 2**20 for i in ids]
    peak = [(results["memory"][i]["peak"] or 0) / 2**20 for i in ids]
    mem_ax.bar([n - 0.2 for n in x], idle, width=0.4, color=COLOUR, label="idle")
    mem_ax.bar([n + 0.2 for n in x], peak, width=0.4, color="#e6a157", label="peak under load")
    mem_ax.set_title("resident memory, MiB (cgroup)", fontsize=9)
    mem_ax.legend(fontsize=8)

    for ax in (rps_ax, slow_ax, mem_ax):
        ax.set_xticks(x, [str(c) for c in counts])
        ax.set_xlabel(scale["unit"])
    figure.suptitle(f"{scale['exhibit']} ({scale['server']}, {scale['concurrency']}) at "
                    f"{', '.join(map(str, counts))} {scale['unit']}; its own setting: "
                    f"{scale['default']}\n" + subtitle(results) + "; nothing pinned, wrk "
                    "shares the cores", fontsize=8)
    return save(figure, out, f"scale-{scale['exhibit']}")
