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
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from museum import burst, docker, pitfalls, probe, swimlane
from museum.bench.report import holds
from museum.bench.results import committed
from museum.docker import Docker
from museum.errors import ExitStatus, MuseumError
from museum.heart import excerpt
from museum.screen import BOLD, CYAN, DIM, RED, Screen
from museum.site import Site
from museum.timeline import Edition, Exhibit, Timeline


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
    screen.line(idle_figure(site, exhibit), DIM)
    return True


def idle_figure(site: Site, exhibit: Edition) -> str:
    """The C10K figure beside the map, from the committed bench run (measured, never live:
    a thousand idle connections take a minute to open and close)."""
    results = committed(site.root)
    found = {e.target.id: e for e in results.entries}.get(exhibit.id) if results else None
    if results is None or found is None or found.holds is None:
        return f"idle keep-alive connections: not measured yet (museum bench {exhibit.id})"
    return (f"idle keep-alive connections held while GET /hello answered within "
            f"{results.settings.idle_limit:g} s: {holds(found, results.settings.idle)} "
            f"(museum bench, {results.measured[:10]})")


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


def walk(timeline: Timeline, start: str | None, era: str | None) -> list[Exhibit]:
    exhibits = list(timeline.runnable)
    if era is not None:
        timeline.era(era)
        exhibits = [e for e in exhibits if e.era == era]
    if start is not None:
        ids = [e.id for e in exhibits]
        named = next((e.exhibit for e in timeline.editions if e.id == start), start)
        if named not in ids:
            raise MuseumError(f"{start} is not on this walk (choose from {', '.join(ids)})")
        exhibits = exhibits[ids.index(named):]
    if not exhibits:
        raise MuseumError("no exhibits on this walk")
    return exhibits


def shown(exhibit: Exhibit, editions: str) -> list[Edition]:
    """The editions a script-mode step prints: the exhibit's own, today's, or both."""
    if editions == "both":
        return list(exhibit.editions)
    if editions == "now":
        return [exhibit.edition("now") or exhibit.main]
    return [exhibit.main]


def script(args: argparse.Namespace, site: Site, exhibits: list[Exhibit]) -> ExitStatus:
    screen = Screen(width=args.width, color=colours(site, args))
    steps = [(exhibit, edition) for exhibit in exhibits
             for edition in shown(exhibit, args.editions)]
    answered = True
    for index, (_, edition) in enumerate(steps, 1):
        answered &= exhibit_step(screen, site, edition, f"{index}/{len(steps)}", args.height)
        screen.line()
        if args.map:
            answered &= map_step(screen, site, edition)
            screen.line()
        if args.pitfalls and "pitfalls" in edition.additions:
            answered &= pitfalls_step(screen, site, edition)
            screen.line()
        print(screen.flush(), flush=True)
    pair = args.compare or ([steps[0][1].id, steps[-1][1].id] if len(steps) > 1 else None)
    if pair:
        answered &= compare_step(screen, site, site.timeline.edition(pair[0]),
                                 site.timeline.edition(pair[1]))
        print(screen.flush(), flush=True)
    return ExitStatus.OK if answered else ExitStatus.ERROR


def colours(site: Site, args: argparse.Namespace) -> bool | None:
    """--color or --no-color, else colours on a terminal unless NO_COLOR is set."""
    if args.color is not None:
        return bool(args.color)
    return False if "NO_COLOR" in site.environ else None


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
    """Keeps the shown edition and the next exhibit's running; stops the ones left behind."""

    def __init__(self, docker: Docker) -> None:
        self.docker = docker
        self.started: set[str] = set()
        self.lock = threading.Lock()

    def start(self, edition: Edition) -> None:
        with self.lock:
            if edition.id in self.started:
                return
            self.started.add(edition.id)
        self.docker.compose(["up", "-d", edition.id], check=False)

    def around(self, current: Edition, upcoming: Edition | None, keep: set[str]) -> None:
        self.start(current)
        if upcoming is not None:
            threading.Thread(target=self.start, args=(upcoming,), daemon=True).start()
        behind = sorted(self.started - keep - {current.id})
        self.started -= set(behind)
        if behind:
            threading.Thread(target=self.docker.compose, daemon=True,
                             args=(["stop", *behind],), kwargs={"check": False}).start()


def preflight(exhibits: list[Exhibit]) -> list[str]:
    if not docker.engine_available():
        return ["Docker is not running: start it (dockerd, or the docker service); the tour "
                "shows the code but no live requests until then."]
    missing = [e.id for x in exhibits for e in x.editions if not docker.image_exists(e.image)]
    if missing:
        return [f"not built yet: {', '.join(missing)}; build them before the talk with "
                f"`museum up {' '.join(missing)}` (each step builds its own if needed, slowly)."]
    return []


@dataclass
class Tour:
    """The interactive walk's state; KEYS maps each key to what it does."""

    site: Site
    exhibits: list[Exhibit]
    index: int = 0
    flipped: bool = False      # showing the step's other edition (then <-> now)
    view: str = "step"         # step, compare, map or pitfalls

    @property
    def exhibit(self) -> Exhibit:
        return self.exhibits[self.index]

    @property
    def edition(self) -> Edition:
        editions = self.exhibit.editions
        return editions[1] if self.flipped and len(editions) > 1 else editions[0]

    def next(self) -> None:
        self.index, self.flipped = min(self.index + 1, len(self.exhibits) - 1), False

    def previous(self) -> None:
        self.index, self.flipped = max(self.index - 1, 0), False

    def flip(self) -> None:
        self.flipped = not self.flipped and len(self.exhibit.editions) > 1

    def compare(self) -> None:
        self.view = "compare"

    def map(self) -> None:
        self.view = "map"

    def pitfalls(self) -> None:
        if "pitfalls" in self.edition.additions:
            self.view = "pitfalls"

    def replay(self) -> None:
        pass  # drawing the step again sends its requests again

    def open(self) -> None:
        webbrowser.open(f"{self.site.url(self.edition)}/")

    def jump(self) -> None:
        self.index, self.flipped = jump(self.exhibits, self.index), False

    def draw(self, screen: Screen, height: int) -> None:
        view, self.view = self.view, "step"
        if view == "compare" and self.index > 0:
            before = self.exhibits[self.index - 1].main
            compare_step(screen, self.site, before, self.edition)
        elif view == "map":
            map_step(screen, self.site, self.edition)
        elif view == "pitfalls":
            pitfalls_step(screen, self.site, self.edition)
        else:
            exhibit_step(screen, self.site, self.edition,
                         f"{self.index + 1}/{len(self.exhibits)}", height)
        screen.line()
        screen.line(LEGEND, DIM)
        extra = [text for key, text in OPTIONAL_LEGEND.items() if self.offers(key)]
        if extra:
            screen.line("  ".join(extra), DIM)

    def offers(self, key: str) -> bool:
        if key == "e":
            return len(self.exhibit.editions) > 1
        return key == "x" and "pitfalls" in self.edition.additions


KEYS: dict[str, Callable[[Tour], None]] = {
    "n": Tour.next, "p": Tour.previous, "e": Tour.flip, "j": Tour.jump, "r": Tour.replay,
    "c": Tour.compare, "m": Tour.map, "x": Tour.pitfalls, "o": Tour.open,
}
LEGEND = "[n]ext  [p]revious  [j]ump  [r]eplay  [c]ompare  [m]ap  [o]pen  [q]uit"
OPTIONAL_LEGEND = {"e": "[e] then / now: the other edition", "x": "[x] the async pitfalls"}


def interactive(args: argparse.Namespace, site: Site, exhibits: list[Exhibit]) -> ExitStatus:
    if not sys.stdin.isatty():
        raise MuseumError("the interactive tour needs a terminal: use --script")
    warnings = preflight(exhibits)
    stage = Stage(Docker.for_site(site)) if docker.engine_available() else None
    tour = Tour(site, exhibits)
    with raw_keys():
        while True:
            screen = Screen(width=args.width, color=colours(site, args))
            if stage is not None:
                upcoming = (exhibits[tour.index + 1].main
                            if tour.index + 1 < len(exhibits) else None)
                keep = {e.id for x in exhibits[max(0, tour.index - 1):tour.index + 2]
                        for e in x.editions}
                stage.around(tour.edition, upcoming, keep)
            print("\033[2J\033[H", end="")
            for warning in warnings:
                screen.line(warning, BOLD, RED)
            tour.draw(screen, args.height or shutil.get_terminal_size((80, 24)).lines)
            print(screen.flush(), flush=True)
            key = read_key()
            if key == "q":
                return ExitStatus.OK
            action = KEYS.get(key)
            if action is not None:
                action(tour)


def jump(exhibits: list[Exhibit], index: int) -> int:
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
    parser.add_argument("--editions", choices=("then", "now", "both"), default="then",
                        help="with --script: each exhibit's own edition (then, the default), "
                             "today's, or both, one after the other")
    parser.add_argument("--era", help="walk one era only")
    parser.add_argument("--compare", nargs=2, metavar="ID",
                        help="the side-by-side step's two exhibits (default: first and last)")
    parser.add_argument("--map", action="store_true",
                        help="after each exhibit, its concurrency map from a burst of /slow "
                        "and the idle connections it held in the committed bench run")
    parser.add_argument("--pitfalls", action="store_true",
                        help="after the exhibit that has them, the async pitfalls, live")
    parser.add_argument("--width", type=int, help="columns (default: the terminal's)")
    parser.add_argument("--height", type=int,
                        help="rows an exhibit step must fit in, shortening its code and "
                        "native structure (default: the terminal's; --script: no limit)")
    parser.add_argument("--color", action=argparse.BooleanOptionalAction, default=None,
                        help="colours (default: when writing to a terminal)")

