"""The guestbook on Starlette: routes, a Request, Responses, a lifespan, all on raw ASGI."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response, StreamingResponse
from starlette.routing import Route, WebSocketRoute
from starlette.templating import Jinja2Templates
from starlette.types import ASGIApp, Receive, Scope, Send
from starlette.websockets import WebSocket

from guestbook import MAX_BODY, Full, Invalid, Store, check_paging, content_kind, native, page
from guestbook import events as sse
from guestbook.exhibit import identity
from guestbook.rules import Entry, entry_from_body, slow_param, stream_line, stream_params
from guestbook.scope import refusal

templates = Jinja2Templates(directory="templates")
KEEPALIVE_SECONDS = 15.0
TEXT = "text/plain; charset=utf-8"  # a redirect has no body, but every answer has a type


@contextlib.asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[dict[str, Any]]:
    # The yielded state lands in every request's scope, as request.state. One process, so a
    # queue per /events listener is the whole broadcast.
    listeners: set[asyncio.Queue[Entry]] = set()
    yield {"store": await asyncio.to_thread(Store), "listeners": listeners}


async def homepage(request: Request) -> Response:
    entries, total = await asyncio.to_thread(request.state.store.page, 10, 0)
    return templates.TemplateResponse(request, "index.html", {
        "exhibit": identity(), "entries": entries, "total": total, "style": page.STYLE,
    })


async def hello(request: Request) -> Response:
    name = request.path_params.get("name") or request.query_params.get("name") or "World"
    return Response(f"Hello, {name}!", media_type="text/plain")


async def guestbook(request: Request) -> Response:
    if request.method == "POST":
        return await sign(request)
    limit, offset = check_paging(request.query_params.get("limit"),
                                 request.query_params.get("offset"))
    entries, total = await asyncio.to_thread(request.state.store.page, limit, offset)
    return JSONResponse({"entries": [e.as_dict() for e in entries], "total": total})


async def sign(request: Request) -> Response:
    content_type = request.headers.get("content-type")
    kind = content_kind(content_type)
    if kind is None:
        raise HTTPException(415, "send application/json or a form")
    body = b""
    async for chunk in request.stream():  # stop reading as soon as the body is too large
        body += chunk
        if len(body) > MAX_BODY:
            raise HTTPException(413, f"the body is over {MAX_BODY} bytes",
                                headers={"Connection": "close"})
    name, message = entry_from_body(content_type, body)
    entry = await asyncio.to_thread(request.state.store.add, name, message)
    for queue in request.state.listeners:
        queue.put_nowait(entry)
    if kind == "form":
        return RedirectResponse("/", status_code=303, headers={"Content-Type": TEXT})
    return JSONResponse(entry.as_dict(), status_code=201, headers={"Location": entry.location})


async def one_entry(request: Request) -> Response:
    entry = await asyncio.to_thread(request.state.store.get, request.path_params["id"])
    if entry is None:
        raise HTTPException(404, f"there is no entry {request.path_params['id']}")
    return JSONResponse(entry.as_dict())


async def inspect(request: Request) -> Response:
    client = request.client.host if request.client else ""
    described = {
        "method": request.method, "path": request.url.path, "query": request.url.query,
        "headers": dict(request.headers), "http_version": request.scope["http_version"],
        "scheme": request.url.scheme, "client": client,
    }
    # Starlette's Request is a thin wrapper: what it holds is the ASGI scope itself.
    return JSONResponse(native.document(
        interface="ASGI 3.0", software="uvicorn", version=uvicorn.__version__,
        request=described, native=request.scope))


async def stream(request: Request) -> Response:
    chunks, delay_ms = stream_params(request.query_params.get("chunks"),
                                     request.query_params.get("delay_ms"))

    async def lines() -> AsyncIterator[str]:
        for index in range(1, chunks + 1):
            yield stream_line(index, chunks)
            if index < chunks:
                await asyncio.sleep(delay_ms / 1000)

    return StreamingResponse(lines(), media_type="text/plain")


async def slow(request: Request) -> Response:
    ms = slow_param(request.query_params.get("ms"))
    await asyncio.sleep(ms / 1000)  # a timer on the event loop; other requests run meanwhile
    return JSONResponse({"ms": ms, **native.process()})


async def events(request: Request) -> Response:
    listeners: set[asyncio.Queue[Entry]] = request.state.listeners
    return StreamingResponse(sse.subscribe(listeners, KEEPALIVE_SECONDS),
                             media_type=sse.CONTENT_TYPE,
                             headers={"Cache-Control": "no-cache"})


async def boom(request: Request) -> Response:
    raise RuntimeError("boom: the guestbook raised on purpose")


async def echo(websocket: WebSocket) -> None:
    await websocket.accept()
    while True:
        message = await websocket.receive()
        if message["type"] == "websocket.disconnect":
            return
        if message.get("text") is not None:
            await websocket.send_text(message["text"])
        else:
            await websocket.send_bytes(message["bytes"])


class StrictHTTP:
    """Pure ASGI middleware: what HTTP forbids and uvicorn's httptools lets through, refused
    before routing, while the scope still holds the raw path, query string and headers.
    Starlette's own decoding would turn bytes that are not UTF-8 into U+FFFD."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        refused = refusal(scope) if scope["type"] == "http" else None
        if refused is None:
            await self.app(scope, receive, send)
            return
        status, message, field = refused
        body = {"error": message, **({"field": field} if field is not None else {})}
        await JSONResponse(body, status_code=status)(scope, receive, send)


async def http_error(request: Request, exc: Exception) -> Response:
    """Starlette's own 404, 405 (with Allow), 413 and 415, as the contract's JSON."""
    assert isinstance(exc, HTTPException)
    return JSONResponse({"error": exc.detail}, status_code=exc.status_code, headers=exc.headers)


async def invalid_input(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, Invalid)
    return Response(exc.body(), status_code=400, media_type="application/json")


async def storage_full(request: Request, exc: Exception) -> Response:
    return JSONResponse({"error": str(exc)}, status_code=507)


routes = [
    Route("/", homepage),
    Route("/hello", hello),
    Route("/hello/{name}", hello),
    Route("/guestbook", guestbook, methods=["GET", "POST"]),
    Route("/guestbook/{id:int}", one_entry),
    Route("/inspect", inspect),
    Route("/stream", stream),
    Route("/slow", slow),
    Route("/events", events),
    Route("/boom", boom),
    WebSocketRoute("/ws", echo),
]

app = Starlette(
    routes=routes,
    lifespan=lifespan,
    middleware=[Middleware(StrictHTTP)],
    exception_handlers={HTTPException: http_error, Invalid: invalid_input, Full: storage_full},
)
