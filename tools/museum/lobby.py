"""The lobby: the timeline as a web page, with each exhibit's live health, its placard and a
side-by-side view of what two exhibits received for the same request.

It is itself a plain PEP 3333 application, served by wsgiref with a thread per request.
"""

from __future__ import annotations

import contextlib
import json
import socketserver
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer

import markdown

from museum import burst, pitfalls, swimlane
from museum.bench.results import COMMITTED, Idle, Results, committed
from museum.bench.techempower import DIVERGENCE, CrossCheck, Pair, Reference, cross_check
from museum.errors import MuseumError
from museum.heart import excerpt
from museum.screen import TELLING
from museum.site import Site
from museum.timeline import CONTAINER_PORT, Edition, Exhibit, Timeline

StartResponse = Callable[..., Any]
BENCH_CHARTS = (("throughput", "Throughput by exhibit"), ("slow", "Concurrent /slow"),
                ("latency", "Latency percentiles"), ("memory", "Memory, idle and at peak"))
Environ = dict[str, Any]

STYLE = """
:root { --ink: #111; --paper: #fdfbf6; --accent: #1a4fa0; --ok: #17703a; --down: #a31515; }
body { font: 18px/1.5 Georgia, serif; color: var(--ink); background: var(--paper);
       max-width: 70em; margin: 0 auto; padding: 1em 2em; }
h1 { font-size: 2.4em; margin: .3em 0 0; } h2 { border-bottom: 2px solid var(--ink); }
.years { color: #555; font-size: 80%; } ol.eras li { margin: .8em 0; }
.era-name { font: 13px sans-serif; }
ol.exhibits { list-style: none; padding: 0; display: grid; gap: .8em;
              grid-template-columns: repeat(auto-fill, minmax(19em, 1fr)); }
.exhibit { border: 2px solid var(--ink); padding: .6em .8em; background: #fff; }
.exhibit .year { font: bold 1.4em/1 sans-serif; } .exhibit .id { font-family: monospace; }
.meta { font: 14px/1.4 sans-serif; color: #333; }
.health { font: bold 13px sans-serif; padding: 0 .4em; color: #fff; }
.health.up { background: var(--ok); } .health.down { background: var(--down); }
a { color: var(--accent); } nav a { margin-right: 1em; }
table.compare { border-collapse: collapse; width: 100%; font: 13px/1.35 monospace; }
table.compare td { vertical-align: top; border: 1px solid #ccc; padding: .3em .5em;
                   word-break: break-all; width: 50%; }
table.compare th { text-align: left; font: bold 16px sans-serif; padding: .4em; }
pre { background: #f3f0e8; padding: .8em; overflow-x: auto; font-size: 14px; }
form.inline { display: inline; } .stall { color: var(--down); font-weight: bold; }
table.numbers td, table.numbers th { padding: .2em .8em; text-align: left; }
.edition { margin: .4em 0; font: 14px/1.4 sans-serif; }
.tag { font: bold 12px sans-serif; text-transform: uppercase; background: #e8e2d2;
       padding: 0 .3em; }
table.editions td { word-break: normal; } ul.native { font: 12px/1.35 monospace; }
"""


class Lobby:
    def __init__(self, site: Site, reach: str, public_host: str) -> None:
        self.site, self.root = site, site.root
        self.timeline: Timeline = site.timeline
        self.reach = reach
        self.public_host = public_host

    # ---- where exhibits are --------------------------------------------------------------

    def inside(self, exhibit: Edition) -> str:
        """The exhibit's address as the lobby reaches it: by service name inside Compose."""
        if self.reach == "service":
            return f"http://{exhibit.id}:{CONTAINER_PORT}"
        return self.site.url(exhibit)

    def public(self, exhibit: Edition) -> str:
        return f"http://{self.public_host}:{exhibit.port}/"

    def fetch(self, exhibit: Edition, path: str, timeout: float = 2.0) -> bytes | None:
        try:
            with urllib.request.urlopen(self.inside(exhibit) + path, timeout=timeout) as reply:
                return bytes(reply.read())
        except (OSError, urllib.error.URLError):
            return None

    def health(self) -> dict[str, bool]:
        exhibits = self.timeline.editions
        with ThreadPoolExecutor(max_workers=len(exhibits) or 1) as pool:
            # A CGI edition forks an interpreter per request: under load that takes seconds.
            answers = list(pool.map(lambda e: self.fetch(e, "/hello", 3.0), exhibits))
        return {e.id: answer is not None for e, answer in zip(exhibits, answers, strict=True)}

    # ---- pages ---------------------------------------------------------------------------

    def page(self, title: str, body: str) -> str:
        return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
                f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>"
                f'<nav><a href="/">The timeline</a><a href="/compare">Side by side</a>'
                f'<a href="/pitfalls">Async pitfalls</a><a href="/bench">Benchmarks</a></nav>'
                f"{body}</body></html>\n")

    def timeline_page(self) -> str:
        health = self.health()
        eras = "".join(
            f'<li id="era-{escape(era.id)}"><strong>{escape(era.title)}</strong> '
            f'<span class="years">{escape(era.years)}</span><br>{escape(era.story)}</li>'
            for era in self.timeline.eras)
        cards = "".join(self.card(e, health) for e in self.timeline.exhibits)
        return self.page("The Python Web Museum", (
            "<h1>The Python Web Museum</h1><p>Every era of Python web serving, running. Each "
            "exhibit runs its era's own release on the oldest Python that can still be had "
            "(then) and today's release on today's Python (now), serving the same "
            "guestbook.</p>"
            f'<h2>The timeline</h2><ol class="exhibits" id="timeline">{cards}</ol>'
            f'<h2>The eras</h2><ol class="eras">{eras}</ol>'))

    def card(self, exhibit: Exhibit, health: dict[str, bool]) -> str:
        era = self.timeline.era(exhibit.era)
        if exhibit.not_runnable is not None:
            body = ('<span class="health down">not runnable</span> '
                    f"{escape(exhibit.not_runnable.reason)}")
        else:
            body = "".join(self.edition_line(e, health.get(e.id, False))
                           for e in exhibit.editions)
            if len(exhibit.editions) > 1:
                body += (f'<a class="editions" href="/editions/{escape(exhibit.id)}">then and '
                         "now, side by side</a>")
        return (f'<li class="exhibit" data-id="{escape(exhibit.id)}">'
                f'<span class="year">{exhibit.year}</span> '
                f'<a class="era-name" href="#era-{escape(era.id)}">{escape(era.title)}</a><br>'
                f'<a class="id" href="/placard/{escape(exhibit.id)}">{escape(exhibit.id)}</a>'
                f"<br><strong>{escape(exhibit.title)}</strong>{body}</li>")

    def edition_line(self, edition: Edition, up: bool) -> str:
        label = "up" if up else "down"
        capabilities = ", ".join(sorted(edition.capabilities)) or "none"
        return (f'<div class="edition" data-edition="{escape(edition.id)}">'
                f'<span class="tag">{escape(edition.name)}</span> '
                f'<span class="health {label}" data-health="{label}">{label}</span> '
                f'<span class="meta">{escape(edition.label)} · {escape(str(edition.server))} · '
                f"{escape(edition.interface)} · {escape(edition.concurrency)} · "
                f"capabilities: {escape(capabilities)}</span><br>"
                f'<a class="visit" href="{escape(self.public(edition))}">visit</a> · '
                f'<a href="/compare?a={escape(edition.id)}">compare</a> · '
                f'<form class="inline map" method="get" action="/map/{escape(edition.id)}">'
                f"<button>concurrency map</button></form></div>")

    def editions_page(self, exhibit: Exhibit) -> str:
        """Then and now side by side: the heart of each edition's code, and what each app
        received for the same GET /inspect."""
        columns = []
        for edition in exhibit.editions:
            heart = excerpt(self.root, edition)
            code = "\n".join(heart.lines)
            natives = "".join(f"<li>{row}</li>" for row in self.native_rows(edition))
            columns.append(
                f'<td data-edition="{escape(edition.id)}"><h2>{escape(edition.name)}: '
                f"{escape(edition.label)}</h2>"
                f'<p class="meta">{escape(str(edition.server))} · {escape(edition.interface)}'
                f" · {escape(edition.concurrency)}"
                f"{f' · released {edition.released}' if edition.released else ''}</p>"
                f'<p class="meta">{escape(edition.differs)}</p>'
                f'<h3>The code: <code>{escape(heart.path)}</code></h3>'
                f'<pre class="heart">{escape(code)}</pre>'
                f"<h3>What the app received for GET /inspect</h3>"
                f'<ul class="native">{natives}</ul></td>')
        return self.page(f"{exhibit.id}: then and now", (
            f"<h1>{escape(exhibit.id)}: then and now</h1><p>{escape(exhibit.title)}. The "
            "same guestbook, in its era's own release and in today's.</p>"
            f'<table class="compare editions" id="editions"><tr>{"".join(columns)}</tr>'
            "</table>"))

    def placard_page(self, exhibit: Exhibit) -> str:
        path = self.root / exhibit.placard
        text = path.read_text(encoding="utf-8") if path.exists() else f"# {exhibit.id}\n"
        html = markdown.markdown(text, extensions=["fenced_code", "tables"])
        visit = ""
        if exhibit.runnable:
            visit = f'<p><a class="visit" href="{escape(self.public(exhibit.main))}">Visit the ' \
                    f"running exhibit</a></p>"
        return self.page(f"{exhibit.id}: placard", visit + html)

    def compare_page(self, a: str | None, b: str | None) -> str:
        runnable = self.timeline.editions
        ids = [e.id for e in runnable]
        a = a if a in ids else ids[0]
        b = b if b in ids else ids[-1]
        def options(chosen: str) -> str:
            return "".join(f"<option{' selected' if i == chosen else ''}>{escape(i)}</option>"
                           for i in ids)

        form = (f'<form method="get" action="/compare"><select name="a">{options(a)}</select>'
                f' and <select name="b">{options(b)}</select> <button>Compare</button></form>')
        left, right = (self.timeline.edition(a), self.timeline.edition(b))
        columns = [self.native_rows(left), self.native_rows(right)]
        rows = "".join(
            f"<tr><td>{columns[0][i] if i < len(columns[0]) else ''}</td>"
            f"<td>{columns[1][i] if i < len(columns[1]) else ''}</td></tr>"
            for i in range(max(len(columns[0]), len(columns[1]))))
        table = (f'<table class="compare" id="compare"><tr><th>{escape(a)} '
                 f"({escape(left.interface)})</th><th>{escape(b)} ({escape(right.interface)})"
                 f"</th></tr>{rows}</table>")
        return self.page("Side by side", "<h1>What the app received</h1><p>The same "
                         "<code>GET /inspect</code> sent to two exhibits: the structure each "
                         "app was handed by its server, from its own /inspect.</p>"
                         + form + table)

    def native_rows(self, exhibit: Edition) -> list[str]:
        raw = self.fetch(exhibit, "/inspect")
        if raw is None:
            return [f"<em>{escape(exhibit.id)} is not running</em>"]
        native = json.loads(raw).get("native", {})
        if not isinstance(native, dict):
            return [escape(json.dumps(native))]
        rank = {key: index for index, key in enumerate(TELLING)}
        items = sorted(native.items(), key=lambda kv: rank.get(kv[0], len(rank)))
        return [f"<strong>{escape(str(k))}</strong>: "
                f"{escape(v if isinstance(v, str) else json.dumps(v, ensure_ascii=False))}"
                for k, v in items]

    def map_page(self, exhibit: Edition, n: int, ms: int) -> str:
        form = (f'<form method="get" action="/map/{escape(exhibit.id)}">'
                f'<input name="n" type="number" min="1" max="50" value="{n}"> concurrent '
                f'/slow?ms=<input name="ms" type="number" min="0" max="3000" value="{ms}"> '
                f"<button>Fire again</button></form>")
        try:
            result = burst.fire(exhibit.id, self.inside(exhibit), n, ms)
        except MuseumError as error:
            shown = failed(exhibit, error)
        else:
            shown = (f"<p>{result.concurrency} concurrent <code>/slow?ms={ms}</code>, all "
                     f"answered after {result.wall:.2f} s by {result.processes} process(es) and "
                     f"{result.threads} thread(s). One lane per process and thread; each bar is a "
                     f"request being served.</p>" + swimlane.render_svg(result))
        return self.page(f"{exhibit.id}: concurrency map", (
            f"<h1>Who answered: {escape(exhibit.id)}</h1><p>{escape(exhibit.title)} · "
            f"{escape(exhibit.concurrency)}</p>{form}{shown}"))

    def pitfalls_page(self, route: str | None) -> str:
        having = self.timeline.with_addition("pitfalls")
        if not having:
            return self.page("The async pitfalls", "<p>No exhibit on the timeline has the "
                             "pitfalls routes.</p>")
        exhibit = having[0]
        buttons = "".join(
            f'<form class="inline" method="get" action="/pitfalls"><button name="route" '
            f'value="{escape(name)}">{escape(name)}</button></form> '
            for name in [*pitfalls.ROUTES, "all"])
        explained = "".join(f"<li><code>/pitfalls/{escape(name)}</code>: {escape(text)}</li>"
                            for name, text in pitfalls.ROUTES.items())
        shown = ""
        if route in (*pitfalls.ROUTES, "all"):
            routes = tuple(pitfalls.ROUTES) if route == "all" else (str(route),)
            try:
                found = pitfalls.measure_all(self.inside(exhibit), routes=routes)
            except MuseumError as error:
                shown = failed(exhibit, error)
            else:
                rows = "".join(
                    f'<tr data-route="{escape(m.route)}" data-stall-ms="{m.stall * 1000:.0f}">'
                    f"<td><code>/pitfalls/{escape(m.route)}</code></td>"
                    f"<td>{m.slow * 1000:.0f} ms</td><td>{m.stall * 1000:.0f} ms</td>"
                    f'<td{" class=stall" if m.stalled else ""}>{escape(pitfalls.verdict(m))}'
                    f"</td></tr>" for m in found)
                shown = ('<table class="numbers" id="pitfalls"><tr><th>route</th><th>slow '
                         "request</th><th>worst quick /hello</th><th></th></tr>"
                         f"{rows}</table>")
        return self.page("The async pitfalls", (
            f"<h1>The async pitfalls</h1><p>On {escape(exhibit.id)}: one slow request to a "
            "pitfall route (800 ms) and, while it runs, four quick <code>GET /hello</code>. "
            "Their worst latency is the stall.</p>"
            f"<ul>{explained}</ul><p>{buttons}</p>{shown}"))

    def charts(self) -> dict[str, Path]:
        """The latest `museum bench` charts committed in docs/bench, by file name."""
        folder = self.root / COMMITTED
        return {p.name: p for p in sorted(folder.glob("*.svg"))} if folder.is_dir() else {}

    def bench_results(self, name: str) -> Results | None:
        return committed(self.root, name)

    def bench_page(self) -> str:
        charts = self.charts()
        if not charts:
            return self.page("Benchmarks", "<h1>Benchmarks</h1><p>No charts yet: run "
                             "<code>museum bench --out docs/bench</code>.</p>")
        full = self.bench_results("results.json")
        sections = [chart(f"{stem}.svg", title, measured(full)) for stem, title in BENCH_CHARTS
                    if f"{stem}.svg" in charts]
        for name in charts:
            if name.startswith("then-and-now-"):
                exhibit = name.removeprefix("then-and-now-").removesuffix(".svg")
                own = self.bench_results(name.replace(".svg", ".json"))
                sections.append(chart(name, f"Then and now: {exhibit}",
                                      measured(own or full)))
        if full is not None:
            sections.append(idle_section(full))
            with contextlib.suppress(MuseumError):
                check = cross_check(full, Reference.load(self.root))
                if check is not None:
                    sections.append(techempower_section(check))
        for name in charts:
            if name.startswith("scale-"):
                exhibit = name.removeprefix("scale-").removesuffix(".svg")
                sections.append(chart(name, f"Workers or threads: {exhibit}",
                                      measured(self.bench_results(
                                          name.replace(".svg", ".json")))))
        return self.page("Benchmarks", (
            "<h1>Benchmarks</h1><p>The latest charts of <code>museum bench</code> (the whole "
            "timeline), <code>museum bench --then-and-now</code> (one exhibit's two editions) "
            "and <code>museum bench --scale</code>, as committed with the museum. Load from "
            "wrk inside the Compose network, against Debian's nginx as the baseline. "
            "<code>museum bench --quick</code> measures the machine in front of you in a "
            "minute or two.</p>" + "".join(sections)))

    # ---- the WSGI application ------------------------------------------------------------

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "/").encode("latin-1").decode("utf-8", "replace")
        query = dict(urllib.parse.parse_qsl(environ.get("QUERY_STRING", "")))
        if environ["REQUEST_METHOD"] not in ("GET", "HEAD"):
            return self.send(start_response, "405 Method Not Allowed", "text/plain",
                             "GET only\n", [("Allow", "GET, HEAD")])
        for route in ROUTES:
            rest = route.matches(path)
            if rest is not None:
                text = route.page(self, rest, query)
                if text is not None:
                    return self.send(start_response, "200 OK", route.kind, text)
        return self.send(start_response, "404 Not Found", "text/plain", "Not here.\n")

    # ---- what the routes with a name in their path show --------------------------------------

    def edition_named(self, name: str) -> Edition | None:
        return next((e for e in self.timeline.editions if e.id == name), None)

    def exhibit_named(self, name: str) -> Exhibit | None:
        return next((e for e in self.timeline.exhibits if e.id == name), None)

    def map_route(self, name: str, query: dict[str, str]) -> str | None:
        edition = self.edition_named(name)
        if edition is None:
            return None
        n, ms = bounded(query.get("n"), 8, 1, 50), bounded(query.get("ms"), 300, 0, 3000)
        return self.map_page(edition, n, ms)

    def chart_file(self, name: str) -> str | None:
        chart = self.charts().get(name)
        return chart.read_text(encoding="utf-8") if chart is not None else None

    @staticmethod
    def send(start_response: StartResponse, status: str, kind: str, text: str,
             extra: list[tuple[str, str]] | None = None) -> list[bytes]:
        body = text.encode("utf-8")
        start_response(status, [("Content-Type", f"{kind}; charset=utf-8"),
                                ("Content-Length", str(len(body))), *(extra or [])])
        return [body]


def chart(name: str, title: str, measured: str) -> str:
    return (f'<section class="chart" data-chart="{escape(name)}"><h2>{escape(title)}</h2>'
            f'{measured}<img src="/bench/{escape(name)}" alt="{escape(title)}" '
            'style="max-width: 100%"></section>')


def measured(results: Results | None) -> str:
    """When and on what a run was measured, as a line of HTML; its note, if it has one."""
    if results is None:
        return ""
    m = results.machine
    note = f" {escape(results.note)}" if results.note else ""
    return (f'<p class="meta">Measured {escape(results.measured)} on {m.cores} cores '
            f"({escape(m.cpu)}), kernel {escape(m.kernel)}, Docker {escape(m.docker)}."
            f"{note}</p>")


def idle_cell(found: Idle | None, limit: float) -> str:
    if found is None:
        return "<td>not tried</td>"
    if found.probe is None:
        return f'<td class="stall">no answer within {limit:g} s</td>'
    return (f"<td>{found.probe * 1000:.0f} ms, {found.open} of {found.connections} kept "
            "open</td>")


def idle_section(results: Results) -> str:
    """The idle keep-alive connections each target held while GET /hello still answered."""
    s = results.settings
    head = ('<section class="bench-idle" id="idle"><h2>Idle connections</h2><p>How many idle '
            "keep-alive connections each target holds open while a new <code>GET /hello</code> "
            "still answers within a second: the C10K problem in one number. A server that gives "
            "each connection a process or a thread runs out of them; an event loop keeps the "
            "sockets and goes on answering; a server that closes every connection after its "
            "answer is never tied up, and keeps none alive.</p>")
    if not s.idle:
        return (head + "<p>Not measured in the run shown here; <code>museum bench</code> "
                "measures it at 10, 100 and 1000 connections.</p></section>")
    levels = "".join(f"<th>{c} idle</th>" for c in s.idle)
    rows = []
    for entry in results.entries:
        found = {i.connections: i for i in entry.idle}
        most = entry.holds
        held = "-" if most is None else str(most) if most else f"fewer than {min(s.idle)}"
        rows.append(f'<tr data-target="{escape(entry.target.id)}"><td>'
                    f"{escape(entry.target.name)}</td><td>{escape(entry.target.workers)}</td>"
                    + "".join(idle_cell(found.get(c), s.idle_limit) for c in s.idle)
                    + f'<td data-holds="{most if most is not None else ""}">{held}</td></tr>')
    return (head + measured(results) + '<table class="numbers"><tr><th>target</th>'
            f"<th>workers</th>{levels}<th>holds</th></tr>{''.join(rows)}</table></section>")


def techempower_section(check: CrossCheck) -> str:
    """The museum's ranking and TechEmpower's, side by side, with the rank correlations."""
    ref = check.reference
    ours, theirs = check.pairs, check.theirs_in_order

    def cell(pair: Pair, rank: float, value: float, name: str) -> str:
        mark = " =" if pair.same_server else ""
        far = ' class="stall"' if abs(pair.shift) > DIVERGENCE else ""
        return (f"<td>{rank:g}</td><td{far}>{escape(name)}{mark}</td>"
                f"<td>{value:,.0f}</td>")

    rows = "".join(
        f'<tr data-rank="{n + 1}">'
        + cell(left, left.our_rank, left.ours, left.target.id)
        + cell(right, right.their_rank, right.theirs, f"{right.test} ({right.target.id})")
        + "</tr>" for n, (left, right) in enumerate(zip(ours, theirs, strict=True)))
    if check.rho is None:
        verdict = (f"<p>{len(check.pairs)} framework(s) have a TechEmpower figure: too few "
                   "for a rank correlation.</p>")
    else:
        same = (f"{check.rho_same:.2f} over the {len(check.same)} that run the same server "
                "here and there (marked =)" if check.rho_same is not None else
                "too few run the same server for a second rho")
        verdict = (f'<p id="rho" data-rho="{check.rho:.2f}">Spearman\'s rho '
                   f"{check.rho:.2f} over {len(check.pairs)} frameworks; {same}.</p>")
    divergent = "".join(
        f"<li><strong>{escape(p.target.id)}</strong>: {p.our_rank:g} here, "
        f"{p.their_rank:g} there ({escape(p.test)}): {escape(p.reason)}</li>"
        for p in check.divergent)
    return (
        '<section class="bench-techempower" id="techempower"><h2>Against TechEmpower</h2>'
        f"<p>The same frameworks ranked here (<code>GET /hello</code> at {check.level} "
        f"connections, requests per second) and by TechEmpower's {escape(ref.test)} test "
        f"({escape(ref.run)}): {escape(ref.source)}.</p>{verdict}"
        '<table class="numbers"><tr><th colspan="3">here</th><th colspan="3">TechEmpower'
        f"</th></tr>{rows}</table>"
        + (f"<p>Ranks more than {DIVERGENCE} apart:</p><ul>{divergent}</ul>"
           if divergent else "") + "</section>")


def failed(exhibit: Edition, error: MuseumError) -> str:
    return f'<p class="stall">{escape(exhibit.id)} did not answer: {escape(str(error))}</p>'


def bounded(text: str | None, default: int, low: int, high: int) -> int:
    try:
        return min(high, max(low, int(text))) if text else default
    except ValueError:
        return default


Page = Callable[["Lobby", str, dict[str, str]], "str | None"]


@dataclass(frozen=True)
class Route:
    """A path (or, ending in "/", a prefix whose rest names something) and its page."""

    path: str
    kind: str
    page: Page

    def matches(self, path: str) -> str | None:
        if self.path.endswith("/") and self.path != "/":
            return path[len(self.path):] if path.startswith(self.path) else None
        return "" if path == self.path else None


ROUTES = (
    Route("/", "text/html", lambda lobby, _, __: lobby.timeline_page()),
    Route("/compare", "text/html", lambda lobby, _, q: lobby.compare_page(q.get("a"),
                                                                          q.get("b"))),
    # what the museum's container health check asks every service
    Route("/hello", "text/plain", lambda *_: "Hello, World!"),
    Route("/health.json", "application/json", lambda lobby, _, __: json.dumps(lobby.health())),
    Route("/pitfalls", "text/html", lambda lobby, _, q: lobby.pitfalls_page(q.get("route"))),
    Route("/bench", "text/html", lambda lobby, _, __: lobby.bench_page()),
    Route("/bench/", "image/svg+xml", lambda lobby, name, _: lobby.chart_file(name)),
    Route("/map/", "text/html", lambda lobby, name, q: lobby.map_route(name, q)),
    Route("/placard/", "text/html", lambda lobby, name, _: (
        lobby.placard_page(e) if (e := lobby.exhibit_named(name)) else None)),
    Route("/editions/", "text/html", lambda lobby, name, _: (
        lobby.editions_page(e) if (e := lobby.exhibit_named(name)) and e.runnable else None)),
)


class ThreadingWSGIServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        sys.stderr.write(f"lobby: {format % args}\n")
