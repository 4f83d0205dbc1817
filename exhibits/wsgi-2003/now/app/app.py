"""The guestbook as one bare PEP 3333 application: application(environ, start_response).

No framework: a list of (regex, view) pairs routes on PATH_INFO, and every view is itself a
WSGI callable that calls start_response(status, headers) and returns an iterable of bytes.
Any WSGI server can run it; this exhibit runs it on gunicorn's sync workers.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any
from urllib.parse import parse_qsl

from guestbook import Full, Invalid, Store, check_paging, content_kind, error_body, page
from guestbook.exhibit import identity
from guestbook.native import document, process
from guestbook.rules import MAX_BODY, entry_from_body, slow_param, stream_line, stream_params
from guestbook.store import DEFAULT_PATH
from guestbook.wsgi import request_info

Environ = dict[str, Any]
StartResponse = Callable[..., Any]
View = Callable[[Environ, StartResponse], Iterable[bytes]]

_store: Store | None = None


def store() -> Store:
    """Opened on the first request, in the worker process, from GUESTBOOK_DB if it is set."""
    global _store
    if _store is None:
        _store = Store(os.environ.get("GUESTBOOK_DB", DEFAULT_PATH))
    return _store


# ---- responses -------------------------------------------------------------------------------

def respond(environ: Environ, start_response: StartResponse, body: str,
            status: str = "200 OK", content_type: str = "text/plain; charset=utf-8",
            headers: Iterable[tuple[str, str]] = ()) -> list[bytes]:
    data = body.encode("utf-8")
    start_response(status, [("Content-Type", content_type),
                            ("Content-Length", str(len(data))), *headers])
    return [] if environ["REQUEST_METHOD"] == "HEAD" else [data]


def respond_json(environ: Environ, start_response: StartResponse, value: object,
                 status: str = "200 OK", headers: Iterable[tuple[str, str]] = ()) -> list[bytes]:
    return respond(environ, start_response, json.dumps(value, ensure_ascii=False), status,
                   "application/json", headers)


def error(environ: Environ, start_response: StartResponse, status: str, message: str,
          field: str | None = None, headers: Iterable[tuple[str, str]] = ()) -> list[bytes]:
    return respond(environ, start_response, error_body(message, field), status,
                   "application/json", headers)


def taken(*methods: str) -> list[str]:
    return [*methods, "HEAD"] if "GET" in methods else list(methods)  # HEAD is GET, bodiless


def allows(environ: Environ, *methods: str) -> bool:
    return environ["REQUEST_METHOD"] in taken(*methods)


def method_not_allowed(environ: Environ, start_response: StartResponse,
                       *methods: str) -> list[bytes]:
    allow = ", ".join(taken(*methods))
    return error(environ, start_response, "405 Method Not Allowed",
                 f"this path takes {allow}", None, [("Allow", allow)])


def query(environ: Environ) -> dict[str, str]:
    """The query string's fields, the first value of each; bytes that are not UTF-8 are the
    client's mistake (Invalid, a 400), not text to guess at."""
    fields: dict[str, str] = {}
    try:
        pairs = parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True,
                          errors="strict")
    except UnicodeDecodeError:
        raise Invalid("the query string is not UTF-8") from None
    for key, value in pairs:
        fields.setdefault(key, value)
    return fields


def url_args(environ: Environ) -> tuple[str, ...]:
    """The groups the route's regex captured, as the wsgiorg.routing_args convention has it."""
    args: tuple[str, ...] = environ["wsgiorg.routing_args"][0]
    return args


# ---- the views: each one a WSGI application ---------------------------------------------------

def index(environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
    if not allows(environ, "GET"):
        return method_not_allowed(environ, start_response, "GET")
    entries, total = store().page(10, 0)
    return respond(environ, start_response, page.render(identity(), entries, total),
                   content_type="text/html; charset=utf-8")


def hello(environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
    if not allows(environ, "GET"):
        return method_not_allowed(environ, start_response, "GET")
    name = url_args(environ)[0] if url_args(environ) else query(environ).get("name")
    return respond(environ, start_response, f"Hello, {name or 'World'}!")


def entries(environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
    if environ["REQUEST_METHOD"] == "POST":
        return sign(environ, start_response)
    if not allows(environ, "GET", "POST"):
        return method_not_allowed(environ, start_response, "GET", "POST")
    fields = query(environ)
    limit, offset = check_paging(fields.get("limit"), fields.get("offset"))
    newest, total = store().page(limit, offset)
    return respond_json(environ, start_response,
                        {"entries": [e.as_dict() for e in newest], "total": total})


def read_body(environ: Environ) -> bytes | None:
    """The body, or None when it is over the limit; read(n) always, as PEP 3333 asks."""
    length = environ.get("CONTENT_LENGTH", "")
    if length.isascii() and length.isdigit():
        if int(length) > MAX_BODY:
            return None
        body: bytes = environ["wsgi.input"].read(int(length))
        if len(body) < int(length):
            raise Invalid("the body is shorter than its Content-Length")
        return body
    body = environ["wsgi.input"].read(MAX_BODY + 1)  # chunked: no CONTENT_LENGTH
    return body if len(body) <= MAX_BODY else None


def sign(environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
    kind = content_kind(environ.get("CONTENT_TYPE"))
    if kind is None:
        return error(environ, start_response, "415 Unsupported Media Type",
                     "send application/json or application/x-www-form-urlencoded")
    body = read_body(environ)
    if body is None:
        return error(environ, start_response, "413 Content Too Large",
                     f"the body is over {MAX_BODY} bytes")
    name, message = entry_from_body(environ.get("CONTENT_TYPE"), body)
    try:
        entry = store().add(name, message)
    except Full as full:  # the disk is full: nothing stored is lost, and this post waits
        return error(environ, start_response, "507 Insufficient Storage", str(full))
    if kind == "form":
        return respond(environ, start_response, "Signed: see the front page.\n",
                       "303 See Other", headers=[("Location", "/")])
    return respond_json(environ, start_response, entry.as_dict(), "201 Created",
                        [("Location", entry.location)])


def one_entry(environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
    if not allows(environ, "GET"):
        return method_not_allowed(environ, start_response, "GET")
    found = store().get(int(url_args(environ)[0]))
    if found is None:
        return error(environ, start_response, "404 Not Found", "no such entry")
    return respond_json(environ, start_response, found.as_dict())


def inspect(environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
    if not allows(environ, "GET"):
        return method_not_allowed(environ, start_response, "GET")
    software, _, version = environ.get("SERVER_SOFTWARE", "").partition("/")
    return respond_json(environ, start_response, document(
        interface="WSGI", software=software, version=version.split(" ")[0],
        request=request_info(environ), native=environ))


def stream(environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
    if not allows(environ, "GET"):
        return method_not_allowed(environ, start_response, "GET")
    fields = query(environ)
    chunks, delay_ms = stream_params(fields.get("chunks"), fields.get("delay_ms"))
    start_response("200 OK", [("Content-Type", "text/plain; charset=utf-8")])
    if environ["REQUEST_METHOD"] == "HEAD":
        return []

    def lines() -> Iterator[bytes]:
        # The server sends each item as the generator yields it: that is all streaming is.
        for index in range(1, chunks + 1):
            if index > 1:
                time.sleep(delay_ms / 1000)
            yield stream_line(index, chunks).encode("utf-8")

    return lines()


def slow(environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
    if not allows(environ, "GET"):
        return method_not_allowed(environ, start_response, "GET")
    ms = slow_param(query(environ).get("ms"))
    time.sleep(ms / 1000)  # the whole worker process waits: one blocking call per request
    return respond_json(environ, start_response, {"ms": ms, **process()})


def boom(environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
    raise RuntimeError("boom: /boom raises on purpose (the server logs the traceback)")


def not_found(environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
    return error(environ, start_response, "404 Not Found", "nothing at this path")


urls: list[tuple[str, View]] = [
    (r"^$", index),
    (r"^hello/?$", hello),
    (r"^hello/(.+)$", hello),
    (r"^guestbook/?$", entries),
    (r"^guestbook/([0-9]+)$", one_entry),
    (r"^inspect$", inspect),
    (r"^stream$", stream),
    (r"^slow$", slow),
    (r"^boom$", boom),
]


def application(environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
    # PEP 3333: PATH_INFO is a native str holding the raw bytes as latin-1 ("bytes as
    # unicode"); /hello/Zo%C3%AB arrives as 'Zo\xc3\xab' and only now becomes 'Zoë'.
    try:
        path = environ.get("PATH_INFO", "").encode("latin-1").decode("utf-8").lstrip("/")
    except UnicodeError:
        return error(environ, start_response, "400 Bad Request", "the path is not UTF-8")
    for regex, view in urls:
        match = re.search(regex, path)
        if match is not None:
            environ["wsgiorg.routing_args"] = (match.groups(), {})
            try:
                return view(environ, start_response)
            except Invalid as invalid:
                return respond(environ, start_response, invalid.body(), "400 Bad Request",
                               "application/json")
    return not_found(environ, start_response)
