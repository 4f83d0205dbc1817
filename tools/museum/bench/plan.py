"""What a `museum bench` run measures and how: its targets (the baseline and the chosen
editions, or one edition's scaled copies), its settings, and where its results go."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from museum.bench.results import Scale, Settings, Target
from museum.compose import scaled_name
from museum.errors import MuseumError
from museum.timeline import Edition, Exhibit, Timeline

BASELINE = "bench-baseline"
BASELINE_TARGET = Target(BASELINE, "baseline (nginx return 200)", "nginx, worker_processes auto",
                         baseline=True)
CHOICES = ("then", "now", "all")
IDLE_LEVELS = (10, 100, 1000)


@dataclass(frozen=True)
class Plan:
    mode: str  # full, quick, chosen, then-and-now, scale
    targets: tuple[Target, ...]
    settings: Settings
    # The edition whose image the scaled copies run, and the counts; None unless --scale.
    scaling: tuple[Edition, tuple[int, ...]] | None = None

    @property
    def images(self) -> tuple[str, ...]:
        """The services whose images the run needs."""
        if self.scaling:
            return (self.scaling[0].id,)
        return tuple(t.id for t in self.targets)

    @property
    def stem(self) -> str:
        """The results file's name, without .json."""
        if self.scaling:
            return f"scale-{self.scaling[0].id}"
        if self.mode == "then-and-now":
            exhibit = next(t.exhibit for t in self.targets if not t.baseline)
            return f"then-and-now-{exhibit}"
        return "results"

    @property
    def scale(self) -> Scale | None:
        if self.scaling is None:
            return None
        edition, counts = self.scaling
        knob = edition.scale
        assert knob is not None
        return Scale(exhibit=edition.id, unit=knob.unit, one=knob.count(1).split(" ", 1)[1],
                     counts=counts, default=knob.default, server=str(edition.server),
                     concurrency=edition.concurrency,
                     targets=tuple(scaled_name(edition, n) for n in counts))


def target(edition: Edition) -> Target:
    return Target(id=edition.id, label=edition.label,
                  workers=f"{edition.concurrency} ({edition.server})",
                  exhibit=edition.exhibit, edition=edition.name, python=edition.python,
                  server=edition.server.name)


def editions_of(exhibit: Exhibit, choice: str) -> tuple[Edition, ...]:
    """`then`: the exhibit's main edition (its then edition where it has one); `now`: its now
    edition, if any; `all`: every edition it has."""
    if choice == "then":
        return (exhibit.main,)
    if choice == "now":
        now = exhibit.edition("now")
        return (now,) if now else ()
    return exhibit.editions


def choose(timeline: Timeline, ids: Sequence[str], choice: str,
           quick: bool) -> tuple[Edition, ...]:
    """The editions to measure, in timeline order. An id names an exhibit (its editions as
    `choice` says) or one edition's service (`flask-2010-now`: that edition only)."""
    if choice not in CHOICES:
        raise MuseumError(f"--editions is one of {', '.join(CHOICES)}, not {choice!r}")
    chosen: list[Edition] = []
    if ids:
        exhibits = {e.id: e for e in timeline.runnable}
        for name in ids:
            found = (editions_of(exhibits[name], choice) if name in exhibits
                     else (timeline.edition(name),))
            if not found:
                raise MuseumError(f"{name} has no {choice} edition")
            chosen += found
    else:
        exhibits_ = [e for e in timeline.runnable if e.bench_quick or not quick]
        for exhibit in exhibits_:
            chosen += editions_of(exhibit, choice)
    if not chosen:
        raise MuseumError(f"no exhibit has a {choice} edition to measure")
    return tuple(e for e in timeline.editions if e in chosen)


def then_and_now(timeline: Timeline, exhibit_id: str) -> tuple[Edition, ...]:
    exhibit = timeline.exhibit(exhibit_id)
    editions = tuple(exhibit.edition(name) for name in ("then", "now"))
    if None in editions:
        having = ", ".join(e.id for e in timeline.exhibits
                           if e.edition("then") and e.edition("now")) or "none yet"
        raise MuseumError(f"{exhibit_id} has no then and now editions to set side by side "
                          f"(exhibits with both: {having})")
    return tuple(e for e in editions if e is not None)


def scalable(timeline: Timeline, edition_id: str) -> Edition:
    """The edition named, or, named by its exhibit's id, that exhibit's edition that has a
    knob (flask-2010's is its now edition: flup's then has none)."""
    edition = timeline.edition(edition_id)
    if edition.scale is None and edition.id == edition.exhibit:
        edition = next((e for e in timeline.exhibit(edition.exhibit).editions if e.scale),
                       edition)
    if edition.scale is None:
        known = ", ".join(e.id for e in timeline.editions if e.scale)
        raise MuseumError(f"{edition_id} has no scale knob in timeline.yaml "
                          f"(scalable: {known})")
    return edition


def scale_targets(edition: Edition, counts: Sequence[int]) -> tuple[Target, ...]:
    """The baseline and one copy of the edition per count, its server's knob set to it."""
    knob = edition.scale
    assert knob is not None
    return (BASELINE_TARGET,
            *(Target(scaled_name(edition, n), f"{edition.id}, {knob.count(n)}",
                     f"{knob.count(n)} ({edition.server.name}; "
                     f"{' '.join(f'{k}={v}' for k, v in knob.environment(n).items())})",
                     exhibit=edition.exhibit, edition=edition.name, python=edition.python,
                     server=edition.server.name)
              for n in counts))


def numbers(text: str, option: str) -> tuple[int, ...]:
    """"1,2,4" as (1, 2, 4): distinct whole numbers of at least 1."""
    try:
        found = tuple(int(c) for c in text.split(","))
    except ValueError:
        raise MuseumError(
            f"{option} takes whole numbers separated by commas, not {text!r}") from None
    if not found or min(found) < 1 or len(set(found)) != len(found):
        raise MuseumError(f"{option} needs distinct numbers of at least 1, not {text!r}")
    return found


@dataclass(frozen=True)
class Request:
    """What the command line asked for, before the timeline is consulted."""

    ids: tuple[str, ...] = ()
    editions: str | None = None
    quick: bool = False
    then_and_now: str | None = None
    scale: str | None = None
    counts: str = "1,2,4"
    levels: str | None = None
    duration: int | None = None
    rounds: int | None = None
    slow_n: int | None = None
    idle: str | None = None
    cpus: float | None = None
    memory: str = "1g"


def plan(timeline: Timeline, request: Request, cores: int) -> Plan:
    r = request
    exclusive = [name for name, given in (("--scale", r.scale), ("--then-and-now",
                 r.then_and_now)) if given]
    if exclusive and (r.ids or r.quick or len(exclusive) > 1 or r.editions):
        raise MuseumError(f"{exclusive[0]} measures one exhibit: name it with "
                          f"{exclusive[0]} alone")
    scaling: tuple[Edition, tuple[int, ...]] | None = None
    if r.scale:
        scaling = (scalable(timeline, r.scale), numbers(r.counts, "--counts"))
        mode, targets = "scale", scale_targets(*scaling)
    else:
        if r.then_and_now:
            mode, editions = "then-and-now", then_and_now(timeline, r.then_and_now)
        else:
            mode = "chosen" if r.ids else "quick" if r.quick else "full"
            editions = choose(timeline, r.ids, r.editions or "then", r.quick)
        targets = (BASELINE_TARGET, *(target(e) for e in editions))
    scaled = scaling is not None
    levels = (numbers(r.levels, "--levels") if r.levels else
              (1, 16, 64) if r.quick else (16, 64) if scaled else (1, 16, 64, 256))
    idle = (() if r.idle in ("0", "none") else numbers(r.idle, "--idle") if r.idle
            else IDLE_LEVELS)
    settings = Settings(
        levels=tuple(sorted(levels)),
        duration=r.duration or (1 if r.quick else 5),
        rounds=r.rounds or (1 if r.quick else 3),
        slow_n=r.slow_n or (16 if r.quick else 32 if scaled else 100),
        slow_ms=200,
        # Scaling shows what more cores buy: the copies may use every core (wrk shares
        # them); otherwise every target gets one CPU, the same for all.
        cpus=r.cpus if r.cpus is not None else float(cores) if scaled else 1.0,
        memory=r.memory,
        editions=("all" if mode == "then-and-now" else "chosen" if r.ids and not r.editions
                  else "scale" if scaled else r.editions or "then"),
        idle=tuple(sorted(idle)),
    )
    return Plan(mode=mode, targets=targets, settings=settings, scaling=scaling)
