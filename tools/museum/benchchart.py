"""`museum bench`'s charts, PNG and SVG; the only module that imports matplotlib."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

BASE_COLOUR = "#888888"
COLOUR = "#3b6ea5"


def subtitle(results: dict[str, Any]) -> str:
    m, s = results["machine"], results["settings"]
    return (f"{results['measured']}, {m['cores']} cores, kernel {m['kernel']}, Docker "
            f"{m['docker']};\n{s['cpus']} CPU / {s['memory']} per target; "
            f"{s['rounds']} round(s) of {s['duration']} s; bars: median, whiskers: range")


def save(figure: Any, out: Path, name: str) -> list[Path]:
    paths = [out / f"{name}.png", out / f"{name}.svg"]
    figure.tight_layout()
    for path in paths:
        figure.savefig(path, dpi=110)
    plt.close(figure)
    return paths


def bars(ax: Any, labels: list[str], summaries: list[dict[str, Any] | None],
         colours: list[str], scale: float = 1.0) -> None:
    medians = [s["median"] * scale if s else 0.0 for s in summaries]
    low = [(s["median"] - s["low"]) * scale if s else 0.0 for s in summaries]
    high = [(s["high"] - s["median"]) * scale if s else 0.0 for s in summaries]
    ax.barh(labels, medians, xerr=[low, high], color=colours, capsize=2)
    for n, value in enumerate(medians):
        ax.text(value, n, f" {value:,.0f}" if value >= 10 else f" {value:.2f}", va="center",
                fontsize=7)
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
        ax.set_title(f"GET /hello, {level} connections", fontsize=9)
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
    ax.set_title(f"Latency percentiles of GET /hello at {top} connections\n" + subtitle(results),
                 fontsize=8)
    written += save(figure, out, "latency")

    s = results["settings"]
    figure, ax = plt.subplots(figsize=(8, height))
    exhibits = [t["id"] for t in targets if not t["baseline"]]
    bars(ax, exhibits, [results["slow"][i]["wall"] for i in exhibits], [COLOUR] * len(exhibits))
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
    ax.set_title("Memory, idle and at peak\n" + subtitle(results), fontsize=8)
    written += save(figure, out, "memory")
    return written
