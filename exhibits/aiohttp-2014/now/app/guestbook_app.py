"""The guestbook on aiohttp.web as it is written today: `async def` handlers on a route table,
web.run_app, and the SQLite calls in the loop's default executor (asyncio.to_thread).

One thread runs the event loop and every handler on it; a handler that awaits (a timer, the
network, a thread doing the disk's work) lets the loop serve the others meanwhile.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sys
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qsl, unquote_to_bytes

import aiohttp
from aiohttp import web

from guestbook import Full, Invalid, Store, check_paging, content_kind, error_body
from guestbook import page as front_page
from guestbook.events import CONTENT_TYPE as EVENT_STREAM
from guestbook.events import KEEPALIVE, LISTENING, event
from guestbook.exhibit import identity
from guestbook.native import document, process
from guestbook.rules import MAX_BODY, Entry, entry_from_body, slow_param, stream_line, stream_params

log = logging.getLogger("guestbook")
TEXT = "text/plain; charset=utf-8"
KEEPALIVE_SECONDS = 15.0

store = Store()
LISTENERS = web.AppKey("listeners", set[asyncio.Queue[Entry]])
routes = web.RouteTableDef()


def json_response(value: object, status: int = 200,
                  headers: dict[str, str] | None = None) -> web.Response:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return web.Response(text=text, status=status, headers=headers,
                        content_type="application/json")


def text_response(text: str, content_type: str = TEXT, status: int = 200,
                  headers: dict[str, str] | None = None) -> web.Response:
    response = web.Response(body=text.encode("utf-8"), status=status, headers=headers)
    response.headers["Content-Type"] = content_type
    return response


class Answer(Exception):
    """An answer a handler gives up with: a status and the guestbook's JSON error."""

    def __init__(self, status: int, message: str, field: str | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.body, self.headers = status, error_body(message, field), headers


def query(request: web.Request) -> dict[str, str]:
    """The query's fields, the first value of each; bytes that are not UTF-8 are a 400."""
    fields: dict[str, str] = {}
    try:
        pairs = parse_qsl(request.rel_url.raw_query_string, keep_blank_values=True, errors="strict")
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


def path_name(request: web.Request) -> str:
    """/hello/{name}'s name, percent-decoded from the raw path as UTF-8 (yarl keeps an escape
    it cannot decode, so %ff would read as the text "%ff")."""
    raw = request.rel_url.raw_path.partition("/hello/")[2]
    try:
        return unquote_to_bytes(raw).decode("utf-8")
    except UnicodeDecodeError:
        raise Answer(400, "name must be UTF-8 text", "name") from None


# ---- the handlers ----------------------------------------------------------------------------

@routes.get("/")
async def index(request: web.Request) -> web.Response:
    entries, total = await asyncio.to_thread(store.page, 10, 0)
    return text_response(front_page.render(identity(), entries, total),
                         "text/html; charset=utf-8")


@routes.get("/hello")
@routes.get("/hello/{name:.+}")
async def hello(request: web.Request) -> web.Response:
    if "name" in request.match_info:
        name: str | None = path_name(request)
    else:
        name = query(request).get("name")
    return text_response(f"Hello, {name or 'World'}!")


@routes.get("/guestbook")
async def read_guestbook(request: web.Request) -> web.Response:
    fields = query(request)
    try:
        limit, offset = check_paging(fields.get("limit"), fields.get("offset"))
    except Invalid as bad:
        return json_response(bad.body(), 400)
    entries, total = await asyncio.to_thread(store.page, limit, offset)
    return json_response({"entries": [e.as_dict() for e in entries], "total": total})


async def read_body(request: web.Request) -> bytes | None:
    """The body, or None when it is over 64 KiB (a chunked body has no length to check)."""
    body = b""
    while len(body) <= MAX_BODY:
        chunk = await request.content.read(MAX_BODY + 1 - len(body))
        if not chunk:
            return body
        body += chunk
    return None


@routes.post("/guestbook")
async def sign(request: web.Request) -> web.Response:
    content_type = request.headers.get("Content-Type", "")
    kind = content_kind(content_type)
    if kind is None or not utf8_charset(content_type):
        raise Answer(415, "send application/json or application/x-www-form-urlencoded, "
                          "in UTF-8")
    too_big = Answer(413, "the body is over 64 KiB", headers={"Connection": "close"})
    if (request.content_length or 0) > MAX_BODY:
        raise too_big
    body = await read_body(request)
    if body is None:
        raise too_big
    try:
        name, message = entry_from_body(content_type, body)
    except Invalid as bad:
        return json_response(bad.body(), 400)
    try:
        entry = await asyncio.to_thread(store.add, name, message)
    except Full as full:
        log.warning("the guestbook could not store a post: %s", full)
        raise Answer(507, "the guestbook's storage is full") from None
    for queue in list(request.app[LISTENERS]):
        queue.put_nowait(entry)
    if kind == "form":
        return text_response("", status=303, headers={"Location": "/"})
    return json_response(entry.to_json(), 201, {"Location": entry.location})


@routes.get("/guestbook/{id}")
async def read_entry(request: web.Request) -> web.Response:
    entry_id = request.match_info["id"]
    entry = await asyncio.to_thread(store.get, int(entry_id)) if entry_id.isdigit() else None
    if entry is None:
        raise Answer(404, "there is no such entry")
    return json_response(entry.to_json())


@routes.get("/stream")
async def stream(request: web.Request) -> web.StreamResponse:
    fields = query(request)
    try:
        chunks, delay_ms = stream_params(fields.get("chunks"), fields.get("delay_ms"))
    except Invalid as bad:
        return json_response(bad.body(), 400)
    response = web.StreamResponse(headers={"Content-Type": TEXT})
    await response.prepare(request)
    for index in range(1, chunks + 1):
        if index > 1:
            await asyncio.sleep(delay_ms / 1000)
        await response.write(stream_line(index, chunks).encode("utf-8"))
    await response.write_eof()
    return response


@routes.get("/slow")
async def slow(request: web.Request) -> web.Response:
    try:
        ms = slow_param(query(request).get("ms"))
    except Invalid as bad:
        return json_response(bad.body(), 400)
    await asyncio.sleep(ms / 1000)  # a timer on the loop: the loop serves the others
    found = process()
    return json_response({"ms": ms, "pid": found["pid"], "thread": found["thread"]})


@routes.get("/events")
async def events(request: web.Request) -> web.StreamResponse:
    response = web.StreamResponse(headers={"Content-Type": EVENT_STREAM,
                                           "Cache-Control": "no-cache"})
    queue: asyncio.Queue[Entry] = asyncio.Queue()
    request.app[LISTENERS].add(queue)
    try:
        await response.prepare(request)
        await response.write(LISTENING.encode("utf-8"))
        while True:
            try:
                entry = await asyncio.wait_for(queue.get(), KEEPALIVE_SECONDS)
            except TimeoutError:
                await response.write(KEEPALIVE.encode("utf-8"))
            else:
                await response.write(event(entry).encode("utf-8"))
    finally:
        request.app[LISTENERS].discard(queue)


@routes.get("/ws")
async def websocket(request: web.Request) -> web.StreamResponse:
    ws = web.WebSocketResponse()
    if not ws.can_prepare(request).ok:
        raise Answer(400, "this address speaks WebSocket: send an Upgrade request")
    await ws.prepare(request)
    async for msg in ws:  # a close from the client is answered, and ends the loop
        if msg.type == aiohttp.WSMsgType.TEXT:
            await ws.send_str(msg.data)
        elif msg.type == aiohttp.WSMsgType.BINARY:
            await ws.send_bytes(msg.data)
    return ws


@routes.get("/inspect")
async def inspect(request: web.Request) -> web.Response:
    peer = request.transport.get_extra_info("peername") if request.transport else None
    info = {
        "method": request.method,
        "path": request.path,
        "query": request.rel_url.raw_query_string,
        "headers": {name.lower(): value for name, value in request.headers.items()},
        "http_version": f"{request.version.major}.{request.version.minor}",
        "scheme": request.scheme,
        "client": peer[0] if peer else request.remote or "",
    }
    software = aiohttp.http.SERVER_SOFTWARE.split()[-1].partition("/")[0]  # aiohttp/3.14.5
    return json_response(document(interface="native", software=software,
                                  version=aiohttp.__version__, request=info, native=request))


@routes.get("/boom")
async def boom(request: web.Request) -> web.Response:
    raise RuntimeError("boom: the guestbook raised on purpose")


# ---- the middleware: the guestbook's JSON for every error -----------------------------------

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@web.middleware
async def errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    if request.version < aiohttp.HttpVersion10:
        # llhttp takes "GET /hello" with no version for HTTP/0.9, headers and all, and aiohttp
        # would serve it; a request line without a version is the client's mistake.
        return json_response(error_body("the request line names no HTTP version"), 400,
                             {"Connection": "close"})
    try:
        return await handler(request)
    except Answer as answer:
        return json_response(answer.body, answer.status, answer.headers)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        allow = exc.headers.get("Allow")
        return json_response(error_body(exc.reason), exc.status,
                             {"Allow": allow} if allow is not None else None)
    except Exception:
        log.exception("%s %s failed", request.method, request.path)
        return json_response(error_body("the guestbook failed"), 500)


async def listeners(app: web.Application) -> Any:
    app[LISTENERS] = set()
    yield


def make_app() -> web.Application:
    app = web.Application(middlewares=[errors])
    app.cleanup_ctx.append(listeners)
    app.add_routes(routes)
    return app


if __name__ == "__main__":
    logging.basicConfig(stream=sys.stderr, level=logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s %(message)s")
    # run_app stops on SIGTERM; open streams get shutdown_timeout seconds, then are cancelled
    web.run_app(make_app(), port=8000, shutdown_timeout=3)
