"""The guestbook on Quart: Flask's API, every view a coroutine, served by Hypercorn over HTTP/2."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from importlib.metadata import version
from typing import Any

from quart import Quart, Response, jsonify, redirect, render_template, request, websocket
from werkzeug.exceptions import HTTPException, UnsupportedMediaType

from guestbook import (
    MAX_BODY,
    Full,
    Invalid,
    Store,
    check_paging,
    content_kind,
    error_body,
    native,
    page,
)
from guestbook import events as sse
from guestbook.exhibit import identity
from guestbook.rules import (
    Entry,
    check_entry,
    entry_from_body,
    slow_param,
    stream_line,
    stream_params,
)
from guestbook.scope import not_utf8, one_host

app = Quart(__name__)
app.config["MAX_CONTENT_LENGTH"] = MAX_BODY  # Quart answers 413 while it reads the body
KEEPALIVE_SECONDS = 15.0
TEXT = "text/plain; charset=utf-8"
store: Store
listeners: set[asyncio.Queue[Entry]] = set()  # one process: a queue per /events listener


@app.before_serving
async def open_store() -> None:
    global store
    store = await asyncio.to_thread(Store)


@app.before_request
async def refuse_malformed() -> Response | None:
    """What HTTP forbids and Hypercorn's h11 lets through, refused before the view runs, from
    the raw bytes in the scope (Werkzeug would decode bytes that are not UTF-8 as U+FFFD)."""
    scope = request.scope
    if scope["http_version"] not in ("1.0", "1.1", "2"):
        return refused(505, "this server speaks HTTP/1.0, HTTP/1.1 and HTTP/2")
    if not scope["raw_path"].startswith(b"/"):
        return refused(400, "the request target is not a path")
    if scope["http_version"] != "2" and not one_host(scope):  # HTTP/2 names it in :authority
        return refused(400, "HTTP/1.1 needs one Host header, a host name and port")
    bad = not_utf8(scope)
    return None if bad is None else refused(*bad)


def refused(status: int, message: str, field: str | None = None) -> Response:
    return Response(error_body(message, field), status=status, content_type="application/json")


@app.route("/")
async def index() -> str:
    entries, total = await asyncio.to_thread(store.page, 10, 0)
    return await render_template("index.html", exhibit=identity(), entries=entries,
                                 total=total, style=page.STYLE)


@app.route("/hello")
@app.route("/hello/<name>")
async def hello(name: str | None = None) -> tuple[str, dict[str, str]]:
    name = name or request.args.get("name") or "World"
    return f"Hello, {name}!", {"Content-Type": TEXT}


@app.route("/guestbook")
async def guestbook() -> Response:
    limit, offset = check_paging(request.args.get("limit"), request.args.get("offset"))
    entries, total = await asyncio.to_thread(store.page, limit, offset)
    return jsonify(entries=[e.as_dict() for e in entries], total=total)


@app.route("/guestbook", methods=["POST"])
async def sign() -> Any:
    kind = content_kind(request.content_type)
    if kind is None:
        # Read the body before refusing it: Hypercorn 0.18 drops the whole HTTP/2 connection
        # when DATA arrives for a stream it has already answered (hypercorn pull request 365).
        await request.get_data()
        raise UnsupportedMediaType("send application/json or a form")
    if kind == "json":
        try:
            data = await request.get_json(silent=True)
        except (UnicodeDecodeError, RecursionError):  # not UTF-8; nested beyond the stack
            data = None
        if not isinstance(data, dict):
            raise Invalid("the body must be a JSON object")
        name, message = check_entry(data.get("name"), data.get("message"))
    else:
        name, message = entry_from_body(request.content_type, await request.get_data())
    entry = await asyncio.to_thread(store.add, name, message)
    for queue in listeners:
        queue.put_nowait(entry)
    if kind == "form":
        return redirect("/", 303), {"Content-Type": TEXT}
    return jsonify(entry.as_dict()), 201, {"Location": entry.location}


@app.route("/guestbook/<int:entry_id>")
async def one_entry(entry_id: int) -> Any:
    entry = await asyncio.to_thread(store.get, entry_id)
    if entry is None:
        return jsonify(error=f"there is no entry {entry_id}"), 404
    return jsonify(entry.as_dict())


@app.route("/inspect")
async def inspect() -> Response:
    described = {
        "method": request.method, "path": request.path,
        "query": request.query_string.decode("latin-1"),
        "headers": {k.lower(): v for k, v in request.headers.items()},
        "http_version": request.http_version, "scheme": request.scheme,
        "client": request.remote_addr or "",
    }
    # Quart's request wraps the ASGI scope Hypercorn built; that scope is what the app got.
    return jsonify(native.document(
        interface="ASGI 3.0", software="hypercorn", version=version("hypercorn"),
        request=described, native=request.scope))


@app.route("/stream")
async def stream() -> Any:
    chunks, delay_ms = stream_params(request.args.get("chunks"), request.args.get("delay_ms"))

    async def lines() -> AsyncIterator[str]:
        for index in range(1, chunks + 1):
            yield stream_line(index, chunks)
            if index < chunks:
                await asyncio.sleep(delay_ms / 1000)

    return lines(), {"Content-Type": TEXT}


@app.route("/slow")
async def slow() -> Response:
    ms = slow_param(request.args.get("ms"))
    await asyncio.sleep(ms / 1000)  # a timer on the event loop; other requests run meanwhile
    return jsonify(ms=ms, **native.process())


@app.route("/events")
async def events() -> Response:
    response = Response(sse.subscribe(listeners, KEEPALIVE_SECONDS),
                        content_type=sse.CONTENT_TYPE,
                        headers={"Cache-Control": "no-cache"})
    response.timeout = None  # Quart's RESPONSE_TIMEOUT would end the stream after 60 s
    return response


@app.route("/boom")
async def boom() -> str:
    raise RuntimeError("boom: the guestbook raised on purpose")


@app.websocket("/ws")
async def echo() -> None:
    while True:  # Hypercorn answers the client's close frame itself
        await websocket.send(await websocket.receive())


@app.errorhandler(HTTPException)
async def http_error(error: HTTPException) -> Response:
    """Werkzeug's 404, 405 (with Allow), 413, 415 and 500, as the contract's JSON."""
    response = jsonify(error=error.description)
    response.status_code = error.code or 500
    for key, value in error.get_headers():
        if key.lower() != "content-type":
            response.headers[key] = value
    return response


@app.errorhandler(Invalid)
async def invalid_input(error: Invalid) -> Response:
    return Response(error.body(), status=400, content_type="application/json")


@app.errorhandler(Full)
async def storage_full(error: Full) -> Response:
    return refused(507, str(error))
