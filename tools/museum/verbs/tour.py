"""`museum tour`: walk the timeline on stage, one exhibit a step, with live requests.

Each step shows the exhibit's year, title and talk notes, the heart of its app (lines of its
own source), a live request and the native structure the app received. `--script` prints the
steps for rehearsal and tests; without it, keys drive the walk and the next exhibit warms up
in the background.
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import sys
import threading
import webbrowser
from collections.abc import Iterator
from pathlib import Path

from museum import burst, docker, pitfalls, probe, swimlane
from museum.docker import Docker
from museum.errors import ExitStatus, MuseumError
from museum.heart import excerpt
from museum.screen import BOLD, CYAN, DIM, RED, Screen
from museum.site import Site
from museum.timeline import Edition, Timeline

KEYS = "[n]ext  [p]revious  [j]ump  [r]eplay  [c]ompare  [m]ap  [o]pen  [q]uit"
PITFALLS_KEY = "[x] the async pitfalls"


def placard_title(root: Path, exhibit: Edition) -> str:
    placard = root / exhibit.placard
    with contextlib.suppress(OSError):
        for line in placard.read_text(encoding="utf-8").splitlines():
            if line.startswith("# "):
                return line[2:].strip()
    return exhibit.title


def native_of(site: Site, exhibit: Edition) -> tuple[object, str] | None:
    reply = probe.get(site.url(exhibit), "/inspect")
    if reply is None or reply.status != 200:
        return None
    document = reply.json()
    return document.get("native"), str(document.get("interface", ""))


def not_running(screen: Screen, site: Site, exhibit: Edition) -> None:
    screen.line(f"{exhibit.id} is not answering at {site.url(exhibit)}", BOLD, RED)
    screen.line(f"start it with: museum up {exhibit.id}")


# Lines a step keeps below the code: the request and its answer (3), the native structure's
# rule and at least three of its entries and an ellipsis (5), and the key legend (3).
BELOW_CODE = 11


def exhibit_step(screen: Screen, site: Site, exhibit: Edition, position: str,
                 height: int | None = None) -> bool:
    """Render one exhibit; False when it did not answer. With a height, the code and the
    native structure are shortened so that the whole step fits the terminal on stage."""
    root, timeline = site.root, site.timeline
    era = timeline.era(exhibit.era)
    notes = timeline.exhibit(exhibit.exhibit).notes
    screen.banner(f"{exhibit.year}   {exhibit.id}   {position}")
    screen.line(placard_title(root, exhibit), BOLD)
    screen.line(f"{era.title}  ({era.years})", CYAN)
    screen.line(f"{exhibit.label} · {exhibit.server} · {exhibit.interface} · "
                f"{exhibit.concurrency}", DIM)
    screen.para(notes)
    found = excerpt(root, exhibit)
    screen.rule(f"the code: {found.path}:{found.first_line}")
    lines = list(found.lines)
    if height is not None and len(screen.out) + len(lines) + BELOW_CODE > height:
        room = max(3, height - len(screen.out) - BELOW_CODE - 1)
        screen.code(lines[:room], found.first_line)
        screen.line(f"     … {len(lines) - room} more lines", DIM)
    else:
        screen.code(lines, found.first_line)
    screen.rule(f"GET {probe.GREETING}")
    reply = probe.get(site.url(exhibit), probe.GREETING)
    if reply is None:
        not_running(screen, site, exhibit)
        return False
    screen.line(f"{reply.status}  {reply.content_type}  ({reply.seconds * 1000:.0f} ms)", DIM)
    screen.line(reply.body.decode("utf-8", "replace"), BOLD)
    native = native_of(site, exhibit)
    screen.rule(f"what the app received ({native[1] if native else '?'}): /inspect native")
    if native is None:
        not_running(screen, site, exhibit)
        return False
    most = 16 if height is None else max(3, min(16, height - len(screen.out) - 4))
    screen.keyed(screen.mapping(native[0], most=most))
    return True


def compare_step(screen: Screen, site: Site, left: Edition, right: Edition) -> bool:
    screen.banner(f"side by side: {left.id} and {right.id} receive GET /inspect")
    natives = [native_of(site, left), native_of(site, right)]
    for exhibit, native in zip((left, right), natives, strict=True):
        if native is None:
            not_running(screen, site, exhibit)
    if natives[0] is None or natives[1] is None:
        return False
    half = (screen.width - 3) // 2
    screen.columns(screen.mapping(natives[0][0], 20, half),
                   screen.mapping(natives[1][0], 20, half),
                   (f"{left.id} ({natives[0][1]})", f"{right.id} ({natives[1][1]})"))
    return True


def map_step(screen: Screen, site: Site, exhibit: Edition, concurrency: int = 8,
             ms: int = 300) -> bool:
    screen.banner(f"who answered: {concurrency} concurrent /slow?ms={ms} at {exhibit.id}")
    screen.line(f"{exhibit.concurrency}: one lane per process and thread, time across", DIM)
    try:
        result = burst.fire(exhibit.id, site.url(exhibit), concurrency, ms)
    except MuseumError:
        not_running(screen, site, exhibit)
        return False
    for text in swimlane.render_text(result, screen.width):
        screen.line(text)
    return True


def pitfalls_step(screen: Screen, site: Site, exhibit: Edition) -> bool:
    screen.banner(f"the async pitfalls at {exhibit.id}: who waits while one request sleeps?")
    try:
        measures = pitfalls.measure_all(site.url(exhibit))
    except MuseumError:
        not_running(screen, site, exhibit)
        return False
    for text in pitfalls.report(exhibit.id, measures).splitlines():
        screen.line(text, *((BOLD, RED) if "STALL" in text else ()))
    return True


def walk(timeline: Timeline, start: str | None, era: str | None) -> list[Edition]:
    exhibits = [e.main for e in timeline.runnable]
    if era is not None:
        timeline.era(era)
        exhibits = [e for e in exhibits if e.era == era]
    if start is not None:
        ids = [e.id for e in exhibits]
        if start not in ids:
            raise MuseumError(f"{start} is not on this walk (choose from {', '.join(ids)})")
        exhibits = exhibits[ids.index(start):]
    if not exhibits:
        raise MuseumError("no exhibits on this walk")
    return exhibits


def script(args: argparse.Namespace, site: Site, exhibits: list[Edition]) -> ExitStatus:
    timeline = site.timeline
    screen = Screen(width=args.width, color=args.color)
    answered = True
    for index, exhibit in enumerate(exhibits, 1):
        answered &= exhibit_step(screen, site, exhibit, f"{index}/{len(exhibits)}",
                                 args.height)
        screen.line()
        if args.map:
            answered &= map_step(screen, site, exhibit)
            screen.line()
        if args.pitfalls and "pitfalls" in exhibit.additions:
            answered &= pitfalls_step(screen, site, exhibit)
            screen.line()
        print(screen.flush(), flush=True)
    pair = args.compare or ([exhibits[0].id, exhibits[-1].id] if len(exhibits) > 1 else None)
    if pair:
        answered &= compare_step(screen, site, timeline.edition(pair[0]),
                                 timeline.edition(pair[1]))
        print(screen.flush(), flush=True)
    return ExitStatus.OK if answered else ExitStatus.ERROR


@contextlib.contextmanager
def raw_keys() -> Iterator[None]:
    import termios
    import tty

    fd = sys.stdin.fileno()
    saved = termios.tcgetattr(fd)
    try:
        tty.setcbreak(fd)
        yield
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)


def read_key() -> str:
    key = sys.stdin.read(1)
    if key == "\033":
        sequence = sys.stdin.read(2)
        return {"[C": "n", "[D": "p"}.get(sequence, "")
    return {" ": "n", "\n": "n"}.get(key, key.lower())


class Stage:
    """Keeps the current exhibit and the next one running; stops the ones left behind."""

    def __init__(self, docker: Docker, exhibits: list[Edition]) -> None:
        self.docker, self.exhibits = docker, exhibits
        self.started: set[str] = set()
        self.lock = threading.Lock()

    def start(self, exhibit: Edition) -> None:
        with self.lock:
            if exhibit.id in self.started:
                return
            self.started.add(exhibit.id)
        self.docker.compose(["up", "-d", exhibit.id], check=False)

    def around(self, index: int) -> None:
        keep = {e.id for e in self.exhibits[max(0, index - 1):index + 2]}
        self.start(self.exhibits[index])
        if index + 1 < len(self.exhibits):
            threading.Thread(target=self.start, args=(self.exhibits[index + 1],),
                             daemon=True).start()
        behind = [e for e in self.exhibits if e.id in self.started and e.id not in keep]
        for exhibit in behind:
            self.started.discard(exhibit.id)
        if behind:
            ids = [e.id for e in behind]
            threading.Thread(target=self.docker.compose, daemon=True,
                             args=(["stop", *ids],), kwargs={"check": False}).start()


def preflight(exhibits: list[Edition]) -> list[str]:
    if not docker.engine_available():
        return ["Docker is not running: start it (dockerd, or the docker service); the tour "
                "shows the code but no live requests until then."]
    missing = [e.id for e in exhibits if not docker.image_exists(e.image)]
    if missing:
        return [f"not built yet: {', '.join(missing)}; build them before the talk with "
                f"`museum up {' '.join(missing)}` (each step builds its own if needed, slowly)."]
    return []


def interactive(args: argparse.Namespace, site: Site, exhibits: list[Edition]) -> ExitStatus:
    if not sys.stdin.isatty():
        raise MuseumError("the interactive tour needs a terminal: use --script")
    warnings = preflight(exhibits)
    stage = Stage(Docker.for_site(site), exhibits) if docker.engine_available() else None
    index, comparing, showing = 0, False, ""
    with raw_keys():
        while True:
            screen = Screen(width=args.width, color=args.color)
            if stage is not None:
                stage.around(index)
            print("\033[2J\033[H", end="")
            for warning in warnings:
                screen.line(warning, BOLD, RED)
            if comparing and index > 0:
                compare_step(screen, site, exhibits[index - 1], exhibits[index])
            elif showing == "m":
                map_step(screen, site, exhibits[index])
            elif showing == "x":
                pitfalls_step(screen, site, exhibits[index])
            else:
                exhibit_step(screen, site, exhibits[index],
                             f"{index + 1}/{len(exhibits)}",
                             args.height or shutil.get_terminal_size((80, 24)).lines)
            screen.line()
            screen.line(KEYS, DIM)
            if "pitfalls" in exhibits[index].additions:
                screen.line(PITFALLS_KEY, DIM)
            print(screen.flush(), flush=True)
            key, comparing, showing = read_key(), False, ""
            if key == "q":
                return ExitStatus.OK
            if key == "n":
                index = min(index + 1, len(exhibits) - 1)
            elif key == "p":
                index = max(index - 1, 0)
            elif key == "c":
                comparing = True
            elif key == "m" or (key == "x" and "pitfalls" in exhibits[index].additions):
                showing = key
            elif key == "o":
                webbrowser.open(f"{site.url(exhibits[index])}/")
            elif key == "j":
                index = jump(exhibits, index)


def jump(exhibits: list[Edition], index: int) -> int:
    ids = [e.id for e in exhibits]
    print(f"jump to ({', '.join(ids)}): ", end="", flush=True)
    typed = ""
    while (key := sys.stdin.read(1)) not in ("\n", "\r"):
        typed = typed[:-1] if key == "\x7f" else typed + key
        print(key if key != "\x7f" else "\b \b", end="", flush=True)
    matches = [i for i, e in enumerate(ids) if e.startswith(typed.strip())]
    return matches[0] if typed.strip() and matches else index


def run(site: Site, args: argparse.Namespace) -> int:
    timeline = site.timeline
    exhibits = walk(timeline, args.start, args.era)
    if args.compare:
        for exhibit_id in args.compare:
            timeline.edition(exhibit_id)
    if args.script:
        return script(args, site, exhibits)
    return interactive(args, site, exhibits)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--script", action="store_true",
                        help="print every step without waiting for keys (rehearsal, tests)")
    parser.add_argument("--from", dest="start", metavar="ID", help="start at this exhibit")
    parser.add_argument("--era", help="walk one era only")
    parser.add_argument("--compare", nargs=2, metavar="ID",
                        help="the side-by-side step's two exhibits (default: first and last)")
    parser.add_argument("--map", action="store_true",
                        help="after each exhibit, its concurrency map from a burst of /slow")
    parser.add_argument("--pitfalls", action="store_true",
                        help="after the exhibit that has them, the async pitfalls, live")
    parser.add_argument("--width", type=int, help="columns (default: the terminal's)")
    parser.add_argument("--height", type=int,
                        help="rows an exhibit step must fit in, shortening its code and "
                        "native structure (default: the terminal's; --script: no limit)")
    parser.add_argument("--color", action=argparse.BooleanOptionalAction, default=None,
                        help="colours (default: when writing to a terminal)")

