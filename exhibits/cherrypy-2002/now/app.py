"""The guestbook as CherryPy publishes it: exposed methods on a tree of plain objects.

The URL is a path through attributes of Root; what is left of the path and the query string
arrive as the method's arguments. CherryPy's engine runs Cheroot, whose fixed pool of ten
threads calls the published methods.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from typing import Any

import cherrypy

from guestbook import MAX_BODY, Invalid, Store, check_entry, check_paging, content_kind
from guestbook.exhibit import identity
from guestbook.native import document, process
from guestbook.page import render
from guestbook.rules import entry_from_json, error_body, slow_param, stream_line, stream_params

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
        if kind == "json":
            name, message = entry_from_json(cherrypy.request.body.read())
        else:  # CherryPy already parsed the form into keyword arguments
            name, message = check_entry(name, message)
        entry = store.add(name, message)
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
    },
    "/guestbook": {"request.dispatch": cherrypy.dispatch.MethodDispatcher()},
}

if __name__ == "__main__":
    cherrypy.quickstart(Root(), "/", config)
