"""The guestbook as a raw ASGI 3 application: one coroutine, three scope types, no framework.

    async def app(scope, receive, send)

The server (uvicorn) calls it once per connection-level event: a `lifespan` scope when the
process starts, an `http` scope per request, a `websocket` scope per socket. Everything else is
messages: the app awaits `receive()` for what the client sent and `send()`s what it answers.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import urllib.parse
from collections.abc import Awaitable, Callable
from typing import Any

import uvicorn

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
from guestbook.rules import Entry, entry_from_body, slow_param, stream_line, stream_params
from guestbook.scope import refusal

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
Handler = Callable[[Scope, Receive, Send, dict[str, str]], Awaitable[None]]

JSON = b"application/json"
TEXT = b"text/plain; charset=utf-8"
HTML = b"text/html; charset=utf-8"
KEEPALIVE_SECONDS = 15.0

log = logging.getLogger("uvicorn.error")


# --- The application: dispatch on the scope type ---------------------------------------------

async def app(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] == "lifespan":
        await lifespan(scope, receive, send)
    elif scope["type"] == "http":
        await http(scope, receive, send)
    elif scope["type"] == "websocket":
        await websocket(scope, receive, send)


# --- lifespan: open the store once; its state is copied into every request's scope -----------

async def lifespan(scope: Scope, receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            try:
                scope["state"]["store"] = await asyncio.to_thread(Store)
            except Exception as exc:
                await send({"type": "lifespan.startup.failed", "message": str(exc)})
                return
            scope["state"]["broadcast"] = Broadcast()
            loop = type(asyncio.get_running_loop())
            log.info("lifespan.startup: store open, event loop %s.%s",
                     loop.__module__, loop.__qualname__)
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


class Broadcast:
    """One process, so new entries reach /events subscribers at once: a queue per listener."""

    def __init__(self) -> None:
        self.queues: set[asyncio.Queue[Entry]] = set()

    def subscribe(self) -> asyncio.Queue[Entry]:
        queue: asyncio.Queue[Entry] = asyncio.Queue()
        self.queues.add(queue)
        return queue

    def unsubscribe(self, queue: asyncio.Queue[Entry]) -> None:
        self.queues.discard(queue)

    def publish(self, entry: Entry) -> None:
        for queue in self.queues:
            queue.put_nowait(entry)


# --- http: a route table, then two messages per response --------------------------------------

async def http(scope: Scope, receive: Receive, send: Send) -> None:
    # What HTTP forbids and httptools lets through, refused from the scope's raw bytes.
    refused = refusal(scope)
    if refused is not None:
        status, message, field = refused
        await respond(send, status, error_body(message, field), JSON)
        return
    for pattern, methods in ROUTES:
        match = pattern.fullmatch(scope["path"])
        if match is None:
            continue
        method = "GET" if scope["method"] == "HEAD" else scope["method"]
        if method not in methods:
            allow = ", ".join(sorted({*methods, "HEAD"} if "GET" in methods else methods))
            await respond(send, 405, error_body(f"{scope['method']} is not allowed here"),
                          JSON, [(b"allow", allow.encode())])
            return
        try:
            await methods[method](scope, receive, send, match.groupdict())
        except Invalid as invalid:
            await respond(send, 400, invalid.body(), JSON)
        except Full as full:
            await respond(send, 507, error_body(str(full)), JSON)
        return
    await respond(send, 404, error_body("there is nothing at this address"), JSON)


async def respond(send: Send, status: int, body: str | bytes, content_type: bytes,
                  headers: list[tuple[bytes, bytes]] | None = None) -> None:
    data = body.encode() if isinstance(body, str) else body
    await send({
        "type": "http.response.start",
        "status": status,
        "headers": [(b"content-type", content_type),
                    (b"content-length", str(len(data)).encode()), *(headers or [])],
    })
    await send({"type": "http.response.body", "body": data})


def header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            return bytes(value).decode("latin-1")
    return None


def query(scope: Scope) -> dict[str, str]:
    pairs = urllib.parse.parse_qsl(scope["query_string"].decode("latin-1"),
                                   keep_blank_values=True)
    return dict(reversed(pairs))  # the first value of each name wins


async def read_body(scope: Scope, receive: Receive) -> bytes | None:
    """The body from its http.request messages, or None as soon as it passes MAX_BODY."""
    declared = header(scope, b"content-length")
    if declared is not None and declared.isdigit() and int(declared) > MAX_BODY:
        return None
    body = bytearray()
    more_body = True
    while more_body:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        body += message.get("body", b"")
        if len(body) > MAX_BODY:
            return None
        more_body = message.get("more_body", False)
    return bytes(body)


def watch_disconnect(receive: Receive) -> asyncio.Task[None]:
    """A task that ends when the client goes away (http.disconnect)."""
    async def watch() -> None:
        while (await receive())["type"] != "http.disconnect":
            pass
    return asyncio.create_task(watch())


# --- http handlers -----------------------------------------------------------------------------

async def front_page(scope: Scope, receive: Receive, send: Send, _: dict[str, str]) -> None:
    entries, total = await asyncio.to_thread(scope["state"]["store"].page, 10, 0)
    await respond(send, 200, page.render(identity(), entries, total), HTML)


async def hello(scope: Scope, receive: Receive, send: Send, params: dict[str, str]) -> None:
    name = params["name"] or query(scope).get("name") or "World"
    await respond(send, 200, f"Hello, {name}!", TEXT)


async def guestbook(scope: Scope, receive: Receive, send: Send, _: dict[str, str]) -> None:
    fields = query(scope)
    limit, offset = check_paging(fields.get("limit"), fields.get("offset"))
    entries, total = await asyncio.to_thread(scope["state"]["store"].page, limit, offset)
    document = {"entries": [e.as_dict() for e in entries], "total": total}
    await respond(send, 200, json.dumps(document), JSON)


async def one_entry(scope: Scope, receive: Receive, send: Send, params: dict[str, str]) -> None:
    entry = await asyncio.to_thread(scope["state"]["store"].get, int(params["id"]))
    if entry is None:
        await respond(send, 404, error_body(f"there is no entry {params['id']}"), JSON)
    else:
        await respond(send, 200, entry.to_json(), JSON)


async def sign(scope: Scope, receive: Receive, send: Send, _: dict[str, str]) -> None:
    content_type = header(scope, b"content-type")
    kind = content_kind(content_type)
    if kind is None:
        await respond(send, 415, error_body("send application/json or a form"), JSON)
        return
    body = await read_body(scope, receive)
    if body is None:  # answered at once; the rest of the body is never buffered
        await respond(send, 413, error_body(f"the body is over {MAX_BODY} bytes"), JSON,
                      [(b"connection", b"close")])
        return
    name, message = entry_from_body(content_type, body)
    entry = await asyncio.to_thread(scope["state"]["store"].add, name, message)
    scope["state"]["broadcast"].publish(entry)
    if kind == "form":
        await respond(send, 303, b"", TEXT, [(b"location", b"/")])
    else:
        await respond(send, 201, entry.to_json(), JSON, [(b"location", entry.location.encode())])


async def inspect(scope: Scope, receive: Receive, send: Send, _: dict[str, str]) -> None:
    headers: dict[str, str] = {}
    for key, value in scope["headers"]:
        name, text = key.decode("latin-1").lower(), value.decode("latin-1")
        headers[name] = f"{headers[name]}, {text}" if name in headers else text
    request = {
        "method": scope["method"], "path": scope["path"],
        "query": scope["query_string"].decode("latin-1"), "headers": headers,
        "http_version": scope["http_version"], "scheme": scope["scheme"],
        "client": scope["client"][0] if scope.get("client") else "",
    }
    document = native.document(interface="ASGI 3.0", software="uvicorn",
                               version=uvicorn.__version__, request=request, native=scope)
    # What really runs under the scope: the event loop and the HTTP protocol that called us.
    document["runtime"] = {"loop": qualified(asyncio.get_running_loop()),
                           "protocol": qualified(getattr(send, "__self__", send))}
    await respond(send, 200, json.dumps(document), JSON)


def qualified(thing: object) -> str:
    return f"{type(thing).__module__}.{type(thing).__qualname__}"


async def stream(scope: Scope, receive: Receive, send: Send, _: dict[str, str]) -> None:
    fields = query(scope)
    chunks, delay_ms = stream_params(fields.get("chunks"), fields.get("delay_ms"))
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", TEXT), (b"cache-control", b"no-cache")]})
    gone = watch_disconnect(receive)
    try:
        for index in range(1, chunks + 1):
            body = stream_line(index, chunks).encode()
            await send({"type": "http.response.body", "body": body, "more_body": True})
            if index < chunks:
                await asyncio.wait({gone}, timeout=delay_ms / 1000)  # a timer, or the hang-up
            if gone.done():
                return
        await send({"type": "http.response.body", "body": b"", "more_body": False})
    finally:
        gone.cancel()


async def slow(scope: Scope, receive: Receive, send: Send, _: dict[str, str]) -> None:
    ms = slow_param(query(scope).get("ms"))
    await asyncio.sleep(ms / 1000)  # a timer on the event loop; other requests run meanwhile
    await respond(send, 200, json.dumps({"ms": ms, **native.process()}), JSON)


async def events(scope: Scope, receive: Receive, send: Send, _: dict[str, str]) -> None:
    broadcast: Broadcast = scope["state"]["broadcast"]
    queue = broadcast.subscribe()
    gone = watch_disconnect(receive)
    try:
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", sse.CONTENT_TYPE.encode()),
                                (b"cache-control", b"no-cache")]})
        await send({"type": "http.response.body", "body": sse.LISTENING.encode(),
                    "more_body": True})
        while not gone.done():
            getter = asyncio.ensure_future(queue.get())
            done, _pending = await asyncio.wait({getter, gone}, timeout=KEEPALIVE_SECONDS,
                                                return_when=asyncio.FIRST_COMPLETED)
            text = sse.event(getter.result()) if getter in done else sse.KEEPALIVE
            getter.cancel()
            if not gone.done():
                await send({"type": "http.response.body", "body": text.encode(),
                            "more_body": True})
    finally:
        broadcast.unsubscribe(queue)
        gone.cancel()


async def boom(scope: Scope, receive: Receive, send: Send, _: dict[str, str]) -> None:
    raise RuntimeError("boom: the guestbook raised on purpose")  # uvicorn logs it, sends 500


async def plain_get_on_ws(scope: Scope, receive: Receive, send: Send, _: dict[str, str]) -> None:
    await respond(send, 426, error_body("/ws speaks WebSocket: send an Upgrade"), JSON,
                  [(b"upgrade", b"websocket"), (b"connection", b"Upgrade")])


ROUTES: list[tuple[re.Pattern[str], dict[str, Handler]]] = [
    (re.compile(r"/"), {"GET": front_page}),
    (re.compile(r"/hello(?:/(?P<name>[^/]+))?"), {"GET": hello}),
    (re.compile(r"/guestbook"), {"GET": guestbook, "POST": sign}),
    (re.compile(r"/guestbook/(?P<id>[0-9]+)"), {"GET": one_entry}),
    (re.compile(r"/inspect"), {"GET": inspect}),
    (re.compile(r"/stream"), {"GET": stream}),
    (re.compile(r"/slow"), {"GET": slow}),
    (re.compile(r"/events"), {"GET": events}),
    (re.compile(r"/boom"), {"GET": boom}),
    (re.compile(r"/ws"), {"GET": plain_get_on_ws}),
]


# --- websocket: accept, then echo every message until the client closes ----------------------

async def websocket(scope: Scope, receive: Receive, send: Send) -> None:
    message = await receive()
    if message["type"] != "websocket.connect":
        return
    if scope["path"] != "/ws":
        await refuse(scope, send)
        return
    await send({"type": "websocket.accept"})
    while True:
        message = await receive()
        if message["type"] == "websocket.disconnect":
            return
        if message.get("text") is not None:
            await send({"type": "websocket.send", "text": message["text"]})
        else:
            await send({"type": "websocket.send", "bytes": message["bytes"]})


async def refuse(scope: Scope, send: Send) -> None:
    """A 404 through the Denial Response extension where the server has it, else a close."""
    if "websocket.http.response" not in scope.get("extensions", {}):
        await send({"type": "websocket.close"})
        return
    body = error_body("there is no WebSocket at this address").encode()
    await send({"type": "websocket.http.response.start", "status": 404,
                "headers": [(b"content-type", JSON),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "websocket.http.response.body", "body": body})
