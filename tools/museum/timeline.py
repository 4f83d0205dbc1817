"""timeline.yaml: the museum's one source of truth, loaded into typed records.

An exhibit (an era's app, its year and its sources) has one or two editions: `then`, the
release of its era on the oldest Python that can still be had, and `now`, today's release on
today's Python. Each edition is a container of its own. Every error names the file, the line
and the key, in one line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any, TypeVar

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from museum.errors import MuseumError

CAPABILITIES = ("streaming", "sse", "websocket", "http2")
CONCURRENCY = ("process-per-request", "prefork", "threads", "prefork+threads", "event-loop",
               "greenlets")
INTERFACES = ("CGI/1.1", "FastCGI", "SCGI", "uwsgi", "WSGI", "ASGI 1.0", "ASGI 3.0", "native")
SCALE_UNITS = ("workers", "threads", "processes")
EDITIONS = ("then", "now")
ADDITIONS = ("pitfalls",)
ID_PATTERN = re.compile(r"^[a-z][a-z0-9]*-(\d{4})$")
ENV_NAME = re.compile(r"^[A-Z_][A-Z0-9_]*$")
PYTHON_VERSION = re.compile(r"^[23]\.\d+(\.\d+)?$")
MEMORY = re.compile(r"^\d+[mg]$")
CAPABILITY_NAME = re.compile(r"^[A-Z_]+$")
CONTAINER_PORT = 8000
TLS_CONTAINER_PORT = 8443


class ManifestError(MuseumError):
    pass


@dataclass(frozen=True)
class Source:
    title: str
    url: str


@dataclass(frozen=True)
class Component:
    name: str
    version: str
    # The Python distribution that carries it, pinned at `version` in the edition's
    # requirements.txt (`museum check` holds them together); None for Apache, nginx, ...
    package: str | None = None

    def __str__(self) -> str:
        return f"{self.name} {self.version}"


@dataclass(frozen=True)
class Heart:
    """The few lines of an edition's own source that make its era recognisable; `file` is
    relative to the edition's folder."""

    file: str
    start: str
    lines: int


@dataclass(frozen=True)
class NotRunnable:
    reason: str
    tried: str


@dataclass(frozen=True)
class Scale:
    """The server's own knob for how many workers, threads or processes serve: environment
    variables whose values hold `{n}`, read by the server (or the app) at start."""

    unit: str
    env: tuple[tuple[str, str], ...]
    default: int

    def count(self, n: int) -> str:
        """"1 worker", "4 threads", "2 processes"."""
        one = {"workers": "worker", "threads": "thread", "processes": "process"}[self.unit]
        return f"{n} {self.unit if n != 1 else one}"

    def environment(self, n: int) -> dict[str, str]:
        return {name: template.replace("{n}", str(n)) for name, template in self.env}


@dataclass(frozen=True)
class Quirk:
    """A known answer of the era's real software to a case of the hostile corpus that the
    contract would not accept from the museum's own code: recorded, tested, shown."""

    case: str
    answer: str
    reason: str


@dataclass(frozen=True)
class Limits:
    """How a running edition is confined: memory, processes and CPUs, and the paths of its
    read-only root filesystem where the server writes scratch files (tmpfs)."""

    memory: str
    pids: int
    cpus: str
    scratch: tuple[str, ...] = ()
    cap_add: tuple[str, ...] = ()


DEFAULT_LIMITS = Limits(memory="512m", pids=256, cpus="1.0", scratch=("/tmp",))


@dataclass(frozen=True)
class Era:
    id: str
    title: str
    years: str
    story: str


@dataclass(frozen=True)
class Edition:
    """One container of an exhibit: its release, its Python, its port and what it can do.

    `id` is its Compose service: the exhibit's id for the edition the exhibit shows first
    (`then` where there is one), `<exhibit>-now` for today's edition beside it.
    """

    exhibit: str
    name: str
    id: str
    era: str
    year: int
    title: str
    framework: Component
    server: Component
    python: str
    interface: str
    concurrency: str
    port: int
    capabilities: frozenset[str]
    storage: str
    heart: Heart
    differs: str
    released: int | None = None
    tls_port: int | None = None
    scale: Scale | None = None
    tried: str | None = None
    quirks: tuple[Quirk, ...] = ()
    additions: frozenset[str] = frozenset()
    limits: Limits = DEFAULT_LIMITS

    @property
    def folder(self) -> PurePosixPath:
        return PurePosixPath("exhibits", self.exhibit, self.name)

    @property
    def dockerfile(self) -> PurePosixPath:
        return self.folder / "Dockerfile"

    @property
    def requirements(self) -> PurePosixPath:
        return self.folder / "requirements.txt"

    @property
    def placard(self) -> PurePosixPath:
        return PurePosixPath("exhibits", self.exhibit, "PLACARD.md")

    @property
    def image(self) -> str:
        return f"museum/{self.id}:latest"

    @property
    def volume(self) -> str:
        return f"{self.id}-data"

    @property
    def period(self) -> bool:
        """Built from the period base image (Debian bullseye), not today's."""
        return self.name == "then"

    @property
    def label(self) -> str:
        """"Tornado 1.0 on Python 2.7.18"."""
        return f"{self.framework} on Python {self.python}"

    def has(self, capability: str) -> bool:
        return capability in self.capabilities

    def quirk(self, case: str) -> Quirk | None:
        return next((q for q in self.quirks if q.case == case), None)


@dataclass(frozen=True)
class Exhibit:
    id: str
    era: str
    year: int
    title: str
    sources: tuple[Source, ...]
    notes: str
    editions: tuple[Edition, ...] = ()
    not_runnable: NotRunnable | None = None
    bench_quick: bool = False

    @property
    def runnable(self) -> bool:
        return bool(self.editions)

    @property
    def main(self) -> Edition:
        """The edition served under the exhibit's own id."""
        if not self.editions:
            raise MuseumError(f"{self.id} is not runnable")
        return self.editions[0]

    def edition(self, name: str) -> Edition | None:
        return next((e for e in self.editions if e.name == name), None)

    @property
    def folder(self) -> PurePosixPath:
        return PurePosixPath("exhibits", self.id)

    @property
    def placard(self) -> PurePosixPath:
        return self.folder / "PLACARD.md"


@dataclass(frozen=True)
class Timeline:
    eras: tuple[Era, ...]
    exhibits: tuple[Exhibit, ...]
    lobby_port: int = 8100
    editions: tuple[Edition, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "editions",
                           tuple(ed for exhibit in self.exhibits for ed in exhibit.editions))

    @property
    def runnable(self) -> tuple[Exhibit, ...]:
        return tuple(e for e in self.exhibits if e.runnable)

    def exhibit(self, exhibit_id: str) -> Exhibit:
        for exhibit in self.exhibits:
            if exhibit.id == exhibit_id:
                return exhibit
        known = ", ".join(e.id for e in self.exhibits)
        raise MuseumError(f"no exhibit {exhibit_id!r} in timeline.yaml (known: {known})")

    def edition(self, service: str) -> Edition:
        """An edition by its service name: `tornado-2009`, `tornado-2009-now`."""
        for edition in self.editions:
            if edition.id == service:
                return edition
        exhibit = next((e for e in self.exhibits if e.id == service), None)
        if exhibit is not None and exhibit.not_runnable is not None:
            raise MuseumError(f"{service} is not runnable: {exhibit.not_runnable.reason}")
        known = ", ".join(e.id for e in self.editions)
        raise MuseumError(f"no exhibit or edition {service!r} in timeline.yaml (known: {known})")

    def era(self, era_id: str) -> Era:
        for era in self.eras:
            if era.id == era_id:
                return era
        raise MuseumError(f"no era {era_id!r} in timeline.yaml")

    def with_addition(self, addition: str) -> tuple[Edition, ...]:
        return tuple(e for e in self.editions if addition in e.additions)

    @property
    def bench_quick(self) -> tuple[Edition, ...]:
        return tuple(e.main for e in self.exhibits if e.bench_quick and e.runnable)


T = TypeVar("T")


class _Reader:
    """Walks the YAML node tree, so that every error can name its line."""

    def __init__(self, filename: str) -> None:
        self.filename = filename

    def fail(self, node: Node, where: str, message: str) -> ManifestError:
        return ManifestError(f"{self.filename}:{node.start_mark.line + 1}: {where}: {message}")

    def mapping(self, node: Node, where: str, required: tuple[str, ...],
                optional: tuple[str, ...] = ()) -> dict[str, Node]:
        if not isinstance(node, MappingNode):
            raise self.fail(node, where, "expected a mapping")
        found: dict[str, Node] = {}
        for key_node, value_node in node.value:
            key = key_node.value
            if key not in required and key not in optional:
                allowed = ", ".join((*required, *optional))
                raise self.fail(key_node, f"{where}.{key}", f"unknown key (allowed: {allowed})")
            if key in found:
                raise self.fail(key_node, f"{where}.{key}", "key given twice")
            found[key] = value_node
        for key in required:
            if key not in found:
                raise self.fail(node, f"{where}.{key}", "missing required key")
        return found

    def scalar(self, node: Node, where: str) -> str:
        if not isinstance(node, ScalarNode) or node.tag.endswith(":null"):
            raise self.fail(node, where, "expected a value")
        text = str(node.value).strip()
        if not text:
            raise self.fail(node, where, "must not be empty")
        return text

    def matching(self, node: Node, where: str, pattern: re.Pattern[str], shape: str) -> str:
        text = self.scalar(node, where)
        if not pattern.match(text):
            raise self.fail(node, where, f"expected {shape}, got {text!r}")
        return text

    def integer(self, node: Node, where: str, low: int, high: int) -> int:
        text = self.scalar(node, where)
        if not re.fullmatch(r"\d+", text):
            raise self.fail(node, where, f"expected a whole number, got {text!r}")
        value = int(text)
        if not low <= value <= high:
            raise self.fail(node, where, f"{value} is outside {low}..{high}")
        return value

    def boolean(self, node: Node, where: str) -> bool:
        text = self.scalar(node, where)
        if text not in ("true", "false"):
            raise self.fail(node, where, f"expected true or false, got {text!r}")
        return text == "true"

    def choice(self, node: Node, where: str, allowed: tuple[str, ...]) -> str:
        value = self.scalar(node, where)
        if value not in allowed:
            raise self.fail(node, where, f"unknown value {value!r} (known: {', '.join(allowed)})")
        return value

    def sequence(self, node: Node, where: str, item: Callable[[Node, str], T]) -> tuple[T, ...]:
        if not isinstance(node, SequenceNode):
            raise self.fail(node, where, "expected a list")
        return tuple(item(child, f"{where}[{i}]") for i, child in enumerate(node.value))

    def unique(self, node: Node, where: str, items: tuple[str, ...], what: str) -> None:
        if len(set(items)) != len(items):
            raise self.fail(node, where, f"a {what} is listed twice")


def _era(r: _Reader, node: Node, where: str) -> Era:
    m = r.mapping(node, where, ("id", "title", "years", "story"))
    return Era(
        id=r.scalar(m["id"], f"{where}.id"),
        title=r.scalar(m["title"], f"{where}.title"),
        years=r.scalar(m["years"], f"{where}.years"),
        story=r.scalar(m["story"], f"{where}.story"),
    )


def _component(r: _Reader, node: Node, where: str) -> Component:
    m = r.mapping(node, where, ("name", "version"), ("package",))
    return Component(r.scalar(m["name"], f"{where}.name"),
                     r.scalar(m["version"], f"{where}.version"),
                     r.scalar(m["package"], f"{where}.package") if "package" in m else None)


def _source(r: _Reader, node: Node, where: str) -> Source:
    m = r.mapping(node, where, ("title", "url"))
    url = r.scalar(m["url"], f"{where}.url")
    if not re.match(r"https?://", url):
        raise r.fail(m["url"], f"{where}.url", f"expected an http(s) URL, got {url!r}")
    return Source(r.scalar(m["title"], f"{where}.title"), url)


def _scale(r: _Reader, node: Node, where: str) -> Scale:
    m = r.mapping(node, where, ("unit", "env", "default"))
    env = m["env"]
    if not isinstance(env, MappingNode) or not env.value:
        raise r.fail(env, f"{where}.env", "expected a mapping of environment variables")
    pairs = []
    for key, value in env.value:
        name = str(key.value)
        if not ENV_NAME.match(name):
            raise r.fail(key, f"{where}.env.{name}", "not an environment variable name")
        template = r.scalar(value, f"{where}.env.{name}")
        if "{n}" not in template:
            raise r.fail(value, f"{where}.env.{name}", "the value must hold {n}, the count")
        pairs.append((name, template))
    return Scale(unit=r.choice(m["unit"], f"{where}.unit", SCALE_UNITS), env=tuple(pairs),
                 default=r.integer(m["default"], f"{where}.default", 1, 1000))


def _quirk(r: _Reader, node: Node, where: str) -> Quirk:
    m = r.mapping(node, where, ("case", "answer", "reason"))
    return Quirk(r.scalar(m["case"], f"{where}.case"), r.scalar(m["answer"], f"{where}.answer"),
                 r.scalar(m["reason"], f"{where}.reason"))


def _path(r: _Reader, node: Node, where: str) -> str:
    text = r.scalar(node, where)
    if not text.startswith("/") or ".." in text.split("/"):
        raise r.fail(node, where, f"expected an absolute path, got {text!r}")
    return text


def _limits(r: _Reader, node: Node, where: str, base: Limits) -> Limits:
    m = r.mapping(node, where, (), ("memory", "pids", "cpus", "scratch", "cap_add"))
    scratch = base.scratch
    if "scratch" in m:
        scratch += r.sequence(m["scratch"], f"{where}.scratch", lambda n, w: _path(r, n, w))
        r.unique(m["scratch"], f"{where}.scratch", scratch, "path")
    cap_add = base.cap_add
    if "cap_add" in m:
        cap_add += r.sequence(m["cap_add"], f"{where}.cap_add",
                              lambda n, w: r.matching(n, w, CAPABILITY_NAME, "a capability"))
    return Limits(
        memory=(r.matching(m["memory"], f"{where}.memory", MEMORY, "a size like 512m")
                if "memory" in m else base.memory),
        pids=r.integer(m["pids"], f"{where}.pids", 16, 65536) if "pids" in m else base.pids,
        cpus=(r.matching(m["cpus"], f"{where}.cpus", re.compile(r"^\d+(\.\d+)?$"), "a number")
              if "cpus" in m else base.cpus),
        scratch=scratch,
        cap_add=cap_add,
    )


def _peek_id(node: Node) -> str | None:
    if isinstance(node, MappingNode):
        for key, value in node.value:
            if key.value == "id" and isinstance(value, ScalarNode):
                return str(value.value)
    return None


EDITION_FIELDS = ("framework", "server", "python", "interface", "concurrency", "port",
                  "capabilities", "storage", "heart", "differs")
EDITION_OPTIONAL = ("released", "tls_port", "scale", "tried", "quirks", "additions", "limits")


def _edition(r: _Reader, node: Node, where: str, exhibit: dict[str, str], year: int,
             name: str, service: str, limits: Limits) -> Edition:
    m = r.mapping(node, where, EDITION_FIELDS, EDITION_OPTIONAL)
    capabilities = r.sequence(m["capabilities"], f"{where}.capabilities",
                              lambda n, w: r.choice(n, w, CAPABILITIES))
    r.unique(m["capabilities"], f"{where}.capabilities", capabilities, "capability")
    additions = (r.sequence(m["additions"], f"{where}.additions",
                            lambda n, w: r.choice(n, w, ADDITIONS)) if "additions" in m else ())
    h = r.mapping(m["heart"], f"{where}.heart", ("file", "start", "lines"))
    quirks = (r.sequence(m["quirks"], f"{where}.quirks", lambda n, w: _quirk(r, n, w))
              if "quirks" in m else ())
    r.unique(m.get("quirks", node), f"{where}.quirks",
             tuple(q.case for q in quirks), "quirk case")
    python = r.matching(m["python"], f"{where}.python", PYTHON_VERSION, "a version like 2.7.18")
    if name == "then" and "released" not in m:
        raise r.fail(node, f"{where}.released", "a then edition names its release's year")
    return Edition(
        exhibit=exhibit["id"], name=name, id=service, era=exhibit["era"], year=year,
        title=exhibit["title"],
        framework=_component(r, m["framework"], f"{where}.framework"),
        server=_component(r, m["server"], f"{where}.server"),
        python=python,
        interface=r.choice(m["interface"], f"{where}.interface", INTERFACES),
        concurrency=r.choice(m["concurrency"], f"{where}.concurrency", CONCURRENCY),
        port=r.integer(m["port"], f"{where}.port", 1024, 65535),
        capabilities=frozenset(capabilities),
        storage=r.scalar(m["storage"], f"{where}.storage"),
        heart=Heart(r.scalar(h["file"], f"{where}.heart.file"),
                    r.scalar(h["start"], f"{where}.heart.start"),
                    r.integer(h["lines"], f"{where}.heart.lines", 1, 40)),
        differs=r.scalar(m["differs"], f"{where}.differs"),
        released=(r.integer(m["released"], f"{where}.released", 1989, 2100)
                  if "released" in m else None),
        tls_port=(r.integer(m["tls_port"], f"{where}.tls_port", 1024, 65535)
                  if "tls_port" in m else None),
        scale=_scale(r, m["scale"], f"{where}.scale") if "scale" in m else None,
        tried=r.scalar(m["tried"], f"{where}.tried") if "tried" in m else None,
        quirks=quirks,
        additions=frozenset(additions),
        limits=_limits(r, m["limits"], f"{where}.limits", limits) if "limits" in m else limits,
    )


EXHIBIT_FIELDS = ("id", "era", "year", "title", "sources", "notes")
EXHIBIT_OPTIONAL = ("editions", "not_runnable", "bench_quick")


def _exhibit(r: _Reader, node: Node, where: str,
             limits: Limits) -> tuple[Exhibit, dict[str, Node]]:
    named = _peek_id(node)
    where = f"{where} ({named})" if named else where
    m = r.mapping(node, where, EXHIBIT_FIELDS, EXHIBIT_OPTIONAL)
    exhibit_id = r.scalar(m["id"], f"{where}.id")
    matched = ID_PATTERN.match(exhibit_id)
    if not matched:
        raise r.fail(m["id"], f"{where}.id", "must look like <framework>-<year>, e.g. cgi-1991")
    year = r.integer(m["year"], f"{where}.year", 1989, 2100)
    if int(matched.group(1)) != year:
        raise r.fail(m["year"], f"{where}.year", f"{year} does not match the id {exhibit_id!r}")
    not_runnable = None
    if "not_runnable" in m:
        nr = r.mapping(m["not_runnable"], f"{where}.not_runnable", ("reason", "tried"))
        not_runnable = NotRunnable(r.scalar(nr["reason"], f"{where}.not_runnable.reason"),
                                   r.scalar(nr["tried"], f"{where}.not_runnable.tried"))
    if ("editions" in m) == (not_runnable is not None):
        raise r.fail(node, f"{where}.editions",
                     "an exhibit has editions, or a not_runnable record, never both or neither")
    sources = r.sequence(m["sources"], f"{where}.sources", lambda n, w: _source(r, n, w))
    if not sources:
        raise r.fail(m["sources"], f"{where}.sources", "cite at least one primary source")
    head = {"id": exhibit_id, "era": r.scalar(m["era"], f"{where}.era"),
            "title": r.scalar(m["title"], f"{where}.title")}
    editions: list[Edition] = []
    if "editions" in m:
        found = r.mapping(m["editions"], f"{where}.editions", (), EDITIONS)
        if not found:
            raise r.fail(m["editions"], f"{where}.editions", "expected a then or now edition")
        names = [name for name in EDITIONS if name in found]
        for name in names:
            service = exhibit_id if name == names[0] else f"{exhibit_id}-{name}"
            editions.append(_edition(r, found[name], f"{where}.editions.{name}", head, year,
                                     name, service, limits))
    exhibit = Exhibit(
        id=exhibit_id, era=head["era"], year=year, title=head["title"], sources=sources,
        notes=r.scalar(m["notes"], f"{where}.notes"), editions=tuple(editions),
        not_runnable=not_runnable,
        bench_quick=r.boolean(m["bench_quick"], f"{where}.bench_quick")
        if "bench_quick" in m else False,
    )
    return exhibit, m


def _edition_nodes(m: dict[str, Node]) -> dict[str, MappingNode]:
    editions = m.get("editions")
    if not isinstance(editions, MappingNode):
        return {}
    return {str(k.value): v for k, v in editions.value if isinstance(v, MappingNode)}


def _node_of(edition_node: MappingNode, key: str) -> Node:
    return next((v for k, v in edition_node.value if k.value == key), edition_node)


def parse(text: str, filename: str = "timeline.yaml") -> Timeline:
    r = _Reader(filename)
    try:
        root = yaml.compose(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        problem = getattr(error, "problem", None) or str(error)
        raise ManifestError(f"{filename}{line}: not valid YAML: {problem}") from None
    if root is None:
        raise ManifestError(f"{filename}:1: empty manifest")
    top = r.mapping(root, "timeline", ("lobby", "eras", "exhibits"), ("containment",))
    lobby = r.mapping(top["lobby"], "lobby", ("port",))
    lobby_port = r.integer(lobby["port"], "lobby.port", 1024, 65535)
    limits = (_limits(r, top["containment"], "containment", replace(DEFAULT_LIMITS, scratch=()))
              if "containment" in top else DEFAULT_LIMITS)
    eras = r.sequence(top["eras"], "eras", lambda n, w: _era(r, n, w))
    seen_eras: dict[str, Era] = {}
    for era, era_node in zip(eras, top["eras"].value, strict=True):
        if era.id in seen_eras:
            raise r.fail(era_node, f"eras ({era.id}).id", f"duplicate era id {era.id!r}")
        seen_eras[era.id] = era

    parsed = r.sequence(top["exhibits"], "exhibits", lambda n, w: _exhibit(r, n, w, limits))
    ids: dict[str, int] = {}
    ports: dict[int, str] = {lobby_port: "the lobby"}
    previous_year = 0
    for index, (exhibit, m) in enumerate(parsed):
        where = f"exhibits[{index}] ({exhibit.id})"
        if exhibit.id in ids:
            raise r.fail(m["id"], f"{where}.id", f"duplicate exhibit id {exhibit.id!r}")
        ids[exhibit.id] = index
        nodes = _edition_nodes(m)
        for edition in exhibit.editions:
            node = nodes[edition.name]
            at = f"{where}.editions.{edition.name}"
            for key, port in (("port", edition.port), ("tls_port", edition.tls_port)):
                if port is None:
                    continue
                if port in ports:
                    raise r.fail(_node_of(node, key), f"{at}.{key}",
                                 f"port {port} is already used by {ports[port]}")
                ports[port] = edition.id if key == "port" else f"{edition.id} (TLS)"
        if exhibit.era not in seen_eras:
            raise r.fail(m["era"], f"{where}.era", f"unknown era {exhibit.era!r} "
                                                   f"(known: {', '.join(seen_eras)})")
        if exhibit.year < previous_year:
            raise r.fail(m["year"], f"{where}.year",
                         f"{exhibit.year} comes before {previous_year}: keep exhibits in "
                         "timeline order")
        previous_year = exhibit.year
    return Timeline(eras=eras, exhibits=tuple(exhibit for exhibit, _ in parsed),
                    lobby_port=lobby_port)


def load(path: Path) -> Timeline:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ManifestError(f"{path}: cannot read: {error.strerror}") from None
    return parse(text, filename=path.name)


def as_plain(value: Any) -> Any:
    """Records as plain data, for JSON output."""
    if hasattr(value, "__dataclass_fields__"):
        return {k: as_plain(v) for k, v in value.__dict__.items()}
    if isinstance(value, frozenset):
        return sorted(value)
    if isinstance(value, tuple):
        return [as_plain(v) for v in value]
    return value
