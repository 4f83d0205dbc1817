"""The guestbook as a twisted.web resource tree on one reactor (Twisted, 2002).

Every render_* method returns bytes at once, or NOT_DONE_YET and finishes the request later
from a Deferred's callback: a database answer, a timer, a new entry. Nothing here blocks the
reactor thread; the SQLite calls run in adbapi's thread pool.
"""

from __future__ import annotations

import json
import re
import sqlite3
import sys
from typing import Any

from twisted.enterprise import adbapi
from twisted.internet import reactor, task
from twisted.logger import Logger, globalLogBeginner, textFileLogObserver
from twisted.python.failure import Failure
from twisted.web import server
from twisted.web.resource import Resource
from twisted.web.server import NOT_DONE_YET, Request, Site
from twisted.web.websocket import WebSocketResource, WebSocketTransport

from guestbook import events, native, page, rules, store
from guestbook.exhibit import identity
from guestbook.rules import Entry, Invalid

log = Logger()

# --- Storage: DB-API calls in adbapi's thread pool, answered with Deferreds -------------------


def connected(db: Any) -> None:
    db.execute("PRAGMA busy_timeout = 10000")
    db.execute("PRAGMA journal_mode = WAL")


dbpool = adbapi.ConnectionPool("sqlite3", str(store.DEFAULT_PATH), check_same_thread=False,
                               cp_openfun=connected)


def insert(txn: adbapi.Transaction, name: str, message: str) -> Entry:
    created = store.now()
    txn.execute(store.INSERT, (name, message, created))
    return Entry(txn.lastrowid, name, message, created)


def page_of(txn: adbapi.Transaction, limit: int, offset: int) -> tuple[list[Entry], int]:
    txn.execute(store.SELECT_PAGE, (limit, offset))
    entries = [store.entry(row) for row in txn.fetchall()]
    txn.execute(store.COUNT)
    return entries, int(txn.fetchone()[0])


# --- Small helpers for answers ------------------------------------------------------------------


def arg(request: Request, name: bytes) -> str | None:
    values = request.args.get(name)
    return values[0].decode("utf-8", "replace") if values else None


def answer(request: Request, code: int, body: str, kind: bytes = b"application/json") -> bytes:
    request.setResponseCode(code)
    request.setHeader(b"content-type", kind)
    return body.encode("utf-8")


def reply(request: Request, code: int, body: str, kind: bytes = b"application/json") -> None:
    """answer() for a request that returned NOT_DONE_YET, unless the client has gone."""
    if not request.finished and not request._disconnected:
        data = answer(request, code, body, kind)
        request.setHeader(b"content-length", b"%d" % len(data))
        request.write(data)
        request.finish()


def failed(failure: Failure, request: Request) -> None:
    """An errback: twisted.web's own 500 page, and the traceback in the log."""
    if not request.finished and not request._disconnected:
        request.processingFailed(failure)


def to_json(document: object) -> str:
    return json.dumps(document, ensure_ascii=False)


# --- The resources --------------------------------------------------------------------------------


class FrontPage(Resource):
    def render_GET(self, request: Request) -> int:
        d = dbpool.runInteraction(page_of, 10, 0)
        d.addCallback(lambda result: reply(request, 200, page.render(identity(), *result),
                                           b"text/html; charset=utf-8"))
        d.addErrback(failed, request)
        return NOT_DONE_YET


class Hello(Resource):
    def getChild(self, path: bytes, request: Request) -> Resource:
        return HelloName(path)

    def render_GET(self, request: Request) -> bytes:
        values = request.args.get(b"name")
        return greet(request, values[0] if values else b"")


class HelloName(Resource):
    isLeaf = True

    def __init__(self, name: bytes) -> None:
        super().__init__()
        self.name = name

    def render_GET(self, request: Request) -> bytes:
        # Segments arrive percent-decoded; anything after the name belongs to it.
        return greet(request, b"/".join([self.name, *request.postpath]))


def greet(request: Request, raw: bytes) -> bytes:
    try:
        name = raw.decode("utf-8") or "World"
    except UnicodeDecodeError:
        return answer(request, 400, rules.error_body("name must be UTF-8 text", "name"))
    return answer(request, 200, f"Hello, {name}!", b"text/plain; charset=utf-8")


class Guestbook(Resource):
    def __init__(self, listeners: Events) -> None:
        super().__init__()
        self.listeners = listeners

    def getChild(self, path: bytes, request: Request) -> Resource:
        # SQLite's integers end at 2**63 - 1: a longer id is no entry, not an OverflowError.
        if path.isdigit() and 0 < int(path) < 2**63 and not request.postpath:
            return GuestbookEntry(int(path))
        return NoEntry()

    def render_GET(self, request: Request) -> bytes | int:
        try:
            limit, offset = rules.check_paging(arg(request, b"limit"), arg(request, b"offset"))
        except Invalid as bad:
            return answer(request, 400, bad.body())
        d = dbpool.runInteraction(page_of, limit, offset)
        d.addCallback(lambda result: reply(request, 200, to_json(
            {"entries": [e.as_dict() for e in result[0]], "total": result[1]})))
        d.addErrback(failed, request)
        return NOT_DONE_YET

    def render_POST(self, request: Request) -> bytes | int:
        content_type = (request.getHeader(b"content-type") or b"").decode("latin-1")
        body = request.content.read()
        if len(body) > rules.MAX_BODY:
            return answer(request, 413, rules.error_body("the body is over 64 KiB"))
        kind = rules.content_kind(content_type)
        if kind is None:
            return answer(request, 415, rules.error_body(
                "send application/json or application/x-www-form-urlencoded"))
        try:
            name, message = rules.entry_from_body(content_type, body)
        except Invalid as bad:
            return answer(request, 400, bad.body())
        d = dbpool.runInteraction(insert, name, message)
        d.addCallbacks(self.signed, self.not_signed, callbackArgs=(request, kind),
                       errbackArgs=(request,))
        return NOT_DONE_YET

    def not_signed(self, failure: Failure, request: Request) -> None:
        error = failure.value
        if isinstance(error, sqlite3.OperationalError) and \
                error.sqlite_errorcode == sqlite3.SQLITE_FULL:
            log.warn("the guestbook could not store a post: {error}", error=error)
            reply(request, 507, rules.error_body("the guestbook's storage is full"))
        else:
            failed(failure, request)

    def signed(self, entry: Entry, request: Request, kind: str) -> None:
        self.listeners.announce(entry)
        if kind == "form":
            request.setHeader(b"location", b"/")
            reply(request, 303, "", b"text/plain; charset=utf-8")
        else:
            request.setHeader(b"location", entry.location.encode("ascii"))
            reply(request, 201, entry.to_json())


class GuestbookEntry(Resource):
    isLeaf = True

    def __init__(self, entry_id: int) -> None:
        super().__init__()
        self.entry_id = entry_id

    def render_GET(self, request: Request) -> int:
        d = dbpool.runQuery(store.SELECT_ONE, (self.entry_id,))
        d.addCallback(self.found, request)
        d.addErrback(failed, request)
        return NOT_DONE_YET

    def found(self, rows: list[tuple[int, str, str, str]], request: Request) -> None:
        if rows:
            reply(request, 200, store.entry(rows[0]).to_json())
        else:
            reply(request, 404, rules.error_body(f"there is no entry {self.entry_id}"))


class NoEntry(Resource):
    isLeaf = True

    def render_GET(self, request: Request) -> bytes:
        return answer(request, 404, rules.error_body("there is no such entry"))


class Stream(Resource):
    isLeaf = True

    def render_GET(self, request: Request) -> bytes | int:
        try:
            chunks, delay_ms = rules.stream_params(arg(request, b"chunks"),
                                                   arg(request, b"delay_ms"))
        except Invalid as bad:
            return answer(request, 400, bad.body())
        request.setHeader(b"content-type", b"text/plain; charset=utf-8")
        gone: list[object] = []
        request.notifyFinish().addBoth(gone.append)

        def send(i: int) -> None:
            if gone:
                return
            request.write(rules.stream_line(i, chunks).encode("ascii"))
            if i == chunks:
                request.finish()
            else:
                task.deferLater(reactor, delay_ms / 1000, send, i + 1)

        send(1)
        return NOT_DONE_YET


class Slow(Resource):
    isLeaf = True

    def render_GET(self, request: Request) -> bytes | int:
        try:
            ms = rules.slow_param(arg(request, b"ms"))
        except Invalid as bad:
            return answer(request, 400, bad.body())
        # A timer on the reactor, not a sleep: everyone else is served meanwhile.
        d = task.deferLater(reactor, ms / 1000, lambda: {"ms": ms, **native.process()})
        d.addCallback(lambda done: reply(request, 200, to_json(done)))
        return NOT_DONE_YET


class Events(Resource):
    """Server-sent events: every open /events request hears every new entry."""

    isLeaf = True

    def __init__(self) -> None:
        super().__init__()
        self.listening: list[Request] = []

    def render_GET(self, request: Request) -> int:
        request.setHeader(b"content-type", events.CONTENT_TYPE.encode("ascii"))
        request.setHeader(b"cache-control", b"no-cache")
        request.write(events.LISTENING.encode("ascii"))
        self.listening.append(request)
        request.notifyFinish().addBoth(lambda _: self.listening.remove(request))
        return NOT_DONE_YET

    def announce(self, entry: Entry) -> None:
        for request in list(self.listening):  # a write may drop a listener that has gone
            request.write(events.event(entry).encode("utf-8"))


class Echo:
    """A twisted.web.websocket protocol that sends every message back."""

    transport: WebSocketTransport

    def negotiationStarted(self, transport: WebSocketTransport) -> None:
        self.transport = transport

    def negotiationFinished(self) -> None:
        pass

    def textMessageReceived(self, message: str) -> None:
        self.transport.sendTextMessage(message)

    def bytesMessageReceived(self, data: bytes) -> None:
        self.transport.sendBytesMessage(bytes(data))

    def pongReceived(self, payload: bytes) -> None:
        pass

    def connectionLost(self, reason: Failure) -> None:
        pass

    @classmethod
    def buildProtocol(cls, request: Request) -> Echo:
        return cls()


class Inspect(Resource):
    isLeaf = True

    def render_GET(self, request: Request) -> bytes:
        software, version = server.version.decode("ascii").split("/")
        path, _, query = request.uri.decode("latin-1").partition("?")
        headers = {name.decode("latin-1").lower(): ", ".join(v.decode("latin-1") for v in values)
                   for name, values in request.requestHeaders.getAllRawHeaders()}
        described = {
            "method": request.method.decode("ascii"),
            "path": path,
            "query": query,
            "headers": headers,
            "http_version": request.clientproto.decode("ascii").partition("/")[2],
            "scheme": "https" if request.isSecure() else "http",
            "client": request.getClientAddress().host,
        }
        # The Request's own state, without its links back to the channel, site and reactor;
        # Headers objects have no __dict__, so they show as their raw headers.
        links = ("channel", "site", "transport")
        state = {k: v for k, v in vars(request).items() if k not in links}
        state["requestHeaders"] = dict(request.requestHeaders.getAllRawHeaders())
        state["responseHeaders"] = dict(request.responseHeaders.getAllRawHeaders())
        document = native.document(interface="native", software=software, version=version,
                                   request=described, native=state)
        return answer(request, 200, to_json(document))


class Boom(Resource):
    isLeaf = True

    def render_GET(self, request: Request) -> bytes:
        raise RuntimeError("boom: the app raised on purpose")


HOST = re.compile(rb"[A-Za-z0-9._~:\[\]-]*")


class GuestbookRequest(server.Request):
    """twisted.web serves an HTTP/1.1 request without a Host, with two, or with one that names
    no host, where RFC 9112 asks for a 400 to each: the guestbook refuses them here."""

    def process(self) -> None:
        hosts = self.requestHeaders.getRawHeaders(b"host") or []
        if len(hosts) > 1 or (self.clientproto == b"HTTP/1.1" and not hosts) or \
                (hosts and not HOST.fullmatch(hosts[0])):
            body = rules.error_body("an HTTP/1.1 request names one Host, a host name")
            self.setResponseCode(400)
            self.setHeader(b"content-type", b"application/json")
            self.setHeader(b"content-length", b"%d" % len(body))
            self.write(body.encode("ascii"))
            self.finish()
            return
        super().process()


# --- The tree and the reactor --------------------------------------------------------------------


def could_not_start(failure: Failure) -> None:
    log.failure("could not open the guestbook at {path}", failure, path=store.DEFAULT_PATH)
    reactor.stop()


def main() -> None:
    globalLogBeginner.beginLoggingTo([textFileLogObserver(sys.stdout)])

    listeners = Events()
    root = Resource()
    root.putChild(b"", FrontPage())
    root.putChild(b"hello", Hello())
    root.putChild(b"guestbook", Guestbook(listeners))
    root.putChild(b"stream", Stream())
    root.putChild(b"slow", Slow())
    root.putChild(b"events", listeners)
    root.putChild(b"ws", WebSocketResource(Echo))
    root.putChild(b"inspect", Inspect())
    root.putChild(b"boom", Boom())

    # twisted.web answers 501 to any method outside this tuple; the guestbook wants 405 with
    # Allow for the common ones, which UnsupportedMethod gives once they are known here.
    server.supportedMethods = (b"GET", b"HEAD", b"POST", b"PUT", b"DELETE", b"PATCH", b"OPTIONS")
    # The guestbook reads its own bodies: no multipart parsing (and 400) by twisted.web.
    site = Site(root, parsePOSTFormSubmission=False)
    site.requestFactory = GuestbookRequest
    site.displayTracebacks = False

    # Listen once the table exists; without a database there is nothing to serve.
    d = dbpool.runOperation(store.SCHEMA)
    d.addCallback(lambda _: reactor.listenTCP(8000, site))
    d.addErrback(could_not_start)
    reactor.run()


if __name__ == "__main__":
    main()
