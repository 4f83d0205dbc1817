"""The guestbook as a plain WSGI application on gunicorn's gevent worker, on Python 3.11.

monkey.patch_all() comes first (gunicorn's gevent worker has done it already, before it
imported this module; doing it again changes nothing), so that time.sleep, sockets and
threading cooperate. Every connection then runs in a greenlet of its own, and a greenlet that
waits hands the one OS thread to the others. The SQLite calls go to gevent's thread pool, so
that the C library's blocking does not stall the greenlets.
"""

from __future__ import annotations

from gevent import monkey

monkey.patch_all()

import json  # noqa: E402  (after the patching, as gevent asks)
import logging  # noqa: E402
import re  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable, Iterable, Iterator  # noqa: E402
from typing import Any  # noqa: E402
from urllib.parse import parse_qsl  # noqa: E402

import gevent  # noqa: E402
import gevent.queue  # noqa: E402
from gunicorn.http.errors import ParseException  # noqa: E402

from guestbook import Full, Invalid, Store, check_paging, content_kind, error_body  # noqa: E402
from guestbook import page as front_page  # noqa: E402
from guestbook.events import CONTENT_TYPE as EVENT_STREAM  # noqa: E402
from guestbook.events import KEEPALIVE, LISTENING, event  # noqa: E402
from guestbook.exhibit import identity  # noqa: E402
from guestbook.native import document  # noqa: E402
from guestbook.native import process as native_process  # noqa: E402
from guestbook.rules import (  # noqa: E402
    MAX_BODY,
    Entry,
    entry_from_body,
    slow_param,
    stream_line,
    stream_params,
)
from guestbook.wsgi import request_info  # noqa: E402

Environ = dict[str, Any]
StartResponse = Callable[..., Any]
Handler = Callable[..., Iterable[bytes]]

log = logging.getLogger("guestbook")
KEEPALIVE_SECONDS = 15.0
store = Store()
listeners: set[gevent.queue.Queue[Entry]] = set()


def in_thread(call: Callable[..., Any], *args: Any) -> Any:
    """sqlite3 is C that gevent cannot patch: run it in the hub's thread pool and wait."""
    return gevent.get_hub().threadpool.apply(call, args)


# ---- who answered: the OS thread the hub runs in, and the greenlet --------------------------

# threading is patched: in a greenlet, current_thread() is a dummy thread made for it.
os_thread_ident = monkey.get_original("_thread", "get_ident")
MAIN_THREAD = (os_thread_ident(), threading.main_thread().name)


def who() -> str:
    """'MainThread/greenlet-7': the OS thread's name and gevent's number for this greenlet
    (its minimal_ident: given when first asked, free again when the greenlet ends)."""
    ident = os_thread_ident()
    thread = MAIN_THREAD[1] if ident == MAIN_THREAD[0] else f"Thread-{ident}"
    current = gevent.getcurrent()
    number = getattr(current, "minimal_ident", None)
    return f"{thread}/greenlet-{number if number is not None else id(current)}"


def process() -> dict[str, Any]:
    return {**native_process(), "thread": who()}


# ---- answers ----------------------------------------------------------------------------------

STATUS = {200: "200 OK", 201: "201 Created", 303: "303 See Other", 400: "400 Bad Request",
          404: "404 Not Found", 405: "405 Method Not Allowed", 413: "413 Content Too Large",
          415: "415 Unsupported Media Type", 500: "500 Internal Server Error",
          507: "507 Insufficient Storage"}
JSON = "application/json"
TEXT = "text/plain; charset=utf-8"
HTML = "text/html; charset=utf-8"


class Answer(Exception):
    """An answer a handler gives up with: a status and the guestbook's JSON error."""

    def __init__(self, status: int, message: str, field: str | None = None,
                 headers: Iterable[tuple[str, str]] = ()) -> None:
        super().__init__(message)
        self.status, self.body, self.headers = status, error_body(message, field), list(headers)


def reply(start_response: StartResponse, status: int, content_type: str, text: str,
          headers: Iterable[tuple[str, str]] = ()) -> list[bytes]:
    body = text.encode("utf-8")
    start_response(STATUS[status], [("Content-Type", content_type),
                                    ("Content-Length", str(len(body))), *headers])
    return [body]


def json_reply(start_response: StartResponse, status: int, value: object,
               headers: Iterable[tuple[str, str]] = ()) -> list[bytes]:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return reply(start_response, status, JSON, text, headers)


def query(environ: Environ) -> dict[str, str]:
    """The query's fields, the first value of each; bytes that are not UTF-8 are a 400."""
    fields: dict[str, str] = {}
    try:
        pairs = parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True,
                          errors="strict")
    except UnicodeDecodeError:
        raise Answer(400, "the query string is not UTF-8") from None
    for key, value in pairs:
        fields.setdefault(key, value)
    return fields


def utf8_charset(content_type: str) -> bool:
    """A body declaring a charset other than UTF-8 is one the guestbook cannot read."""
    for parameter in content_type.split(";")[1:]:
        key, _, value = parameter.partition("=")
        if key.strip().lower() == "charset":
            return value.strip().strip('"').lower() in ("utf-8", "utf8")
    return True


# ---- the handlers -----------------------------------------------------------------------------

def index(environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
    entries, total = in_thread(store.page, 10, 0)
    return reply(start_response, 200, HTML, front_page.render(identity(), entries, total))


def hello(environ: Environ, start_response: StartResponse,
          name: str | None = None) -> Iterable[bytes]:
    if name is None:
        name = query(environ).get("name")
    else:
        try:
            name = name.encode("latin-1").decode("utf-8")  # PEP 3333's PATH_INFO
        except UnicodeDecodeError:
            raise Answer(400, "name must be UTF-8 text", "name") from None
    return reply(start_response, 200, TEXT, f"Hello, {name or 'World'}!")


def read_guestbook(environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
    fields = query(environ)
    try:
        limit, offset = check_paging(fields.get("limit"), fields.get("offset"))
    except Invalid as bad:
        return json_reply(start_response, 400, bad.body())
    entries, total = in_thread(store.page, limit, offset)
    return json_reply(start_response, 200, {"entries": [e.as_dict() for e in entries],
                                            "total": total})


def read_body(environ: Environ) -> bytes:
    """The body, as long as its Content-Length says, or a chunked one (gunicorn decodes it) up
    to 64 KiB. gunicorn raises when the chunks are malformed, and a body that ends early
    comes back short: both are the client's mistake."""
    too_big = Answer(413, "the body is over 64 KiB", headers=[("Connection", "close")])
    length = environ.get("CONTENT_LENGTH") or ""
    wanted = int(length) if length.isdigit() else MAX_BODY + 1
    if length.isdigit() and wanted > MAX_BODY:
        raise too_big
    try:
        body: bytes = environ["wsgi.input"].read(wanted)
    except (OSError, ParseException) as error:
        raise Answer(400, f"the body could not be read: {type(error).__name__}",
                     headers=[("Connection", "close")]) from None
    if length.isdigit() and len(body) < wanted:
        raise Answer(400, "the body ended before its Content-Length",
                     headers=[("Connection", "close")])
    if len(body) > MAX_BODY:
        raise too_big
    return body


def sign(environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
    content_type = environ.get("CONTENT_TYPE", "")
    kind = content_kind(content_type)
    if kind is None or not utf8_charset(content_type):
        raise Answer(415, "send application/json or application/x-www-form-urlencoded, "
                          "in UTF-8")
    body = read_body(environ)
    try:
        name, message = entry_from_body(content_type, body)
    except Invalid as bad:
        return json_reply(start_response, 400, bad.body())
    try:
        entry: Entry = in_thread(store.add, name, message)
    except Full as full:
        log.warning("the guestbook could not store a post: %s", full)
        raise Answer(507, "the guestbook's storage is full") from None
    for queue in list(listeners):
        queue.put(entry)
    if kind == "form":
        return reply(start_response, 303, TEXT, "", [("Location", "/")])
    return json_reply(start_response, 201, entry.to_json(), [("Location", entry.location)])


def read_entry(environ: Environ, start_response: StartResponse,
               entry_id: str) -> Iterable[bytes]:
    found = in_thread(store.get, int(entry_id)) if entry_id.isdigit() else None
    if found is None:
        raise Answer(404, "there is no such entry")
    return json_reply(start_response, 200, found.to_json())


def stream(environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
    fields = query(environ)
    try:
        chunks, delay_ms = stream_params(fields.get("chunks"), fields.get("delay_ms"))
    except Invalid as bad:
        return json_reply(start_response, 400, bad.body())
    start_response(STATUS[200], [("Content-Type", TEXT)])
    return paced_lines(chunks, delay_ms)


def paced_lines(chunks: int, delay_ms: int) -> Iterator[bytes]:
    for index in range(1, chunks + 1):
        if index > 1:
            time.sleep(delay_ms / 1000)  # patched: this greenlet waits, the others run
        yield stream_line(index, chunks).encode("utf-8")


def slow(environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
    try:
        ms = slow_param(query(environ).get("ms"))
    except Invalid as bad:
        return json_reply(start_response, 400, bad.body())
    found = process()  # before the sleep: gevent numbers a greenlet when first asked
    time.sleep(ms / 1000)  # a plain time.sleep, patched: the hub serves the others meanwhile
    return json_reply(start_response, 200, {"ms": ms, "pid": found["pid"],
                                            "thread": found["thread"]})


def events(environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
    start_response(STATUS[200], [("Content-Type", EVENT_STREAM), ("Cache-Control", "no-cache")])
    return event_stream()


def event_stream() -> Iterator[bytes]:
    queue: gevent.queue.Queue[Entry] = gevent.queue.Queue()
    listeners.add(queue)
    try:
        yield LISTENING.encode("utf-8")
        while True:
            try:
                entry = queue.get(timeout=KEEPALIVE_SECONDS)
            except gevent.queue.Empty:
                yield KEEPALIVE.encode("utf-8")
            else:
                yield event(entry).encode("utf-8")
    finally:
        listeners.discard(queue)


def inspect(environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
    software, _, version = environ.get("SERVER_SOFTWARE", "").partition("/")
    found = document(interface="WSGI", software=software, version=version.split(" ")[0],
                     request=request_info(environ), native=environ)
    found["process"] = process()
    return json_reply(start_response, 200, found)


def boom(environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
    raise RuntimeError("boom: the guestbook raised on purpose")


# ---- the application: a list of paths, and a dict of methods for each ------------------------

ROUTES: list[tuple[re.Pattern[str], dict[str, Handler]]] = [
    (re.compile(r"/\Z"), {"GET": index}),
    (re.compile(r"/hello\Z"), {"GET": hello}),
    (re.compile(r"/hello/(.*)\Z", re.S), {"GET": hello}),
    (re.compile(r"/guestbook\Z"), {"GET": read_guestbook, "POST": sign}),
    (re.compile(r"/guestbook/([^/]+)\Z"), {"GET": read_entry}),
    (re.compile(r"/stream\Z"), {"GET": stream}),
    (re.compile(r"/slow\Z"), {"GET": slow}),
    (re.compile(r"/events\Z"), {"GET": events}),
    (re.compile(r"/inspect\Z"), {"GET": inspect}),
    (re.compile(r"/boom\Z"), {"GET": boom}),
]


def dispatch(environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
    path, method = environ["PATH_INFO"], environ["REQUEST_METHOD"]
    for pattern, methods in ROUTES:
        match = pattern.match(path)
        if match is None:
            continue
        handler = methods.get("GET" if method == "HEAD" else method)
        if handler is None:
            allowed = [*sorted(methods), *(["HEAD"] if "GET" in methods else [])]
            raise Answer(405, f"{method} is not allowed here",
                         headers=[("Allow", ", ".join(allowed))])
        return handler(environ, start_response, *match.groups())
    raise Answer(404, "there is nothing at this address")


HOST = re.compile(r"[A-Za-z0-9._~:\[\]-]*\Z")


def check_host(environ: Environ) -> None:
    """gunicorn takes an HTTP/1.1 request without Host, or with a Host that is not a host."""
    host = environ.get("HTTP_HOST")
    if host is None and environ.get("SERVER_PROTOCOL") == "HTTP/1.1":
        raise Answer(400, "an HTTP/1.1 request names its Host")
    if host is not None and not HOST.match(host):
        raise Answer(400, "the Host header is not a host")


def application(environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
    try:
        check_host(environ)
        body = dispatch(environ, start_response)
    except Answer as answer:
        body = json_reply(start_response, answer.status, answer.body, answer.headers)
    except Exception:
        log.exception("%s %s failed", environ["REQUEST_METHOD"], environ["PATH_INFO"])
        body = json_reply(start_response, 500, error_body("the guestbook failed"),
                          [("Connection", "close")])
    if environ["REQUEST_METHOD"] == "HEAD":
        close = getattr(body, "close", None)
        if close is not None:
            close()
        return []
    return body
