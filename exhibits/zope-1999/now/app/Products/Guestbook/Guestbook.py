"""The guestbook as a Zope Product: persistent objects that ZPublisher finds by URL.

The URL names an object and a method (/guestbook/3/index_html); the publisher calls the
method, filling its arguments by name from the request (form fields, REQUEST, RESPONSE).
"""

from __future__ import annotations

import errno
import json
import time
from importlib.metadata import version
from typing import Any

import transaction
from AccessControl.class_init import InitializeClass
from AccessControl.Permissions import view as View
from AccessControl.SecurityInfo import ClassSecurityInfo
from BTrees.IOBTree import IOBTree
from DateTime import DateTime
from OFS.SimpleItem import SimpleItem
from zExceptions import MethodNotAllowed, NotFound
from ZODB.POSException import ConflictError
from zope.interface import implementer
from ZPublisher import zpublish
from ZPublisher.BaseRequest import UseTraversalDefault
from ZPublisher.Iterators import IUnboundStreamIterator

from guestbook import MAX_BODY, Invalid, check_entry, check_paging, content_kind
from guestbook import Entry as Record
from guestbook.native import cgi_headers, document, process
from guestbook.rules import entry_from_json, slow_param, stream_line, stream_params

# Granted to Anonymous by default, like View: anyone may sign.
SignGuestbook = "Sign Guestbook"


def answer(RESPONSE: Any, status: int, body: dict[str, Any]) -> str:
    RESPONSE.setStatus(status)
    RESPONSE.setHeader("Content-Type", "application/json")
    return json.dumps(body, ensure_ascii=False)


def refuse(RESPONSE: Any, error: Invalid) -> str:
    RESPONSE.setStatus(400)
    RESPONSE.setHeader("Content-Type", "application/json")
    return error.body()


def as_text(value: object, field: str) -> str | None:
    """A form value as the contract's rules read it: `limit:int=5` arrives as 5, a field given
    twice as a list (the first counts). ZPublisher keeps undecodable bytes as surrogates."""
    if isinstance(value, list):
        value = value[0] if value else None
    if value is None:
        return None
    text = str(value)
    try:
        text.encode()
    except UnicodeEncodeError:
        raise Invalid(f"{field} must be UTF-8 text", field) from None
    return text


def utf8_form(content_type: str) -> bool:
    """A form declares no charset, or UTF-8."""
    for parameter in content_type.split(";")[1:]:
        key, _, value = parameter.partition("=")
        if key.strip().lower() == "charset":
            return value.strip().strip('"').lower() in ("utf-8", "utf8")
    return True


class Published(SimpleItem):
    """An object the publisher serves, answering only the HTTP methods in `views`."""

    security = ClassSecurityInfo()
    security.declareObjectProtected(View)
    views = {"GET": "index_html", "HEAD": "index_html"}

    def __init__(self, id: str) -> None:
        self.id = id

    def __browser_default__(self, request: Any) -> tuple[Any, tuple[str]]:
        # The view for the request's method; DELETE and friends get the 405 method.
        return self, (self.views.get(request["REQUEST_METHOD"], "method_not_allowed"),)

    @security.public
    @zpublish
    def method_not_allowed(self, REQUEST: Any, RESPONSE: Any) -> str:
        RESPONSE.setHeader("Allow", ", ".join(self.views))
        method = REQUEST["REQUEST_METHOD"]
        return answer(RESPONSE, 405, {"error": f"{self.absolute_url_path()} does not take "
                                               f"{method}"})


InitializeClass(Published)


class Hello(Published):
    """Greets the name in the form or, through __bobo_traverse__, in the path."""

    meta_type = "Museum Hello"
    security = ClassSecurityInfo()

    def __bobo_traverse__(self, REQUEST: Any, name: str) -> Any:
        if name in self.views.values() or name == "method_not_allowed":
            raise UseTraversalDefault
        return Greeting(name).__of__(self)

    @security.protected(View)
    @zpublish
    def index_html(self, RESPONSE: Any, name: object = None) -> str:
        try:
            text = as_text(name, "name")
        except Invalid as error:
            return refuse(RESPONSE, error)
        RESPONSE.setHeader("Content-Type", "text/plain; charset=utf-8")
        return f"Hello, {text or 'World'}!"


InitializeClass(Hello)


class Greeting(Published):
    """/hello/Zoë: a transient object standing for the name in the path."""

    security = ClassSecurityInfo()

    def __init__(self, name: str) -> None:
        self.id = self.name = name

    @security.protected(View)
    @zpublish
    def index_html(self, RESPONSE: Any) -> str:
        RESPONSE.setHeader("Content-Type", "text/plain; charset=utf-8")
        return f"Hello, {self.name}!"


InitializeClass(Greeting)


class Entry(Published):
    """One signature, stored in the guestbook's BTree under its number."""

    meta_type = "Guestbook Entry"
    security = ClassSecurityInfo()
    security.setDefaultAccess("allow")  # DTML may read name, message and created

    def __init__(self, number: int, name: str, message: str) -> None:
        self.id = str(number)
        self.number = number
        self.name = name
        self.message = message
        self.created = DateTime()

    def record(self) -> Record:
        return Record(self.number, self.name, self.message, self.created.HTML4())

    @security.protected(View)
    @zpublish
    def index_html(self, RESPONSE: Any) -> str:
        return answer(RESPONSE, 200, self.record().as_dict())


InitializeClass(Entry)


class Guestbook(Published):
    """The guestbook: entries in an IOBTree, numbered by a counter on this object."""

    meta_type = "Guestbook"
    security = ClassSecurityInfo()
    security.setPermissionDefault(SignGuestbook, ("Anonymous", "Manager"))
    views = {"GET": "index_html", "HEAD": "index_html", "POST": "sign"}

    def __init__(self, id: str, title: str = "") -> None:
        self.id = id
        self.title = title
        self._entries = IOBTree()
        # Two signers at once both change this counter: ZODB raises ConflictError in the
        # second commit and the publisher runs that request again from the start.
        self._next = 1

    def __bobo_traverse__(self, REQUEST: Any, name: str) -> Any:
        if not (name.isascii() and name.isdigit()):
            raise UseTraversalDefault
        entry = self._entries.get(int(name))
        if entry is None:
            raise NotFound(f"There is no entry {name} in the guestbook.")
        return entry.__of__(self)

    @security.protected(View)
    def newest(self, count: int = 10, skip: int = 0) -> list[Entry]:
        numbers = self._entries.keys()
        last = len(numbers) - 1 - skip
        return [self._entries[numbers[i]].__of__(self)
                for i in range(last, max(last - count, -1), -1)]

    @security.protected(View)
    def total(self) -> int:
        return len(self._entries)

    @security.protected(View)
    @zpublish
    def index_html(self, RESPONSE: Any, limit: object = None, offset: object = None) -> str:
        try:
            count, skip = check_paging(as_text(limit, "limit"), as_text(offset, "offset"))
        except Invalid as error:
            return refuse(RESPONSE, error)
        return answer(RESPONSE, 200, {
            "entries": [entry.record().as_dict() for entry in self.newest(count, skip)],
            "total": self.total(),
        })

    @security.protected(SignGuestbook)
    @zpublish(methods="POST")
    def sign(self, REQUEST: Any, RESPONSE: Any, name: object = None,
             message: object = None) -> str:
        """A form's fields arrive as the arguments name and message; JSON is read from BODY."""
        content_type = REQUEST.get_header("Content-Type") or ""
        kind = content_kind(content_type)
        if kind is None:
            return answer(RESPONSE, 415, {"error": "send application/json or a form"})
        if kind == "form" and not utf8_form(content_type):
            return answer(RESPONSE, 415, {"error": "send the form as UTF-8"})
        length = REQUEST.get_header("Content-Length") or "0"
        if not (length.isascii() and length.isdigit()):
            return answer(RESPONSE, 400, {"error": "the Content-Length is not a number"})
        if int(length) > MAX_BODY:
            return answer(RESPONSE, 413, {"error": f"the body is over {MAX_BODY} bytes"})
        try:
            if kind == "json":
                name, message = entry_from_json(REQUEST.get("BODY") or b"")
            else:
                name, message = check_entry(name, message)
                f"{name}{message}".encode()  # undecodable form bytes arrive as surrogates
        except UnicodeEncodeError:
            return refuse(RESPONSE, Invalid("the form is not valid UTF-8"))
        except Invalid as error:
            return refuse(RESPONSE, error)
        entry = Entry(self._next, name, message)
        self._entries[entry.number] = entry
        self._next = entry.number + 1
        try:
            transaction.commit()  # here, not after the method: a full disk is answered 507
        except ConflictError:
            raise  # the publisher runs the request again
        except OSError as error:
            transaction.abort()  # FileStorage cuts Data.fs back to its last whole transaction
            if error.errno != errno.ENOSPC:
                raise
            return answer(RESPONSE, 507, {"error": "the guestbook's storage is full"})
        if kind == "form":
            RESPONSE.redirect("/", status=303)
            RESPONSE.setHeader("Content-Type", "text/plain; charset=utf-8")
            return "Signed: see the front page.\n"
        RESPONSE.setHeader("Location", f"/guestbook/{entry.number}")
        return answer(RESPONSE, 201, entry.record().as_dict())


InitializeClass(Guestbook)


def manage_addGuestbook(dispatcher: Any, id: str = "guestbook", title: str = "") -> None:
    """Add a Guestbook to a folder: the constructor the ZMI's add list calls."""
    dispatcher._setObject(id, Guestbook(id, title))


class Inspector(Published):
    """Shows the REQUEST object as ZPublisher built it."""

    meta_type = "Museum Inspector"
    security = ClassSecurityInfo()

    @security.protected(View)
    @zpublish
    def index_html(self, REQUEST: Any, RESPONSE: Any) -> str:
        environ = REQUEST.environ
        headers = cgi_headers(environ)
        request = {
            "method": environ["REQUEST_METHOD"],
            "path": REQUEST["PATH_INFO"],
            "query": environ.get("QUERY_STRING", ""),
            "headers": headers,
            "http_version": environ["SERVER_PROTOCOL"].split("/", 1)[1],
            "scheme": environ["wsgi.url_scheme"],
            "client": environ.get("REMOTE_ADDR"),
        }
        return answer(RESPONSE, 200, document(
            interface="WSGI", software=environ["SERVER_SOFTWARE"], version=version("waitress"),
            request=request, native=REQUEST))


InitializeClass(Inspector)


class Sleeper(Published):
    """Holds one of waitress's worker threads (and its ZODB connection) for ms milliseconds."""

    meta_type = "Museum Sleeper"
    security = ClassSecurityInfo()

    @security.protected(View)
    @zpublish
    def index_html(self, RESPONSE: Any, ms: object = None) -> str:
        try:
            wait = slow_param(as_text(ms, "ms"))
        except Invalid as error:
            return refuse(RESPONSE, error)
        time.sleep(wait / 1000)
        return answer(RESPONSE, 200, {"ms": wait, **process()})


InitializeClass(Sleeper)


class Boom(Published):
    """Raises, so that standard_error_message and error_log show how Zope fails."""

    meta_type = "Museum Boom"
    security = ClassSecurityInfo()

    @security.protected(View)
    @zpublish
    def index_html(self) -> str:
        raise RuntimeError("boom: this object raises on purpose")


InitializeClass(Boom)


@implementer(IUnboundStreamIterator)
class Lines:
    """Chunks for waitress to send after the publisher has committed and closed ZODB."""

    def __init__(self, chunks: int, delay_ms: int) -> None:
        self.chunks = chunks
        self.delay = delay_ms / 1000
        self.sent = 0

    def __iter__(self) -> Lines:
        return self

    def __next__(self) -> bytes:
        if self.sent == self.chunks:
            raise StopIteration
        if self.sent:
            time.sleep(self.delay)
        self.sent += 1
        return stream_line(self.sent, self.chunks).encode()


class Stream(Published):
    """Returns a stream iterator: RESPONSE.write is buffered under WSGI, this is not."""

    meta_type = "Museum Stream"
    security = ClassSecurityInfo()

    @security.protected(View)
    @zpublish
    def index_html(self, REQUEST: Any, RESPONSE: Any, chunks: object = None,
                   delay_ms: object = None) -> Lines | str:
        try:
            count, delay = stream_params(as_text(chunks, "chunks"),
                                         as_text(delay_ms, "delay_ms"))
        except Invalid as error:
            return refuse(RESPONSE, error)
        RESPONSE.setHeader("Content-Type", "text/plain; charset=utf-8")
        if REQUEST["REQUEST_METHOD"] == "HEAD":
            return ""
        return Lines(count, delay)


InitializeClass(Stream)


class FrontDoor:
    """Stands at the root: ZPublisher calls it before it traverses the site (a hook that
    ZPublisher.BeforeTraverse keeps on the root folder). The root is the front page, which
    takes GET, HEAD and POST; on any other method ZPublisher itself fails there, with an
    IndexError in BaseRequest.traverse, or asks for a WebDAV login."""

    methods = ("GET", "HEAD", "POST")

    def __call__(self, container: Any, request: Any) -> None:
        if request["TraversalRequestNameStack"] or request["REQUEST_METHOD"] in self.methods:
            return
        request.response.setHeader("Allow", ", ".join(self.methods))
        raise MethodNotAllowed("the front page takes GET, HEAD and POST")
