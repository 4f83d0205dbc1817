"""The site as Quixote sees it: a tree of Directory objects.

A URL is a walk: /guestbook/7 finds "guestbook" in RootDirectory's _q_exports, then asks that
directory's _q_lookup for "7". What a method returns is the page.
"""

import json
import time

from quixote import get_field, get_request, get_response
from quixote.directory import Directory
from quixote.errors import MethodNotAllowedError, TraversalError
from quixote.http_response import Stream

from guestbook import Invalid, Store, check_entry, check_paging, content_kind
from guestbook import events as sse
from guestbook.exhibit import identity
from guestbook.native import cgi_headers, document, process
from guestbook.rules import entry_from_json, slow_param, stream_line, stream_params
from guestbook_site import unsupported
from guestbook_site.pages import front_page

store = Store()


def allow(*methods: str) -> str:
    """The request's method (HEAD counts as GET), or a 405 naming the ones allowed."""
    method = get_request().get_method()
    method = "GET" if method == "HEAD" else method
    if method not in methods:
        raise MethodNotAllowedError(list(methods))
    return method


def as_json(data: object) -> str:
    get_response().set_content_type("application/json", "utf-8")
    return json.dumps(data, ensure_ascii=False)


def from_scgi(component: str, field: str) -> str:
    """SCGI carries bytes and the scgi package reads them as latin-1: recover the UTF-8, or
    answer 400 for bytes that are not UTF-8."""
    try:
        return component.encode("latin-1").decode("utf-8")
    except UnicodeError:
        raise Invalid(f"{field} must be UTF-8 text", field) from None


class HelloDirectory(Directory):
    def __call__(self):  # /hello
        allow("GET")
        return self.greet(get_field("name"))

    def _q_lookup(self, component):  # /hello/{name}
        allow("GET")
        return self.greet(from_scgi(component, "name"))

    def greet(self, name: str | None) -> str:
        get_response().set_content_type("text/plain", "utf-8")
        return f"Hello, {name or 'World'}!"


class GuestbookDirectory(Directory):
    def __call__(self):  # /guestbook
        if allow("GET", "POST") == "POST":
            return self.sign()
        limit, offset = check_paging(get_field("limit"), get_field("offset"))
        entries, total = store.page(limit, offset)
        return as_json({"entries": [e.as_dict() for e in entries], "total": total})

    def sign(self):
        request = get_request()
        kind = content_kind(request.get_header("Content-Type"))
        if kind is None:
            raise unsupported()
        if kind == "json":
            name, message = entry_from_json(request.stdin.read())
        else:  # Quixote has already parsed the form into request.form
            name, message = check_entry(get_field("name"), get_field("message"))
        entry = store.add(name, message)
        if kind == "form":
            # Not quixote.redirect(): it says 302 and builds an absolute URL from HTTP_HOST,
            # which Debian's scgi_params fills with $host, dropping the port.
            get_response().set_status(303)
            get_response().set_header("Location", "/")
            return ""
        get_response().set_status(201)
        get_response().set_header("Location", entry.location)
        return as_json(entry.as_dict())

    def _q_lookup(self, component):  # /guestbook/{id}
        allow("GET")
        entry = store.get(int(component)) if component.isdigit() else None
        if entry is None:
            raise TraversalError(f"there is no entry {component}")
        return as_json(entry.as_dict())


class RootDirectory(Directory):
    _q_exports = ["", "hello", "guestbook", "inspect", "slow", "stream", "events", "boom"]

    hello = HelloDirectory()
    guestbook = GuestbookDirectory()

    def _q_index(self):
        allow("GET")
        entries, total = store.page(10, 0)
        return front_page(identity(), entries, total)

    def inspect(self):
        allow("GET")
        request = get_request()
        env = request.environ
        software, _, version = env.get("SERVER_SOFTWARE", "").partition("/")
        headers = cgi_headers(env)
        seen = {
            "method": request.get_method(),
            "path": request.get_path(),
            "query": request.get_query(),
            "headers": headers,
            "http_version": env.get("SERVER_PROTOCOL", "").partition("/")[2],
            "scheme": request.scheme,
            "client": env.get("REMOTE_ADDR", ""),
        }
        return as_json(document(interface="SCGI", software=software, version=version,
                                request=seen, native=request))

    def slow(self):
        allow("GET")
        ms = slow_param(get_field("ms"))
        time.sleep(ms / 1000)  # this child process sleeps; four others take the next requests
        return as_json({"ms": ms, **process()})

    def stream(self):
        allow("GET")
        chunks, delay_ms = stream_params(get_field("chunks"), get_field("delay_ms"))

        def lines():
            for n in range(1, chunks + 1):
                if n > 1:
                    time.sleep(delay_ms / 1000)
                yield stream_line(n, chunks)

        response = get_response()
        response.set_content_type("text/plain", "utf-8")
        response.buffered = False  # flush the socket after every piece
        return Stream(lines())

    def events(self):
        allow("GET")

        def announcements():
            last, quiet_since = store.last_id(), time.monotonic()
            yield sse.LISTENING
            while True:
                time.sleep(0.2)
                news = store.after(last)
                for entry in news:
                    yield sse.event(entry)
                if news:
                    last, quiet_since = news[-1].id, time.monotonic()
                elif time.monotonic() - quiet_since >= 5:
                    quiet_since = time.monotonic()
                    yield sse.KEEPALIVE  # a gone client fails the write and frees the child

        response = get_response()
        response.set_content_type(sse.CONTENT_TYPE, "utf-8")
        response.set_header("Cache-Control", "no-cache")
        response.buffered = False
        return Stream(announcements())

    def boom(self):
        allow("GET")
        raise RuntimeError("boom: raised on purpose to show the 500 page")
