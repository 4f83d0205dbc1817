"""timeline.yaml: the museum's one source of truth, loaded into typed records.

Every error names the file, the line and the key, in one line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from museum.errors import MuseumError

CAPABILITIES = ("streaming", "sse", "websocket", "http2")
CONCURRENCY = ("process-per-request", "prefork", "threads", "prefork+threads", "event-loop")
INTERFACES = ("CGI/1.1", "FastCGI", "SCGI", "uwsgi", "WSGI", "ASGI 3.0", "native")
SCALE_UNITS = ("workers", "threads", "processes")
ID_PATTERN = re.compile(r"^[a-z][a-z0-9]*-(\d{4})$")
ENV_NAME = re.compile(r"^[A-Z_][A-Z0-9_]*$")
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

    def __str__(self) -> str:
        return f"{self.name} {self.version}"


@dataclass(frozen=True)
class Heart:
    """The few lines of an exhibit's own source that make its era recognisable."""

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
class Era:
    id: str
    title: str
    years: str
    story: str


@dataclass(frozen=True)
class Exhibit:
    id: str
    era: str
    year: int
    title: str
    framework: Component
    server: Component
    interface: str
    concurrency: str
    port: int
    capabilities: frozenset[str]
    storage: str
    sources: tuple[Source, ...]
    notes: str
    heart: Heart | None = None
    not_runnable: NotRunnable | None = None
    # A second published port where the exhibit serves HTTPS (container port TLS_CONTAINER_PORT).
    tls_port: int | None = None
    scale: Scale | None = None

    @property
    def runnable(self) -> bool:
        return self.not_runnable is None

    def has(self, capability: str) -> bool:
        return capability in self.capabilities


@dataclass(frozen=True)
class Timeline:
    eras: tuple[Era, ...]
    exhibits: tuple[Exhibit, ...]
    lobby_port: int = 8100

    @property
    def runnable(self) -> tuple[Exhibit, ...]:
        return tuple(e for e in self.exhibits if e.runnable)

    def exhibit(self, exhibit_id: str) -> Exhibit:
        for exhibit in self.exhibits:
            if exhibit.id == exhibit_id:
                return exhibit
        known = ", ".join(e.id for e in self.exhibits)
        raise MuseumError(f"no exhibit {exhibit_id!r} in timeline.yaml (known: {known})")

    def era(self, era_id: str) -> Era:
        for era in self.eras:
            if era.id == era_id:
                return era
        raise MuseumError(f"no era {era_id!r} in timeline.yaml")


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

    def integer(self, node: Node, where: str, low: int, high: int) -> int:
        text = self.scalar(node, where)
        if not re.fullmatch(r"\d+", text):
            raise self.fail(node, where, f"expected a whole number, got {text!r}")
        value = int(text)
        if not low <= value <= high:
            raise self.fail(node, where, f"{value} is outside {low}..{high}")
        return value

    def choice(self, node: Node, where: str, allowed: tuple[str, ...]) -> str:
        value = self.scalar(node, where)
        if value not in allowed:
            raise self.fail(node, where, f"unknown value {value!r} (known: {', '.join(allowed)})")
        return value

    def sequence(self, node: Node, where: str, item: Callable[[Node, str], T]) -> tuple[T, ...]:
        if not isinstance(node, SequenceNode):
            raise self.fail(node, where, "expected a list")
        return tuple(item(child, f"{where}[{i}]") for i, child in enumerate(node.value))


def _era(r: _Reader, node: Node, where: str) -> Era:
    m = r.mapping(node, where, ("id", "title", "years", "story"))
    return Era(
        id=r.scalar(m["id"], f"{where}.id"),
        title=r.scalar(m["title"], f"{where}.title"),
        years=r.scalar(m["years"], f"{where}.years"),
        story=r.scalar(m["story"], f"{where}.story"),
    )


def _component(r: _Reader, node: Node, where: str) -> Component:
    m = r.mapping(node, where, ("name", "version"))
    return Component(r.scalar(m["name"], f"{where}.name"),
                     r.scalar(m["version"], f"{where}.version"))


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


def _peek_id(node: Node) -> str | None:
    if isinstance(node, MappingNode):
        for key, value in node.value:
            if key.value == "id" and isinstance(value, ScalarNode):
                return str(value.value)
    return None


def _exhibit(r: _Reader, node: Node, where: str) -> tuple[Exhibit, dict[str, Node]]:
    fields = ("id", "era", "year", "title", "framework", "server", "interface", "concurrency",
              "capabilities", "storage", "sources", "notes")
    named = _peek_id(node)
    where = f"{where} ({named})" if named else where
    m = r.mapping(node, where, fields, ("port", "tls_port", "heart", "not_runnable", "scale"))
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
    if "port" in m:
        port = r.integer(m["port"], f"{where}.port", 1024, 65535)
    elif not_runnable is None:
        raise r.fail(node, f"{where}.port", "missing required key (only a not_runnable entry "
                                            "may go without)")
    else:
        port = 0
    tls_port = None
    if "tls_port" in m:
        if not_runnable is not None:
            raise r.fail(m["tls_port"], f"{where}.tls_port", "a not_runnable entry has no ports")
        tls_port = r.integer(m["tls_port"], f"{where}.tls_port", 1024, 65535)
    capabilities = r.sequence(m["capabilities"], f"{where}.capabilities",
                              lambda n, w: r.choice(n, w, CAPABILITIES))
    if len(set(capabilities)) != len(capabilities):
        raise r.fail(m["capabilities"], f"{where}.capabilities", "a capability is listed twice")
    sources = r.sequence(m["sources"], f"{where}.sources", lambda n, w: _source(r, n, w))
    if not sources:
        raise r.fail(m["sources"], f"{where}.sources", "cite at least one primary source")
    heart = None
    if "heart" in m:
        h = r.mapping(m["heart"], f"{where}.heart", ("file", "start", "lines"))
        heart = Heart(r.scalar(h["file"], f"{where}.heart.file"),
                      r.scalar(h["start"], f"{where}.heart.start"),
                      r.integer(h["lines"], f"{where}.heart.lines", 1, 40))
    scale = None
    if "scale" in m:
        if not_runnable is not None:
            raise r.fail(m["scale"], f"{where}.scale", "a not_runnable entry cannot be scaled")
        scale = _scale(r, m["scale"], f"{where}.scale")
    exhibit = Exhibit(
        id=exhibit_id,
        era=r.scalar(m["era"], f"{where}.era"),
        year=year,
        title=r.scalar(m["title"], f"{where}.title"),
        framework=_component(r, m["framework"], f"{where}.framework"),
        server=_component(r, m["server"], f"{where}.server"),
        interface=r.choice(m["interface"], f"{where}.interface", INTERFACES),
        concurrency=r.choice(m["concurrency"], f"{where}.concurrency", CONCURRENCY),
        port=port,
        capabilities=frozenset(capabilities),
        storage=r.scalar(m["storage"], f"{where}.storage"),
        sources=sources,
        notes=r.scalar(m["notes"], f"{where}.notes"),
        heart=heart,
        not_runnable=not_runnable,
        tls_port=tls_port,
        scale=scale,
    )
    return exhibit, m


def parse(text: str, filename: str = "timeline.yaml",
          exhibits_dir: Path | None = None) -> Timeline:
    """Parse and validate; with exhibits_dir, also require each exhibit's folder."""
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
    top = r.mapping(root, "timeline", ("lobby", "eras", "exhibits"))
    lobby = r.mapping(top["lobby"], "lobby", ("port",))
    lobby_port = r.integer(lobby["port"], "lobby.port", 1024, 65535)
    eras = r.sequence(top["eras"], "eras", lambda n, w: _era(r, n, w))
    seen_eras: dict[str, Era] = {}
    for era, era_node in zip(eras, top["eras"].value, strict=True):
        if era.id in seen_eras:
            raise r.fail(era_node, f"eras ({era.id}).id", f"duplicate era id {era.id!r}")
        seen_eras[era.id] = era

    parsed = r.sequence(top["exhibits"], "exhibits", lambda n, w: _exhibit(r, n, w))
    ids: dict[str, int] = {}
    ports: dict[int, str] = {lobby_port: "the lobby"}
    previous_year = 0
    for index, (exhibit, m) in enumerate(parsed):
        where = f"exhibits[{index}] ({exhibit.id})"
        if exhibit.id in ids:
            raise r.fail(m["id"], f"{where}.id", f"duplicate exhibit id {exhibit.id!r}")
        ids[exhibit.id] = index
        if exhibit.runnable:
            if exhibit.port in ports:
                raise r.fail(m["port"], f"{where}.port",
                             f"port {exhibit.port} is already used by {ports[exhibit.port]}")
            ports[exhibit.port] = exhibit.id
            if exhibit.tls_port is not None:
                if exhibit.tls_port in ports:
                    raise r.fail(m["tls_port"], f"{where}.tls_port", f"port {exhibit.tls_port} "
                                 f"is already used by {ports[exhibit.tls_port]}")
                ports[exhibit.tls_port] = f"{exhibit.id} (TLS)"
        if exhibit.era not in seen_eras:
            raise r.fail(m["era"], f"{where}.era", f"unknown era {exhibit.era!r} "
                                                   f"(known: {', '.join(seen_eras)})")
        if exhibit.year < previous_year:
            raise r.fail(m["year"], f"{where}.year",
                         f"{exhibit.year} comes before {previous_year}: keep exhibits in "
                         "timeline order")
        previous_year = exhibit.year
        if exhibits_dir is not None:
            folder = exhibits_dir / exhibit.id
            needed = folder / ("PLACARD.md" if not exhibit.runnable else "Dockerfile")
            if not needed.is_file():
                shown = needed.relative_to(exhibits_dir.parent)
                raise r.fail(m["id"], f"{where}.id", f"no exhibit folder file {shown}")
    return Timeline(eras=eras, exhibits=tuple(exhibit for exhibit, _ in parsed),
                    lobby_port=lobby_port)


def load(path: Path, check_folders: bool = True) -> Timeline:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ManifestError(f"{path}: cannot read: {error.strerror}") from None
    exhibits_dir = path.parent / "exhibits" if check_folders else None
    return parse(text, filename=path.name, exhibits_dir=exhibits_dir)


def load_default(check_folders: bool = True) -> Timeline:
    from museum.paths import repo_root

    return load(repo_root() / "timeline.yaml", check_folders)


def as_plain(value: Any) -> Any:
    """Records as plain data, for JSON output."""
    if isinstance(value, (Era, Exhibit, Component, Source, Heart, NotRunnable, Scale,
                          Timeline)):
        return {k: as_plain(v) for k, v in value.__dict__.items()}
    if isinstance(value, frozenset):
        return sorted(value)
    if isinstance(value, tuple):
        return [as_plain(v) for v in value]
    return value
