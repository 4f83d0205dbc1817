"""The guestbook in Bottle: decorated functions, a SimpleTemplate, and run() choosing a server.

One file, as Bottle itself is one file. Bottle picks the route, hands the function a
thread-local `request`, and turns what it returns (a str, a dict, a generator) into the body.
"""

from __future__ import annotations

import signal
import time
from collections.abc import Callable, Iterator
from importlib.metadata import version
from typing import Any

from bottle import (
    BaseRequest,
    HTTPError,
    default_app,
    error,
    get,
    install,
    post,
    request,
    response,
    run,
    template,
)

from guestbook import MAX_BODY, Full, Invalid, Store, check_entry, content_kind
from guestbook.exhibit import identity
from guestbook.native import document, process
from guestbook.page import STYLE
from guestbook.rules import check_paging, error_body, slow_param, stream_line, stream_params

# Bottle reads bodies up to MEMFILE_MAX into memory and spools larger ones to a temporary
# file; request.json and request.forms refuse anything larger with Bottle's own 413.
BaseRequest.MEMFILE_MAX = MAX_BODY

store = Store()

TEXT = "text/plain; charset=utf-8"


def validation(callback: Callable[..., Any]) -> Callable[..., Any]:
    """A Bottle plugin: the guestbook's Invalid, from any route, is a 400 naming the field."""
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return callback(*args, **kwargs)
        except Invalid as problem:
            response.status = 400
            response.content_type = "application/json"
            return problem.body()
    return wrapper


install(validation)


def arg(name: str) -> str | None:
    """A query argument as text. Bottle keeps the bytes as latin-1 and, asked for text, turns
    bytes that are not UTF-8 into an empty string; here they are the client's mistake."""
    raw = request.query.get(name)
    if raw is None:
        return None
    try:
        return str(raw.encode("latin-1").decode("utf-8"))
    except UnicodeError:
        raise Invalid(f"{name} is not UTF-8", name) from None


@get("/")
def index() -> str:
    entries, total = store.page(20, 0)
    return template("index", exhibit=identity(), entries=entries, total=total, style=STYLE)


@get("/hello")
@get("/hello/<name>")
def hello(name: str | None = None) -> str:
    response.content_type = TEXT
    return f"Hello, {name or arg('name') or 'World'}!"


@get("/guestbook")
def entries() -> Any:
    limit, offset = check_paging(arg("limit"), arg("offset"))
    page, total = store.page(limit, offset)
    return {"entries": [e.as_dict() for e in page], "total": total}


@get("/guestbook/<entry_id:int>")
def entry(entry_id: int) -> Any:
    found = store.get(entry_id)
    if found is None:
        raise HTTPError(404, f"There is no entry {entry_id}.")
    return found.as_dict()


@post("/guestbook")
def sign() -> Any:
    kind = content_kind(request.content_type)
    if kind is None:
        raise HTTPError(415, "Send application/json or a urlencoded form.")
    if kind == "json":
        try:
            body = request.json  # None when empty; Bottle answers 400 itself when malformed
        except RecursionError:  # nested deeper than the parser's stack: not JSON to take
            raise Invalid("the body is not valid JSON") from None
        if not isinstance(body, dict):
            raise Invalid("the body must be a JSON object")
        name, message = check_entry(body.get("name"), body.get("message"))
    else:
        form = request.forms
        name, message = check_entry(form.getunicode("name"), form.getunicode("message"))
    try:
        signed = store.add(name, message)
    except Full as full:  # the disk is full: nothing stored is lost, and this post waits
        response.status = 507
        return {"error": str(full)}
    if kind == "form":
        # not redirect(): it makes the URL absolute, as RFC 2616 wanted in its day
        response.status = 303
        response.set_header("Location", "/")
        return {"id": signed.id}
    response.status = 201
    response.set_header("Location", signed.location)
    return signed.as_dict()


@get("/stream")
def stream() -> Any:
    total, delay = stream_params(arg("chunks"), arg("delay_ms"))
    response.content_type = TEXT

    def lines() -> Iterator[str]:
        for index in range(1, total + 1):
            if index > 1:
                time.sleep(delay / 1000)
            yield stream_line(index, total)
    return lines()


@get("/slow")
def slow() -> Any:
    wait = slow_param(arg("ms"))
    time.sleep(wait / 1000)  # one of waitress's threads sleeps
    return {"ms": wait, **process()}


@get("/inspect")
def inspect() -> Any:
    environ = request.environ
    software = environ["SERVER_SOFTWARE"]  # waitress names itself; its version is its package's
    return document(
        interface="WSGI", software=software, version=version(software),
        request={
            "method": request.method,
            "path": request.path,
            "query": request.query_string,
            "headers": {k.lower(): v for k, v in request.headers.items()},
            "http_version": environ["SERVER_PROTOCOL"].partition("/")[2],
            "scheme": environ["wsgi.url_scheme"],
            "client": environ["REMOTE_ADDR"],
        },
        native=environ)  # Bottle's request object is a view of this environ, nothing more


@get("/boom")
def boom() -> str:
    raise RuntimeError("boom: raised on purpose to show a 500")


def json_error(problem: HTTPError) -> str:
    """Bottle's errors (404, 405 with Allow, 413, 500...) as the contract's JSON."""
    response.content_type = "application/json"
    return error_body(str(problem.body))


for code in (400, 404, 405, 413, 415, 500):
    error(code)(json_error)


def access_log(app: Callable[..., Any]) -> Callable[..., Any]:
    """waitress logs no requests itself: a WSGI middleware writes the access log."""
    def logged(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            print(f'{environ["REMOTE_ADDR"]} - - [{time.strftime("%d/%b/%Y:%H:%M:%S")}] '
                  f'"{environ["REQUEST_METHOD"]} {environ.get("PATH_INFO", "")} '
                  f'{environ["SERVER_PROTOCOL"]}" {status.split()[0]}')
            return start_response(status, headers, exc_info)
        return app(environ, start)
    return logged


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # docker stop acts like Ctrl-C
    # run() looks "waitress" up in Bottle's adapter registry; threads=4 is waitress's default.
    # A request line and headers over 64 KiB are refused (waitress allows 256 KiB).
    run(access_log(default_app()), host="0.0.0.0", port=8000, server="waitress", threads=4,
        max_request_header_size=65536)
