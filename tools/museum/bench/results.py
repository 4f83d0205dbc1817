"""What `museum bench` measured, as frozen records: written as JSON (results.json,
scale-ID.json, then-and-now-ID.json) and read back by the report, the charts, the lobby and
the tests through these types only.

Files written before the records had a schema still load: `legacy.convert` reads them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from museum.errors import MuseumError

SCHEMA = 2
COMMITTED = Path("docs/bench")  # under the root: the runs the lobby and the tour show
EDITION_NAMES = ("then", "now")


@dataclass(frozen=True)
class Summary:
    """The median of a measure over the rounds, with its range."""

    median: float
    low: float
    high: float
    n: int

    @property
    def spread(self) -> float:
        """Half the range as a fraction of the median: ±x%."""
        return (self.high - self.low) / 2 / self.median if self.median else 0.0


@dataclass(frozen=True)
class Machine:
    cores: int
    cpu: str
    memory_gib: float | None
    kernel: str
    docker: str
    compose: str
    cgroup: str
    python: str


@dataclass(frozen=True)
class Settings:
    """How the run was made: the same for every target."""

    levels: tuple[int, ...]
    duration: int
    rounds: int
    slow_n: int
    slow_ms: int
    cpus: float
    memory: str
    # Which editions were chosen: then (each exhibit's main edition), now, all, or the
    # services named on the command line.
    editions: str = "then"
    # Idle keep-alive connections held open while GET /hello is asked to answer; () when the
    # run did not measure them.
    idle: tuple[int, ...] = ()
    idle_limit: float = 1.0

    @property
    def top(self) -> int:
        return self.levels[-1]


@dataclass(frozen=True)
class Target:
    """One container measured: the baseline, an edition, or a scaled copy of one."""

    id: str  # the Compose service, which is also its host name on the bench's network
    label: str  # "Flask 3.1.3 on Python 3.11"
    workers: str  # "prefork (gunicorn 27.0.1)"
    exhibit: str | None = None
    edition: str | None = None  # then, now
    python: str | None = None
    server: str | None = None  # the server's name as timeline.yaml gives it: "gunicorn"
    baseline: bool = False

    @property
    def name(self) -> str:
        """How charts and pages name it: "flask-2010 (then)", or the service's id."""
        if self.baseline or self.exhibit is None or self.edition is None:
            return self.id
        return f"{self.exhibit} ({self.edition})"


@dataclass(frozen=True)
class Level:
    """GET /hello at one number of keep-alive connections."""

    connections: int
    rps: Summary | None  # 2xx and 3xx answers per second
    ratio: float | None  # the median over the baseline's, measured beside it
    p50: Summary | None
    p90: Summary | None
    p99: Summary | None


@dataclass(frozen=True)
class Slow:
    """N concurrent GET /slow: seconds until all were answered, over the rounds that were."""

    wall: Summary | None
    incomplete: int  # rounds in which not every request was answered


@dataclass(frozen=True)
class Write:
    """JSON posts to /guestbook: how many wrk saw accepted, how many the guestbook stored."""

    rps: Summary | None
    accepted: int
    stored: int | None  # None when the guestbook's total could not be read
    errors: int
    exactly_once: bool | None  # None when unchecked


@dataclass(frozen=True)
class Memory:
    idle: int | None  # bytes resident before the load
    peak: int | None  # the most seen while it ran


@dataclass(frozen=True)
class Idle:
    """`connections` idle keep-alive connections open (each has had one GET /hello answered
    and stays silent), then one GET /hello on a connection of its own."""

    connections: int
    opened: int  # connected
    answered: int  # had their first request answered
    open: int  # still open when the probe was sent (a server may close them)
    probe: float | None  # seconds the probe took; None when not within the limit

    @property
    def held(self) -> bool:
        return self.probe is not None


@dataclass(frozen=True)
class Entry:
    """Everything measured of one target."""

    target: Target
    hello: tuple[Level, ...]
    errors: int  # socket errors and other than 2xx or 3xx, over every /hello run
    slow: Slow | None  # None for the baseline
    write: Write | None  # None for the baseline
    memory: Memory
    start: float | None  # seconds from the container's start to its first 200
    idle: tuple[Idle, ...] = ()

    def level(self, connections: int) -> Level:
        for level in self.hello:
            if level.connections == connections:
                return level
        raise MuseumError(f"{self.target.id} was not measured at {connections} connections")

    def rps(self, connections: int) -> float | None:
        summary = self.level(connections).rps
        return summary.median if summary else None

    @property
    def holds(self) -> int | None:
        """The most idle connections under which GET /hello still answered within the
        limit, counting up from the fewest (0 when it did not at the fewest); None when not
        measured."""
        if not self.idle:
            return None
        most = 0
        for idle in sorted(self.idle, key=lambda i: i.connections):
            if not idle.held:
                break
            most = idle.connections
        return most

    @property
    def closes(self) -> bool:
        """The server closed the idle connections it answered instead of keeping them alive
        (at the most it held), so that they never tied it up."""
        most = self.holds
        found = next((i for i in self.idle if i.connections == most), None)
        return found is not None and found.answered > 0 and found.open == 0


@dataclass(frozen=True)
class Scale:
    """`museum bench --scale`: one edition at several counts of workers or threads."""

    exhibit: str  # the edition's service
    unit: str  # workers, threads, processes
    one: str  # worker, thread, process
    counts: tuple[int, ...]
    default: int  # what the edition runs with
    server: str
    concurrency: str
    targets: tuple[str, ...]  # the copies' ids, by count


@dataclass(frozen=True)
class Results:
    measured: str  # UTC, ISO 8601
    mode: str  # full, quick, scale, then-and-now, chosen
    machine: Machine
    settings: Settings
    entries: tuple[Entry, ...]
    scale: Scale | None = None
    note: str | None = None  # what a reader of the figures should know (a conversion)

    # ---- reading ------------------------------------------------------------------------

    @property
    def targets(self) -> tuple[Target, ...]:
        return tuple(e.target for e in self.entries)

    @property
    def exhibits(self) -> tuple[Entry, ...]:
        """Every entry but the baseline's."""
        return tuple(e for e in self.entries if not e.target.baseline)

    @property
    def baseline(self) -> Entry | None:
        return next((e for e in self.entries if e.target.baseline), None)

    def entry(self, target_id: str) -> Entry:
        for entry in self.entries:
            if entry.target.id == target_id:
                return entry
        raise MuseumError(f"no target {target_id!r} in these results")

    def editions_of(self, exhibit: str) -> dict[str, Entry]:
        return {e.target.edition: e for e in self.exhibits
                if e.target.exhibit == exhibit and e.target.edition in EDITION_NAMES}

    def then_and_now(self) -> Iterator[tuple[Entry, Entry]]:
        """(then, now) for every exhibit whose two editions were both measured."""
        if self.scale is not None:
            return
        seen: list[str] = []
        for entry in self.exhibits:
            exhibit = entry.target.exhibit
            if exhibit is None or exhibit in seen:
                continue
            seen.append(exhibit)
            pair = self.editions_of(exhibit)
            if "then" in pair and "now" in pair:
                yield pair["then"], pair["now"]

    # ---- JSON ---------------------------------------------------------------------------

    def to_json(self) -> str:
        return json.dumps({"schema": SCHEMA, **asdict(self)}, indent=2) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Results:
        try:
            data = json.loads(text)
        except ValueError as error:
            raise MuseumError(f"not JSON: {error}") from None
        if not isinstance(data, dict):
            raise MuseumError("bench results are a JSON object")
        if "schema" not in data:
            from museum.bench import legacy

            return legacy.convert(data)
        if data["schema"] != SCHEMA:
            raise MuseumError(f"bench results of schema {data['schema']}, this reads {SCHEMA}")
        try:
            return _results(data)
        except (KeyError, TypeError, ValueError) as error:
            raise MuseumError(f"bench results are malformed: {error!r}") from None

    @classmethod
    def load(cls, path: Path) -> Results:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as error:
            raise MuseumError(f"{path}: cannot read bench results: {error.strerror}") from None
        try:
            return cls.from_json(text)
        except MuseumError as error:
            raise MuseumError(f"{path}: cannot read bench results: {error}") from None

    def dump(self, path: Path) -> None:
        path.write_text(self.to_json(), encoding="utf-8")


# ---- from plain data ----------------------------------------------------------------------

Plain = Mapping[str, Any]


def _summary(data: Plain | None) -> Summary | None:
    if data is None:
        return None
    return Summary(float(data["median"]), float(data["low"]), float(data["high"]),
                   int(data["n"]))


def _optional_int(value: Any) -> int | None:
    return None if value is None else int(value)


def _optional_float(value: Any) -> float | None:
    return None if value is None else float(value)


def _machine(data: Plain) -> Machine:
    return Machine(cores=int(data["cores"]), cpu=str(data["cpu"]),
                   memory_gib=_optional_float(data.get("memory_gib")),
                   kernel=str(data["kernel"]), docker=str(data["docker"]),
                   compose=str(data.get("compose", "unknown")),
                   cgroup=str(data.get("cgroup", "unknown")),
                   python=str(data.get("python", "unknown")))


def _settings(data: Plain) -> Settings:
    return Settings(levels=tuple(int(c) for c in data["levels"]),
                    duration=int(data["duration"]), rounds=int(data["rounds"]),
                    slow_n=int(data["slow_n"]), slow_ms=int(data["slow_ms"]),
                    cpus=float(data["cpus"]), memory=str(data["memory"]),
                    editions=str(data.get("editions", "then")),
                    idle=tuple(int(c) for c in data.get("idle", ())),
                    idle_limit=float(data.get("idle_limit", 1.0)))


def _target(data: Plain) -> Target:
    return Target(id=str(data["id"]), label=str(data["label"]), workers=str(data["workers"]),
                  exhibit=data.get("exhibit"), edition=data.get("edition"),
                  python=data.get("python"), server=data.get("server"),
                  baseline=bool(data.get("baseline", False)))


def _level(data: Plain) -> Level:
    return Level(connections=int(data["connections"]), rps=_summary(data["rps"]),
                 ratio=_optional_float(data["ratio"]), p50=_summary(data["p50"]),
                 p90=_summary(data["p90"]), p99=_summary(data["p99"]))


def _write(data: Plain | None) -> Write | None:
    if data is None:
        return None
    once = data["exactly_once"]
    return Write(rps=_summary(data["rps"]), accepted=int(data["accepted"]),
                 stored=_optional_int(data["stored"]), errors=int(data["errors"]),
                 exactly_once=None if once is None else bool(once))


def _idle(data: Plain) -> Idle:
    return Idle(connections=int(data["connections"]), opened=int(data["opened"]),
                answered=int(data["answered"]), open=int(data["open"]),
                probe=_optional_float(data["probe"]))


def _entry(data: Plain) -> Entry:
    slow = data["slow"]
    return Entry(
        target=_target(data["target"]),
        hello=tuple(_level(d) for d in data["hello"]),
        errors=int(data["errors"]),
        slow=None if slow is None else Slow(_summary(slow["wall"]), int(slow["incomplete"])),
        write=_write(data["write"]),
        memory=Memory(_optional_int(data["memory"]["idle"]),
                      _optional_int(data["memory"]["peak"])),
        start=_optional_float(data["start"]),
        idle=tuple(_idle(d) for d in data.get("idle", ())),
    )


def _scale(data: Plain | None) -> Scale | None:
    if data is None:
        return None
    return Scale(exhibit=str(data["exhibit"]), unit=str(data["unit"]), one=str(data["one"]),
                 counts=tuple(int(c) for c in data["counts"]), default=int(data["default"]),
                 server=str(data["server"]), concurrency=str(data["concurrency"]),
                 targets=tuple(str(t) for t in data["targets"]))


def _results(data: Plain) -> Results:
    return Results(measured=str(data["measured"]), mode=str(data["mode"]),
                   machine=_machine(data["machine"]), settings=_settings(data["settings"]),
                   entries=tuple(_entry(d) for d in data["entries"]),
                   scale=_scale(data.get("scale")), note=data.get("note"))


def committed(root: Path, name: str = "results.json") -> Results | None:
    """A results file committed in docs/bench, or None where there is none to read."""
    try:
        return Results.load(root / COMMITTED / name)
    except MuseumError:
        return None
