"""The guestbook on FastAPI: type hints and pydantic models become validation and OpenAPI."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncIterator
from importlib.resources import files
from typing import Annotated, Any
from urllib.parse import parse_qsl

import uvicorn
from fastapi import Depends, FastAPI, HTTPException, Query, Request, Response, WebSocket
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import (
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)
from fastapi.responses import (
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    StreamingResponse,
)
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match
from starlette.types import ASGIApp, Receive, Scope, Send

from guestbook import MAX_BODY, Full, Invalid, Store, content_kind, error_body, native, page
from guestbook import events as sse
from guestbook.exhibit import identity
from guestbook.rules import LIMIT_DEFAULT, LIMIT_MAX, MESSAGE_MAX, NAME_MAX, stream_line
from guestbook.rules import Entry as Record
from guestbook.scope import refusal

KEEPALIVE_SECONDS = 15.0
TEXT = "text/plain; charset=utf-8"
PLACES = {"body", "query", "path", "header", "cookie"}  # where FastAPI found a value
OFFSET_MAX = 2**62  # as far as SQLite's 64-bit integers go, with room to spare


def digits_only(value: object) -> object:
    """pydantic's lax mode reads "+5" and "5.0" as 5; a count in a URL is digits only."""
    if isinstance(value, str) and not (value.isascii() and value.isdigit()):
        raise ValueError("must be a whole number")
    return value


Digits = BeforeValidator(digits_only)


# --- The models: the contract's shapes, as pydantic declares them -----------------------------

class NewEntry(BaseModel):
    """What a visitor posts; surrounding whitespace is trimmed before the lengths count."""

    model_config = ConfigDict(str_strip_whitespace=True)
    name: str = Field(min_length=1, max_length=NAME_MAX)
    message: str = Field(min_length=1, max_length=MESSAGE_MAX)


class Entry(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    name: str
    message: str
    created: str = Field(description="RFC 3339, UTC")


class Page(BaseModel):
    entries: list[Entry]
    total: int


class Problem(BaseModel):
    """The contract's error body; `field` names the input at fault."""

    error: str
    field: str | None = None


class Slept(BaseModel):
    ms: int
    pid: int
    thread: str


# --- The application, its lifespan and the dependencies it injects ----------------------------

@contextlib.asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[dict[str, Any]]:
    # One process, so a queue per /events listener is the whole broadcast.
    listeners: set[asyncio.Queue[Record]] = set()
    yield {"store": await run_in_threadpool(Store), "listeners": listeners}


app = FastAPI(
    title="The guestbook, FastAPI style",
    version="2018",
    lifespan=lifespan,
    max_body_size=MAX_BODY,  # Starlette's body limit: a 413 once the body passes 64 KiB
    # What the validation handler below makes of FastAPI's 422 (which the docs still list).
    responses={400: {"model": Problem, "description": "Bad input, naming the field"}},
    docs_url=None,  # both served below from local files: the museum has no CDN to reach
    redoc_url=None,
)


def get_store(request: Request) -> Store:
    store: Store = request.state.store
    return store


def get_listeners(request: Request) -> set[asyncio.Queue[Record]]:
    listeners: set[asyncio.Queue[Record]] = request.state.listeners
    return listeners


StoreDep = Annotated[Store, Depends(get_store)]
ListenersDep = Annotated[set[asyncio.Queue[Record]], Depends(get_listeners)]


async def posted_entry(request: Request) -> NewEntry:
    """The same model from a JSON body or a browser form (parsed by python-multipart).

    One FastAPI operation takes one kind of body, so the choice is made here, by content type.
    """
    kind = content_kind(request.headers.get("content-type"))
    if kind is None:
        raise HTTPException(415, "send application/json or a form")
    if kind == "form":
        data: object = form_fields(request.headers["content-type"], await request.body())
    else:
        try:  # UTF-8 only: json.loads would take UTF-16 and UTF-32 bytes too
            data = json.loads((await request.body()).decode("utf-8"))
        except (ValueError, RecursionError):  # RecursionError: nested deeper than the stack
            raise Invalid("the body is not valid JSON") from None
        if not isinstance(data, dict):
            raise Invalid("the body must be a JSON object")
    try:
        return NewEntry.model_validate(data)
    except ValidationError as error:
        raise RequestValidationError(error.errors(include_url=False)) from None


def form_fields(content_type: str, body: bytes) -> dict[str, str]:
    """A urlencoded form in UTF-8, the first value of each name. (Starlette's form parser
    would take another charset's bytes, or bytes that are not UTF-8, as U+FFFD.)"""
    params = dict(part.strip().partition("=")[::2] for part in content_type.split(";")[1:])
    if params.get("charset", "utf-8").strip('"').lower() not in ("utf-8", "utf8"):
        raise HTTPException(415, "send forms in UTF-8")
    try:
        pairs = parse_qsl(body.decode("ascii"), keep_blank_values=True, encoding="utf-8",
                          errors="strict")
    except ValueError:  # UnicodeDecodeError included
        raise Invalid("the form is not valid UTF-8 urlencoded data") from None
    return dict(reversed(pairs))


# Both bodies in the OpenAPI document, since the dependency reads the request itself.
BODIES = {"requestBody": {"required": True, "content": {
    "application/json": {"schema": NewEntry.model_json_schema()},
    "application/x-www-form-urlencoded": {"schema": NewEntry.model_json_schema()},
}}}


# --- Path operations --------------------------------------------------------------------------

@app.get("/", response_class=HTMLResponse, include_in_schema=False)
def front_page(store: StoreDep) -> str:
    # A plain `def`: FastAPI runs it in its thread pool, off the event loop (SQLite blocks).
    entries, total = store.page(10, 0)
    return page.render(identity(), entries, total)


@app.get("/hello", response_class=PlainTextResponse)
async def hello(name: str = "World") -> str:
    return f"Hello, {name}!"


@app.get("/hello/{name}", response_class=PlainTextResponse)
async def hello_name(name: str) -> str:
    return f"Hello, {name}!"


@app.get("/guestbook", response_model=Page)
def read_guestbook(
    store: StoreDep,
    limit: Annotated[int, Digits, Query(ge=1, le=LIMIT_MAX)] = LIMIT_DEFAULT,
    offset: Annotated[int, Digits, Query(ge=0, le=OFFSET_MAX)] = 0,
) -> Any:
    entries, total = store.page(limit, offset)
    return {"entries": entries, "total": total}


@app.post("/guestbook", response_model=Entry, status_code=201, openapi_extra=BODIES,
          responses={303: {"description": "A browser form: back to the front page"}})
async def sign(
    request: Request,
    response: Response,
    new: Annotated[NewEntry, Depends(posted_entry)],
    store: StoreDep,
    listeners: ListenersDep,
) -> Any:
    entry = await run_in_threadpool(store.add, new.name, new.message)
    for queue in listeners:
        queue.put_nowait(entry)
    if content_kind(request.headers.get("content-type")) == "form":
        return RedirectResponse("/", status_code=303, headers={"Content-Type": TEXT})
    response.headers["Location"] = entry.location
    return entry


@app.get("/guestbook/{entry_id:int}", response_model=Entry,
         responses={404: {"description": "No such entry"}})
def read_entry(entry_id: int, store: StoreDep) -> Any:
    entry = store.get(entry_id)
    if entry is None:
        raise HTTPException(404, f"there is no entry {entry_id}")
    return entry


@app.get("/inspect")
async def inspect(request: Request) -> dict[str, Any]:
    client = request.client.host if request.client else ""
    described = {
        "method": request.method, "path": request.url.path, "query": request.url.query,
        "headers": dict(request.headers), "http_version": request.scope["http_version"],
        "scheme": request.url.scheme, "client": client,
    }
    return native.document(interface="ASGI 3.0", software="uvicorn",
                           version=uvicorn.__version__, request=described, native=request.scope)


@app.get("/stream", response_class=StreamingResponse)
async def stream(
    chunks: Annotated[int, Digits, Query(ge=1, le=100)] = 5,
    delay_ms: Annotated[int, Digits, Query(ge=0, le=5000)] = 200,
) -> StreamingResponse:
    async def lines() -> AsyncIterator[str]:
        for index in range(1, chunks + 1):
            yield stream_line(index, chunks)
            if index < chunks:
                await asyncio.sleep(delay_ms / 1000)

    return StreamingResponse(lines(), media_type=TEXT)


@app.get("/slow", response_model=Slept)
async def slow(ms: Annotated[int, Digits, Query(ge=0, le=10000)] = 0) -> Any:
    await asyncio.sleep(ms / 1000)  # a timer on the event loop; other requests run meanwhile
    return {"ms": ms, **native.process()}


# --- The async pitfalls: an addition to the contract (CONTRACT.md, "Additions") -------------

PitfallMs = Annotated[int, Digits, Query(ge=0, le=5000)]


@app.get("/pitfalls/blocking-async", response_model=Slept, tags=["pitfalls"])
async def blocking_async(ms: PitfallMs = 800) -> Any:
    time.sleep(ms / 1000)  # the mistake: a blocking call on the event loop stalls every request
    return {"ms": ms, **native.process()}


@app.get("/pitfalls/blocking-def", response_model=Slept, tags=["pitfalls"])
def blocking_def(ms: PitfallMs = 800) -> Any:
    time.sleep(ms / 1000)  # a plain def runs in the thread pool: it holds a thread, not the loop
    return {"ms": ms, **native.process()}


@app.get("/pitfalls/awaiting", response_model=Slept, tags=["pitfalls"])
async def awaiting(ms: PitfallMs = 800) -> Any:
    await asyncio.sleep(ms / 1000)  # the right way: the loop serves others while this waits
    return {"ms": ms, **native.process()}


@app.get("/events", response_class=StreamingResponse)
async def events(listeners: ListenersDep) -> StreamingResponse:
    return StreamingResponse(sse.subscribe(listeners, KEEPALIVE_SECONDS),
                             media_type=sse.CONTENT_TYPE,
                             headers={"Cache-Control": "no-cache"})


@app.get("/boom", include_in_schema=False)
async def boom() -> None:
    raise RuntimeError("boom: the guestbook raised on purpose")


@app.websocket("/ws")
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


# --- /docs and /redoc from files on disk (FastAPI's recipe for self-hosted assets) -----------

ASSETS = files("fastapi_offline") / "static"  # Swagger UI and ReDoc, pinned in requirements.txt
app.mount("/assets", StaticFiles(directory=str(ASSETS)), name="assets")


@app.get("/docs", include_in_schema=False)
async def swagger_ui() -> HTMLResponse:
    return get_swagger_ui_html(
        openapi_url="/openapi.json", title=f"{app.title} - Swagger UI",
        oauth2_redirect_url=app.swagger_ui_oauth2_redirect_url,
        swagger_js_url="/assets/swagger-ui-bundle.js", swagger_css_url="/assets/swagger-ui.css",
        swagger_favicon_url="/assets/favicon.png",
        # No validator badge: it would ask validator.swagger.io about the document.
        swagger_ui_parameters={"validatorUrl": None},
    )


@app.get("/docs/oauth2-redirect", include_in_schema=False)
async def swagger_ui_redirect() -> HTMLResponse:
    return get_swagger_ui_oauth2_redirect_html()


@app.get("/redoc", include_in_schema=False)
async def redoc() -> HTMLResponse:
    return get_redoc_html(openapi_url="/openapi.json", title=f"{app.title} - ReDoc",
                          redoc_js_url="/assets/redoc.standalone.js",
                          redoc_favicon_url="/assets/favicon.png", with_google_fonts=False)


# --- Errors in the contract's shape ------------------------------------------------------------

@app.exception_handler(RequestValidationError)
async def validation_error(request: Request, exc: RequestValidationError) -> Response:
    """FastAPI answers 422 with a list of errors; the contract wants 400 naming one field."""
    first = exc.errors()[0]
    names = [part for part in first["loc"] if isinstance(part, str) and part not in PLACES]
    field = names[-1] if names else None
    return Response(error_body(first["msg"], field), status_code=400,
                    media_type="application/json")


@app.exception_handler(Invalid)
async def invalid_input(request: Request, exc: Invalid) -> Response:
    return Response(exc.body(), status_code=400, media_type="application/json")


@app.exception_handler(Full)
async def storage_full(request: Request, exc: Full) -> Response:
    return Response(error_body(str(exc)), status_code=507, media_type="application/json")


@app.exception_handler(StarletteHTTPException)
async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
    """The router's own 404 and 405, and ours, as the contract's JSON."""
    headers = exc.headers
    if exc.status_code == 405:
        # The router's Allow names the methods of the first route on the path only; a path
        # served by two operations (GET and POST /guestbook) needs all of them.
        allowed = {method for route in request.app.routes if isinstance(route, APIRoute)
                   and route.matches(request.scope)[0] is Match.PARTIAL
                   for method in route.methods or ()}
        headers = {"Allow": ", ".join(sorted(allowed))}
    return JSONResponse({"error": exc.detail}, status_code=exc.status_code, headers=headers)


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
        response = Response(error_body(message, field), status_code=status,
                            media_type="application/json")
        await response(scope, receive, send)


app.add_middleware(StrictHTTP)


def answer_head_like_get(app: FastAPI) -> None:
    """FastAPI, unlike Starlette, does not answer HEAD for a GET operation (fastapi#1773):
    add a HEAD twin, left out of the OpenAPI document; uvicorn drops the body it sends."""
    for route in list(app.routes):
        if isinstance(route, APIRoute) and "GET" in (route.methods or ()):
            app.add_api_route(route.path, route.endpoint, methods=["HEAD"],
                              response_class=route.response_class, include_in_schema=False)


answer_head_like_get(app)
