"""`museum map`: the concurrency map, which process and thread answered each /slow, and when.

One lane per (pid, thread), time across. A request's bar is the time it was being served,
taken as the `ms` it slept before its answer arrived (the time it queued before that is not
the lane's). CGI draws a lane per request, prefork a few lanes taking turns, threads one pid
with many lanes, the event loop one lane holding them all at once. A gevent exhibit names the
greenlet too (`MainThread/greenlet-7`): a lane per greenlet, all in one OS thread, side by
side in time.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from html import escape

from museum.burst import Result
from museum.screen import Screen

LEGEND = "█▓ one request at a time (alternating), 2-9 that many at once, + more than 9"
GREENLET_LEGEND = ("<thread>/g<n>: greenlet n, inside that one OS thread; its greenlets take "
                   "turns on it, switching whenever one waits, so their bars overlap")
GREENLET = re.compile(r"^(?P<thread>.+)/greenlet-(?P<greenlet>[^/\s]+)$")


def split_thread(thread: str) -> tuple[str, str | None]:
    """'MainThread/greenlet-7' is greenlet 7 in OS thread MainThread; 'Thread-3' is a thread."""
    found = GREENLET.match(thread)
    return (found["thread"], found["greenlet"]) if found else (thread, None)


def os_threads(result: Result) -> int:
    """The OS threads that answered: greenlets count once, as the thread they run in."""
    return len({(a.pid, split_thread(a.thread)[0]) for a in result.answers})


def greenlets(result: Result) -> int:
    return len({(a.pid, a.thread) for a in result.answers if split_thread(a.thread)[1]})


@dataclass(frozen=True)
class Lane:
    pid: int
    thread: str
    spans: list[tuple[float, float]]  # seconds since the burst began, in start order

    @property
    def os_thread(self) -> str:
        return split_thread(self.thread)[0]

    @property
    def greenlet(self) -> str | None:
        return split_thread(self.thread)[1]

    @property
    def label(self) -> str:
        if self.greenlet is not None:
            return f"pid {self.pid} {self.os_thread}/g{self.greenlet}"
        # Python names threads "Thread-3 (target)": the number tells them apart.
        return f"pid {self.pid} {re.sub(r' [(].*[)]$', '', self.thread)}"

    @property
    def description(self) -> str:
        if self.greenlet is not None:
            return f"pid {self.pid}, OS thread {self.os_thread}, greenlet {self.greenlet}"
        return f"pid {self.pid}, thread {self.thread}"

    @property
    def peak(self) -> int:
        edges = sorted([(s, 1) for s, _ in self.spans] + [(e, -1) for _, e in self.spans],
                       key=lambda edge: (edge[0], edge[1]))
        held = most = 0
        for _, step in edges:
            held += step
            most = max(most, held)
        return most


def lanes(result: Result) -> list[Lane]:
    """The lanes in the order they first answered, each with its requests' served spans."""
    if not result.answers:
        return []
    origin = min(a.started for a in result.answers)
    found: dict[tuple[int, str], list[tuple[float, float]]] = {}
    for answer in result.answers:
        start = max(answer.started, answer.finished - result.ms / 1000) - origin
        found.setdefault((answer.pid, answer.thread), []).append(
            (start, answer.finished - origin))
    made = [Lane(pid, thread, sorted(spans)) for (pid, thread), spans in found.items()]
    return sorted(made, key=lambda lane: (lane.spans[0][0], lane.pid, natural(lane.thread)))


def natural(name: str) -> tuple[tuple[int, int | str], ...]:
    """Names with their numbers as numbers: greenlet-2 before greenlet-10."""
    return tuple((0, int(part)) if part.isdigit() else (1, part)
                 for part in re.split(r"(\d+)", name))


def track(lane: Lane, span: float, width: int) -> str:
    cells = []
    for index in range(width):
        middle = span * (index + 0.5) / width
        held = [n for n, (s, e) in enumerate(lane.spans) if s <= middle < e]
        if not held:
            cells.append("·")
        elif len(held) == 1:
            cells.append("█▓"[held[0] % 2])
        else:
            cells.append(str(len(held)) if len(held) <= 9 else "+")
    for n, (s, _) in enumerate(lane.spans):  # a request shorter than a cell still shows
        cell = min(width - 1, int(s / span * width)) if span else 0
        if cells[cell] == "·":
            cells[cell] = "█▓"[n % 2]
    return "".join(cells)


def clip_middle(text: str, width: int) -> str:
    """Long thread names differ at their ends (Thread-10, Thread-11): keep both ends."""
    if len(text) <= width:
        return text
    head = (width - 1) // 2
    return text[:head] + "…" + text[len(text) - (width - 1 - head):]


def render_text(result: Result, width: int = 80) -> list[str]:
    found = lanes(result)
    span = max((e for lane in found for _, e in lane.spans), default=0.0)
    label = min(24, max((len(lane.label) for lane in found), default=4), width // 3)
    cells = max(10, width - label - 9)
    screen = Screen(width=width, color=False)
    end = f"{span:.2f} s"
    served = (f"{os_threads(result)} OS thread(s), {greenlets(result)} greenlet(s)"
              if greenlets(result) else f"{result.threads} thread(s)")
    title = (f"{result.exhibit}: {result.concurrency} concurrent /slow?ms={result.ms}, "
             f"{result.processes} process(es), {served}")
    lines = [*textwrap.wrap(title, width),
             " " * (label + 1) + "0 s".ljust(cells - len(end)) + end + "  reqs"]
    for lane in found:
        lines.append(f"{clip_middle(lane.label, label):<{label}} {track(lane, span, cells)} "
                     f"{len(lane.spans):>5}")
    lines.extend(textwrap.wrap(LEGEND, width))
    if any(lane.greenlet is not None for lane in found):
        lines.extend(textwrap.wrap(GREENLET_LEGEND, width))
    return [screen.clip(line, width) for line in lines]


def render_svg(result: Result, width: int = 900) -> str:
    found = lanes(result)
    span = max((e for lane in found for _, e in lane.spans), default=0.0) or 1.0
    label, row, top = 230, 26, 30
    track_width = width - label - 20
    height = top + row * len(found) + 10
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" id="swimlane" class="swimlane" '
             f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
             f'data-lanes="{len(found)}" font-family="sans-serif" font-size="13">']
    for tick in range(5):
        x = label + track_width * tick / 4
        parts.append(f'<line x1="{x:.1f}" y1="{top - 8}" x2="{x:.1f}" y2="{height - 6}" '
                     f'stroke="#ccc"/><text x="{x:.1f}" y="{top - 12}" text-anchor="middle">'
                     f"{span * tick / 4:.2f} s</text>")
    for index, lane in enumerate(found):
        y = top + row * index
        parts.append(f'<g class="lane" data-pid="{lane.pid}" data-thread="{escape(lane.thread)}">'
                     f'<text x="4" y="{y + 17}">{escape(clip_middle(lane.label, 30))}'
                     f"<title>{escape(lane.description)}</title></text>")
        for n, (start, end) in enumerate(lane.spans):
            x = label + track_width * start / span
            w = max(2.0, track_width * (end - start) / span)
            shade = ("#1a4fa0", "#4f7fcf")[n % 2]
            parts.append(f'<rect class="request" x="{x:.1f}" y="{y + 4}" width="{w:.1f}" '
                         f'height="{row - 8}" fill="{shade}" fill-opacity="0.55">'
                         f"<title>{start:.3f} s to {end:.3f} s</title></rect>")
        parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)
