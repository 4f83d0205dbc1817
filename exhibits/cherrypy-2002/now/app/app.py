"""The guestbook as CherryPy publishes it: exposed methods on a tree of plain objects.

The URL is a path through attributes of Root; what is left of the path and the query string
arrive as the method's arguments. CherryPy's engine runs Cheroot, whose fixed pool of ten
threads calls the published methods.
"""

from __future__ import annotations

import io
import json
import os
import re
import time
from collections.abc import Iterator
from typing import Any, BinaryIO
from urllib.parse import unquote_to_bytes

import cherrypy
from cherrypy._cpreqbody import RequestBody
from cherrypy._cprequest import Request

from guestbook import MAX_BODY, Invalid, Store, check_entry, check_paging, content_kind
from guestbook.exhibit import identity
from guestbook.native import document, process
from guestbook.page import render
from guestbook.rules import entry_from_json, error_body, slow_param, stream_line, stream_params
from guestbook.store import Full

store = Store()

TEXT = "text/plain; charset=utf-8"
JSON = "application/json"


def reply(value: Any, status: int = 200) -> bytes:
    """JSON is not text/*, so tools.encode leaves it alone: the handler encodes it."""
    cherrypy.response.status = status
    cherrypy.response.headers["Content-Type"] = JSON
    return json.dumps(value, ensure_ascii=False).encode()


def answer_invalid() -> None:
    """A tool: the guestbook's Invalid, raised by any handler, is a 400 naming the field."""
    request = cherrypy.serving.request
    handler = request.handler

    def wrapped(*args: Any, **kwargs: Any) -> Any:
        try:
            return handler(*args, **kwargs)
        except Invalid as problem:
            cherrypy.response.status = 400
            cherrypy.response.headers["Content-Type"] = JSON
            return problem.body().encode()
    request.handler = wrapped


cherrypy.tools.invalid = cherrypy.Tool("before_handler", answer_invalid, priority=30)


def error_page(status: str, message: str, traceback: str, version: str) -> str:
    """Every CherryPy error (404, 405, 500...) as the contract's JSON; never a traceback."""
    cherrypy.response.headers["Content-Type"] = JSON
    return error_body(message)


class ProductionRequest(Request):
    """The app's config reaches a request only once CherryPy has found its handler; a request
    refused before that (HTTP/1.1 without Host) took the class defaults: a traceback in HTML."""

    show_tracebacks = False
    error_page = {"default": error_page}


TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+\Z")
HOST = re.compile(r"(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]*)(:[0-9]*)?\Z")
CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
LONGEST = 32 * 1024  # a URL or header longer than this is refused (414, 431)


def refused(environ: dict[str, Any]) -> tuple[int, str] | None:
    """What Cheroot lets through and HTTP forbids: a version other than 1.0 and 1.1, no Host
    (or a malformed one) in HTTP/1.1, a header name that is not a token or a value with
    control characters, a Content-Length that is not digits, a URL or header over 32 KiB."""
    protocol = environ.get("SERVER_PROTOCOL", "")
    if protocol not in ("HTTP/1.0", "HTTP/1.1"):
        if re.fullmatch(r"HTTP/\d\.\d", protocol):
            return 505, f"{protocol} is not spoken here."
        return 400, "The request line is malformed."
    if len(environ.get("REQUEST_URI", "")) > LONGEST:
        return 414, "The URL is too long."
    host = environ.get("HTTP_HOST")
    if (host is None and protocol == "HTTP/1.1") or (host is not None and not HOST.match(host)):
        return 400, "HTTP/1.1 needs one well-formed Host header."
    for key, value in environ.items():
        if not key.startswith("HTTP_") and key not in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            continue
        if not TOKEN.match(key[5:] if key.startswith("HTTP_") else key) or \
                CONTROL.search(str(value)):
            return 400, "A header is malformed."
        if len(str(value)) > LONGEST:
            return 431, "A header is too large."
    if not re.fullmatch(r"\d*", environ.get("CONTENT_LENGTH", "")):
        return 400, "The Content-Length is not a number."
    return None


def utf8_url() -> None:
    """A tool: a request HTTP forbids is refused before CherryPy reads it (see refused()),
    and a path or query whose percent-escapes are not UTF-8 is a 400. CherryPy would read
    such a path as latin-1 (/hello/%ff says "Hello, \u00ff!") and such a query as a 404."""
    environ = cherrypy.serving.request.wsgi_environ
    problem = refused(environ)
    if problem is not None:
        cherrypy.serving.response.headers["Connection"] = "close"
        raise cherrypy.HTTPError(*problem)
    try:
        environ.get("PATH_INFO", "").encode("latin-1").decode("utf-8")
        unquote_to_bytes(environ.get("QUERY_STRING", "").replace("+", " ")).decode("utf-8")
    except UnicodeError:
        raise cherrypy.HTTPError(400, "The URL is not valid UTF-8 once percent-decoded.") from None


cherrypy.tools.utf8_url = cherrypy.Tool("on_start_resource", utf8_url, priority=10)

CHUNK_SIZE = re.compile(rb"([0-9A-Fa-f]{1,8})(;[\t\x20-\x7e]*)?\r\n\Z")


class BadBody(ValueError):
    pass


def read_chunked(raw: BinaryIO) -> bytes:
    """A chunked body, strictly: hex sizes only (no 0x, sign or underscore), no control
    characters in extensions, CRLF after every chunk, at most MAX_BODY bytes."""
    body = b""
    while True:
        line = raw.readline(1024)
        match = CHUNK_SIZE.match(line)
        if match is None:
            raise BadBody("The chunked body is malformed.")
        size = int(match.group(1), 16)
        if size == 0:
            break
        if len(body) + size > MAX_BODY:
            raise cherrypy.HTTPError(413, "The body is over 64 KiB.")
        chunk = raw.read(size)
        if len(chunk) != size or raw.read(2) != b"\r\n":
            raise BadBody("The chunked body is malformed.")
        body += chunk
    while (trailer := raw.readline(1024)) != b"\r\n":
        if not trailer.endswith(b"\r\n"):
            raise BadBody("The chunked body is malformed.")
    return body


def whole_body() -> None:
    """A tool: the body of a POST is read here, whole, before CherryPy parses it. Cheroot reads
    chunk sizes with int(size, 16), which takes 0x1a and -1a and fails on a size larger than
    its limit with a 500; a body shorter than its Content-Length timed out into a 500 too."""
    request = cherrypy.serving.request
    chunked = "chunked" in request.headers.get("Transfer-Encoding", "").lower()
    try:
        if chunked:
            # Cheroot's ChunkedRFile parses loosely: read the connection under it instead
            body = read_chunked(request.rfile.rfile)
        else:
            length = int(request.headers.get("Content-Length") or 0)
            if length > MAX_BODY:
                raise cherrypy.HTTPError(413, "The body is over 64 KiB.")
            body = request.rfile.read(length)
            if len(body) != length:
                raise BadBody("The body is shorter than its Content-Length.")
    except (BadBody, OSError) as problem:  # OSError: a timeout on a body that never came
        cherrypy.serving.response.headers["Connection"] = "close"
        message = str(problem) if isinstance(problem, BadBody) else "The body did not arrive."
        raise cherrypy.HTTPError(400, message) from None
    request.body = RequestBody(io.BytesIO(body), request.headers,
                               request_params=request.params)


cherrypy.tools.whole_body = cherrypy.Tool("before_request_body", whole_body, priority=10)


def declared_charset(content_type: str | None) -> str | None:
    for parameter in (content_type or "").split(";")[1:]:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip('"').lower()
    return None


class Guestbook:
    """/guestbook: a REST resource; the MethodDispatcher calls the method named after the verb."""

    exposed = True

    def GET(self, entry_id: str | None = None, limit: str | None = None,
            offset: str | None = None) -> bytes:
        if entry_id is not None:
            found = store.get(int(entry_id)) if entry_id.isdigit() else None
            if found is None:
                raise cherrypy.HTTPError(404, f"There is no entry {entry_id}.")
            return reply(found.as_dict())
        page, total = store.page(*check_paging(limit, offset))
        return reply({"entries": [e.as_dict() for e in page], "total": total})

    def POST(self, name: Any = None, message: Any = None) -> bytes:
        kind = content_kind(cherrypy.request.headers.get("Content-Type"))
        if kind is None:
            raise cherrypy.HTTPError(415, "Send application/json or a urlencoded form.")
        if declared_charset(cherrypy.request.headers.get("Content-Type")) not in (None, "utf-8"):
            raise cherrypy.HTTPError(415, "Send the form as UTF-8.")
        if kind == "json":
            name, message = entry_from_json(cherrypy.request.body.read())
        else:  # CherryPy already parsed the form into keyword arguments
            name, message = check_entry(name, message)
        try:
            entry = store.add(name, message)
        except Full:
            raise cherrypy.HTTPError(
                507, "The guestbook's storage is full; nothing was stored.") from None
        if kind == "form":
            # not HTTPRedirect: it makes the URL absolute, as RFC 2616 wanted in its day
            cherrypy.response.headers["Location"] = "/"
            return reply({"id": entry.id}, 303)
        cherrypy.response.headers["Location"] = entry.location
        return reply(entry.as_dict(), 201)


class Root:
    guestbook = Guestbook()

    @cherrypy.expose
    @cherrypy.tools.allow(methods=["GET"])
    def index(self) -> str:
        entries, total = store.page(20, 0)
        cherrypy.response.headers["Content-Type"] = "text/html; charset=utf-8"
        return render(identity(), entries, total)

    @cherrypy.expose
    @cherrypy.tools.allow(methods=["GET"])
    def hello(self, name: str = "World") -> str:
        cherrypy.response.headers["Content-Type"] = TEXT
        return f"Hello, {name}!"

    @cherrypy.expose
    @cherrypy.tools.allow(methods=["GET"])
    @cherrypy.config(**{"response.stream": True})
    def stream(self, chunks: str | None = None, delay_ms: str | None = None) -> Any:
        total, delay = stream_params(chunks, delay_ms)
        cherrypy.response.headers["Content-Type"] = TEXT

        def lines() -> Iterator[str]:
            for index in range(1, total + 1):
                if index > 1:
                    time.sleep(delay / 1000)
                yield stream_line(index, total)
        return lines()

    @cherrypy.expose
    @cherrypy.tools.allow(methods=["GET"])
    def slow(self, ms: str | None = None) -> bytes:
        wait = slow_param(ms)
        time.sleep(wait / 1000)  # this pool thread sleeps; nine others are left
        return reply({"ms": wait, **process()})

    @cherrypy.expose
    @cherrypy.tools.allow(methods=["GET"])
    def inspect(self, **query: str) -> bytes:
        request = cherrypy.serving.request
        software, _, version = next(
            part for part in request.wsgi_environ["SERVER_SOFTWARE"].split()
            if part.startswith("Cheroot/")).partition("/")
        return reply(document(
            interface="WSGI", software=software, version=version,
            request={
                "method": request.method,
                "path": request.path_info,
                "query": request.query_string,
                "headers": {k.lower(): v for k, v in request.header_list},
                "http_version": "{}.{}".format(*request.protocol),
                "scheme": request.scheme,
                "client": request.remote.ip,
            },
            native=request))

    @cherrypy.expose
    def boom(self) -> str:
        raise RuntimeError("boom: raised on purpose to show a 500")


config = {
    "global": {
        "environment": "production",  # no tracebacks to clients, no autoreload
        "log.screen": True,  # production turns it off; the container's log is the screen
        "server.socket_host": "0.0.0.0",
        "server.socket_port": 8000,
        # the default, spelled out: ten requests at a time (`museum bench --scale` varies it)
        "server.thread_pool": int(os.environ.get("CHERRYPY_THREAD_POOL", "10")),
        "server.socket_queue_size": 5,  # the default listen() backlog: see /slow on the placard
        # CherryPy's own 413, through error_page; server.max_request_body_size would be
        # Cheroot's, a text/plain answer sent before CherryPy sees the request
        "request.body.maxbytes": MAX_BODY,
        "error_page.default": error_page,
        "tools.invalid.on": True,
        "tools.utf8_url.on": True,
    },
    "/guestbook": {"request.dispatch": cherrypy.dispatch.MethodDispatcher(),
                   "tools.whole_body.on": True},
}

if __name__ == "__main__":
    # cherrypy.quickstart(Root(), "/", config), spelled out to give the app its request class
    cherrypy.config.update(config)
    cherrypy.tree.mount(Root(), "/", config).request_class = ProductionRequest
    cherrypy.engine.signals.subscribe()
    cherrypy.engine.start()
    cherrypy.engine.block()
