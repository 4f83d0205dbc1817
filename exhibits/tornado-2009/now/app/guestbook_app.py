"""The guestbook as Tornado RequestHandlers on one IOLoop (FriendFeed, 2009).

One thread runs the IOLoop and every handler on it. Waiting (a timer, a flush to a slow client,
a long-lived /events connection) costs a coroutine, not a thread; the only blocking calls,
SQLite's, go to a thread of their own through IOLoop.run_in_executor so the loop stays free.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import tornado.options
from tornado import gen
from tornado.ioloop import IOLoop
from tornado.iostream import StreamClosedError
from tornado.locks import Condition
from tornado.web import Application, HTTPError, RequestHandler, stream_request_body
from tornado.websocket import WebSocketHandler

from guestbook import events, native, page, rules, store
from guestbook.exhibit import identity
from guestbook.rules import Entry, Invalid


class Database:
    """One SQLite connection, used only from one thread of its own: every call runs in the
    order it was made, and no two writers ever wait on each other's lock."""

    def __init__(self, path: str) -> None:
        self.thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sqlite")
        self.db = sqlite3.connect(path, timeout=10.0, isolation_level=None,
                                  check_same_thread=False)  # opened here, used in the thread
        self.db.execute(store.SCHEMA)

    def page(self, limit: int, offset: int) -> tuple[list[Entry], int]:
        rows = self.db.execute(store.SELECT_PAGE, (limit, offset)).fetchall()
        return [store.entry(row) for row in rows], int(self.db.execute(store.COUNT).fetchone()[0])

    def get(self, entry_id: int) -> Entry | None:
        if not 0 < entry_id < 2**63:  # SQLite's integers: a longer id is no entry
            return None
        row = self.db.execute(store.SELECT_ONE, (entry_id,)).fetchone()
        return store.entry(row) if row else None

    def add(self, name: str, message: str) -> Entry:
        created = store.now()
        try:
            cursor = self.db.execute(store.INSERT, (name, message, created))
        except sqlite3.OperationalError as error:
            if error.sqlite_errorcode == sqlite3.SQLITE_FULL:
                raise store.Full("the guestbook's storage is full") from None
            raise
        assert cursor.lastrowid is not None
        return Entry(cursor.lastrowid, name, message, created)


database = Database(str(store.DEFAULT_PATH))


async def in_pool(call: Any, *args: Any) -> Any:
    """Run a blocking SQLite call in the guestbook's own thread, not on the IOLoop."""
    return await IOLoop.current().run_in_executor(database.thread, call, *args)


class EntryBuffer:
    """After Tornado's chat demo: a new entry wakes every waiting /events connection."""

    def __init__(self) -> None:
        self.cond = Condition()
        self.cache: list[Entry] = []

    def add(self, entry: Entry) -> None:
        self.cache = [*self.cache[-199:], entry]  # the last 200, as in the demo
        self.cond.notify_all()

    def since(self, last_id: int) -> list[Entry]:
        return [entry for entry in self.cache if entry.id > last_id]

    def last_id(self) -> int:
        return self.cache[-1].id if self.cache else 0


entry_buffer = EntryBuffer()


class BaseHandler(RequestHandler):
    """HEAD like GET, 405 with Allow, and the guestbook's JSON errors."""

    def allowed(self) -> list[str]:
        methods = [m for m in self.SUPPORTED_METHODS if m != "HEAD"
                   and getattr(type(self), m.lower()) is not getattr(RequestHandler, m.lower())]
        if "GET" in methods:
            methods.insert(1, "HEAD")
        return methods

    def head(self, *args: str) -> Any:
        if "GET" not in self.allowed():
            raise HTTPError(405)
        return self.get(*args)

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        if status_code == 405:
            self.set_header("Allow", ", ".join(self.allowed()))
        super().write_error(status_code, **kwargs)

    def fail(self, status_code: int, body: str) -> None:
        self.set_status(status_code)
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.finish(body)


class MainHandler(BaseHandler):
    async def get(self) -> None:
        entries, total = await in_pool(database.page, 10, 0)
        self.render("index.html", exhibit=identity(), entries=entries, total=total,
                    style=page.STYLE)


class HelloHandler(BaseHandler):
    def get(self, name: str | None = None) -> None:
        name = name or self.get_query_argument("name", None) or "World"
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.write(f"Hello, {name}!")


@stream_request_body
class GuestbookHandler(BaseHandler):
    """The body is streamed in and kept only up to the limit, so the app, not Tornado,
    answers a long body (Tornado's max_body_size gives 400, not 413) and a bad multipart one.
    Reading it to the end keeps the connection clean for the 413."""

    body = b""

    def data_received(self, chunk: bytes) -> None:
        self.body += chunk[:rules.MAX_BODY + 1 - len(self.body)]

    async def get(self) -> None:
        try:
            limit, offset = rules.check_paging(self.get_query_argument("limit", None),
                                               self.get_query_argument("offset", None))
        except Invalid as bad:
            return self.fail(400, bad.body())
        entries, total = await in_pool(database.page, limit, offset)
        self.write({"entries": [entry.as_dict() for entry in entries], "total": total})

    async def post(self) -> None:
        if len(self.body) > rules.MAX_BODY:
            return self.fail(413, rules.error_body("the body is over 64 KiB"))
        content_type = self.request.headers.get("Content-Type")
        kind = rules.content_kind(content_type)
        if kind is None:
            return self.fail(415, rules.error_body(
                "send application/json or application/x-www-form-urlencoded"))
        try:
            name, message = rules.entry_from_body(content_type, self.body)
        except Invalid as bad:
            return self.fail(400, bad.body())
        try:
            entry = await in_pool(database.add, name, message)
        except store.Full as full:
            return self.fail(507, rules.error_body(str(full)))
        entry_buffer.add(entry)
        if kind == "form":
            self.redirect("/", status=303)
        else:
            self.set_status(201)
            self.set_header("Location", entry.location)
            self.write(entry.as_dict())


class EntryHandler(BaseHandler):
    async def get(self, entry_id: str) -> None:
        entry = await in_pool(database.get, int(entry_id)) if entry_id.isdigit() else None
        if entry is None:
            return self.fail(404, rules.error_body(f"there is no entry {entry_id}"))
        self.write(entry.as_dict())


class StreamHandler(BaseHandler):
    async def get(self) -> None:
        try:
            chunks, delay_ms = rules.stream_params(self.get_query_argument("chunks", None),
                                                   self.get_query_argument("delay_ms", None))
        except Invalid as bad:
            return self.fail(400, bad.body())
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        try:
            for i in range(1, chunks + 1):
                if i > 1:
                    await gen.sleep(delay_ms / 1000)
                self.write(rules.stream_line(i, chunks))
                await self.flush()
        except StreamClosedError:
            return  # the client went away


class SlowHandler(BaseHandler):
    async def get(self) -> None:
        try:
            ms = rules.slow_param(self.get_query_argument("ms", None))
        except Invalid as bad:
            return self.fail(400, bad.body())
        await gen.sleep(ms / 1000)  # a timer on the IOLoop; everyone else is served meanwhile
        self.write({"ms": ms, **native.process()})


class EventsHandler(BaseHandler):
    """Long-lived like the chat demo's long poll, but one response carries every entry."""

    waiting: asyncio.Future[bool] | None = None

    async def get(self) -> None:
        self.set_header("Content-Type", events.CONTENT_TYPE)
        self.set_header("Cache-Control", "no-cache")
        last_id = entry_buffer.last_id()
        try:
            self.write(events.LISTENING)
            await self.flush()
            while True:
                fresh = entry_buffer.since(last_id)
                if not fresh:
                    self.waiting = entry_buffer.cond.wait()
                    await self.waiting
                    continue
                for entry in fresh:
                    self.write(events.event(entry))
                last_id = fresh[-1].id
                await self.flush()
        except (StreamClosedError, asyncio.CancelledError):
            return

    def on_connection_close(self) -> None:
        if self.waiting is not None:
            self.waiting.cancel()


class EchoWebSocket(WebSocketHandler):
    def on_message(self, message: str | bytes) -> None:
        self.write_message(message, binary=isinstance(message, bytes))


class InspectHandler(BaseHandler):
    def get(self) -> None:
        request = self.request
        software, version = self._headers["Server"].split("/")  # "TornadoServer/6.6.1"
        described = {
            "method": request.method,
            "path": request.path,
            "query": request.query,
            "headers": {name.lower(): ", ".join(request.headers.get_list(name))
                        for name in request.headers},
            "http_version": request.version.partition("/")[2],
            "scheme": request.protocol,
            "client": request.remote_ip,
        }
        self.write(native.document(interface="native", software=software, version=version,
                                   request=described, native=request))


class BoomHandler(BaseHandler):
    def get(self) -> None:
        raise RuntimeError("boom: the app raised on purpose")


def make_app() -> Application:
    return Application([
        (r"/", MainHandler),
        (r"/hello", HelloHandler),
        (r"/hello/(.*)", HelloHandler),
        (r"/guestbook", GuestbookHandler),
        (r"/guestbook/([^/]+)", EntryHandler),
        (r"/stream", StreamHandler),
        (r"/slow", SlowHandler),
        (r"/events", EventsHandler),
        (r"/ws", EchoWebSocket),
        (r"/inspect", InspectHandler),
        (r"/boom", BoomHandler),
    ], template_path=os.path.join(os.path.dirname(__file__), "templates"))


async def main() -> None:
    tornado.options.parse_command_line()  # Tornado's logging: access log and tracebacks
    server = make_app().listen(8000)
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    await stop.wait()
    server.stop()


if __name__ == "__main__":
    asyncio.run(main())
