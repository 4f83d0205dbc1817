"""The timeline as an SVG picture for the README, drawn from timeline.yaml."""

from __future__ import annotations

import re
from html import escape

from museum.timeline import Era, Timeline

TARGET = "docs/timeline.svg"
FIRST, LAST = 1990, 2026
WIDTH, LEFT, RIGHT, TOP = 1200, 20, 30, 70
COLOURS = ("#d95f02", "#7570b3", "#1b9e77", "#e7298a", "#386cb0", "#66a61e", "#a6761d")


def x(year: float) -> float:
    return LEFT + (year - FIRST) / (LAST - FIRST) * (WIDTH - LEFT - RIGHT)


def span(era: Era) -> tuple[int, int]:
    years = [int(y) for y in re.findall(r"\d{4}", era.years)]
    start = years[0] if years else FIRST
    end = years[1] if len(years) > 1 else LAST
    return start, min(end, LAST)


def lanes(timeline: Timeline, era: Era) -> list[tuple[int, int]]:
    """(exhibit index, lane) pairs: each label in the first lane where it does not overlap."""
    ends: list[float] = []
    placed = []
    for index, exhibit in enumerate(timeline.exhibits):
        if exhibit.era != era.id:
            continue
        start = x(exhibit.year)
        lane = next((n for n, end in enumerate(ends) if end < start), len(ends))
        if lane == len(ends):
            ends.append(0.0)
        ends[lane] = start + 14 + 7 * len(exhibit.id)
        placed.append((index, lane))
    return placed


def render(timeline: Timeline) -> str:
    rows = [(era, lanes(timeline, era)) for era in timeline.eras]
    heights = [34 + 16 * max((lane for _, lane in placed), default=0) + 22 for _, placed in rows]
    height = TOP + sum(heights) + 10 * len(rows) + 40
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" font-family="Helvetica, Arial, sans-serif">',
        f'<rect width="{WIDTH}" height="{height}" fill="#fdfbf6"/>',
        '<text x="20" y="34" font-size="22" font-weight="bold" fill="#111">'
        "The Python Web Museum: the timeline</text>",
    ]
    for year in range(FIRST, LAST + 1, 5):
        parts.append(f'<line x1="{x(year):.1f}" y1="{TOP - 14}" x2="{x(year):.1f}" '
                     f'y2="{height - 30}" stroke="#ddd"/>')
        parts.append(f'<text x="{x(year):.1f}" y="{height - 12}" font-size="13" '
                     f'text-anchor="middle" fill="#555">{year}</text>')
    top = TOP
    for row, ((era, placed), band) in enumerate(zip(rows, heights, strict=True)):
        colour = COLOURS[row % len(COLOURS)]
        start, end = span(era)
        parts.append(f'<rect x="{x(start):.1f}" y="{top}" width="{x(end) - x(start):.1f}" '
                     f'height="{band}" rx="6" fill="{colour}" fill-opacity="0.12" '
                     f'stroke="{colour}"/>')
        parts.append(f'<text x="{x(start) + 6:.1f}" y="{top + 16}" font-size="13" '
                     f'font-weight="bold" fill="{colour}">{escape(era.title)}</text>')
        for index, lane in placed:
            exhibit = timeline.exhibits[index]
            cx, cy = x(exhibit.year), top + 34 + lane * 16
            fill = colour if exhibit.runnable else "#fff"
            parts.append(f'<circle cx="{cx:.1f}" cy="{cy}" r="5" fill="{fill}" '
                         f'stroke="{colour}" stroke-width="2"/>')
            parts.append(f'<text x="{cx + 8:.1f}" y="{cy + 4}" font-size="12" '
                         f'fill="#111">{escape(exhibit.id)}</text>')
        top += band + 10
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
