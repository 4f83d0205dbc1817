#!/usr/bin/python3
"""The guestbook as a CGI script: Apache runs this file anew for every request.

The request arrives in os.environ (REQUEST_METHOD, PATH_INFO, QUERY_STRING, HTTP_*) and on
stdin (the body, CONTENT_LENGTH bytes); the response is what we print: header lines, a blank
line, the body. The period wrote `form = cgi.FieldStorage()` and `cgitb.enable()`; both
modules are deprecated since Python 3.11 and removed in 3.13 (PEP 594), so the query and the
body are parsed by hand with urllib.parse, as FieldStorage itself parsed urlencoded forms.
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
import urllib.parse

from guestbook import Full, Invalid, Store, check_paging, content_kind, error_body, events, page
from guestbook.exhibit import identity
from guestbook.native import cgi_headers, document, process
from guestbook.rules import MAX_BODY, entry_from_body, slow_param, stream_line, stream_params

EVENTS_POLL = 0.25  # seconds between looks at the store for new entries
EVENTS_KEEPALIVE = 3.0  # a comment this often: a write is how we learn the client has gone
EVENTS_LIFETIME = 600.0  # then the script ends; EventSource reconnects with Last-Event-ID

environ = os.environ
method = environ.get("REQUEST_METHOD", "GET")
path = environ.get("PATH_INFO", "") or "/"
form = urllib.parse.parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True,
                             errors="surrogateescape")


def field(name: str) -> str | None:
    """A query field, None when absent; Invalid when its bytes are not UTF-8."""
    if name not in form:
        return None
    value = form[name][0]
    try:
        value.encode("utf-8")  # bytes that were not UTF-8 are lone surrogates here
    except UnicodeEncodeError:
        raise Invalid(f"{name} is not UTF-8", name) from None
    return value


def charset(content_type: str) -> str:
    """The charset parameter of a Content-Type, lower-cased; UTF-8 when there is none."""
    for param in content_type.split(";")[1:]:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            return value.strip().strip('"').lower()
    return "utf-8"


def digits(text: str) -> bool:
    return text.isascii() and text.isdigit()  # str.isdigit alone takes "²", which int() refuses


def respond(body: str = "", status: str = "200 OK",
            content_type: str = "text/plain; charset=utf-8", *headers: str) -> None:
    print(f"Status: {status}")
    print(f"Content-Type: {content_type}")
    for header in headers:
        print(header)
    print()
    if method != "HEAD":
        sys.stdout.write(body)


def respond_json(value: object, status: str = "200 OK", *headers: str) -> None:
    respond(json.dumps(value, ensure_ascii=False), status, "application/json", *headers)


def error(status: str, message: str, name: str | None = None, *headers: str) -> None:
    respond(error_body(message, name), status, "application/json", *headers)


def allow(*methods: str) -> bool:
    """True if this request's method is one the path takes; otherwise answer 405."""
    taken = [*methods, "HEAD"] if "GET" in methods else list(methods)
    if method in taken:
        return True
    error("405 Method Not Allowed", f"{path} takes {', '.join(taken)}", None,
          f"Allow: {', '.join(taken)}")
    return False


def start_stream(content_type: str, *headers: str) -> bool:
    """Send the headers now; False for HEAD, which gets nothing more."""
    respond("", "200 OK", content_type, *headers)
    sys.stdout.flush()
    return method != "HEAD"


# ---- the pages -------------------------------------------------------------------------------

def front_page() -> None:
    entries, total = Store().page(10, 0)
    respond(page.render(identity(), entries, total), "200 OK", "text/html; charset=utf-8")


def hello(name: str | None) -> None:
    respond(f"Hello, {name or 'World'}!")


def read_body() -> bytes | None:
    """The request body, or None when it is over the limit (Apache's own check comes first)."""
    length = environ.get("CONTENT_LENGTH", "")
    if digits(length):
        if int(length) > MAX_BODY:
            return None
        body = sys.stdin.buffer.read(int(length))
        if len(body) < int(length):
            raise Invalid("the body ended before its Content-Length")
        return body
    body = sys.stdin.buffer.read(MAX_BODY + 1)
    return body if len(body) <= MAX_BODY else None


def sign() -> None:
    kind = content_kind(environ.get("CONTENT_TYPE"))
    if kind is None or charset(environ.get("CONTENT_TYPE", "")) not in ("utf-8", "utf8"):
        error("415 Unsupported Media Type",
              "send application/json or application/x-www-form-urlencoded, in UTF-8")
        return
    body = read_body()
    if body is None:
        error("413 Content Too Large", f"the body is over {MAX_BODY} bytes")
        return
    name, message = entry_from_body(environ.get("CONTENT_TYPE"), body)
    try:
        entry = Store().add(name, message)
    except Full as full:
        error("507 Insufficient Storage", str(full))
        return
    if kind == "form":
        respond("Signed: see the front page.\n", "303 See Other", "text/plain; charset=utf-8",
                "Location: /")
    else:
        respond_json(entry.as_dict(), "201 Created", f"Location: {entry.location}")


def read_guestbook() -> None:
    limit, offset = check_paging(field("limit"), field("offset"))
    entries, total = Store().page(limit, offset)
    respond_json({"entries": [e.as_dict() for e in entries], "total": total})


def read_entry(entry_id: str) -> None:
    entry = Store().get(int(entry_id)) if digits(entry_id) else None
    if entry is None:
        error("404 Not Found", f"no entry {entry_id}")
    else:
        respond_json(entry.as_dict())


def inspect() -> None:
    software, _, version = environ.get("SERVER_SOFTWARE", "").partition(" ")[0].partition("/")
    headers = cgi_headers(environ)
    request = {
        "method": method,
        "path": environ.get("SCRIPT_NAME", "") + path,
        "query": environ.get("QUERY_STRING", ""),
        "headers": headers,
        "http_version": environ.get("SERVER_PROTOCOL", "HTTP/1.0").partition("/")[2],
        "scheme": environ.get("REQUEST_SCHEME", "http"),
        "client": environ.get("REMOTE_ADDR", ""),
    }
    respond_json(document(interface=environ.get("GATEWAY_INTERFACE", "CGI/1.1"),
                          software=software, version=version, request=request,
                          native=dict(environ)))


def stream() -> None:
    chunks, delay_ms = stream_params(field("chunks"), field("delay_ms"))
    if not start_stream("text/plain; charset=utf-8"):
        return
    for index in range(1, chunks + 1):
        if index > 1:
            time.sleep(delay_ms / 1000)
        sys.stdout.write(stream_line(index, chunks))
        sys.stdout.flush()  # Python block-buffers a pipe: without this, it all comes at the end


def slow() -> None:
    ms = slow_param(field("ms"))
    time.sleep(ms / 1000)  # this process sleeps; every other request has its own process
    respond_json({"ms": ms, **process()})


def server_push() -> None:
    """Server-sent events from a CGI process that polls the store until the client goes."""
    store = Store()
    resume = environ.get("HTTP_LAST_EVENT_ID", "")
    last = int(resume) if digits(resume) and len(resume) < 19 else store.last_id()
    if not start_stream(events.CONTENT_TYPE, "Cache-Control: no-cache"):
        return
    sys.stdout.write(events.LISTENING)
    sys.stdout.flush()
    started = quiet_since = time.monotonic()
    try:
        while time.monotonic() - started < EVENTS_LIFETIME:
            time.sleep(EVENTS_POLL)
            news = store.after(last)
            for entry in news:
                sys.stdout.write(events.event(entry))
                last = entry.id
            if news or time.monotonic() - quiet_since > EVENTS_KEEPALIVE:
                if not news:
                    sys.stdout.write(events.KEEPALIVE)
                sys.stdout.flush()
                quiet_since = time.monotonic()
    except BrokenPipeError:
        # Apache has closed our stdout: the visitor is gone. Point stdout at /dev/null so
        # that the final flush at exit has nowhere to fail.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


# ---- the routes: PATH_INFO is the rest of the URL after the script ----------------------------

def main() -> None:
    route = path.rstrip("/") or "/"
    try:
        route.encode("utf-8")  # os.environ keeps bytes that were not UTF-8 as surrogates
    except UnicodeEncodeError:
        error("400 Bad Request", "the path is not UTF-8")
        return
    if route == "/":
        if allow("GET"):
            front_page()
    elif route == "/hello":
        if allow("GET"):
            hello(field("name"))
    elif route.startswith("/hello/"):
        if allow("GET"):
            hello(route[len("/hello/"):])
    elif route == "/guestbook":
        if method == "POST":
            sign()
        elif allow("GET", "POST"):
            read_guestbook()
    elif re.fullmatch(r"/guestbook/[^/]+", route):
        if allow("GET"):
            read_entry(route[len("/guestbook/"):])
    elif route == "/inspect":
        if allow("GET"):
            inspect()
    elif route == "/stream":
        if allow("GET"):
            stream()
    elif route == "/slow":
        if allow("GET"):
            slow()
    elif route == "/events":
        if allow("GET"):
            server_push()
    elif route == "/boom":
        raise RuntimeError("boom: /boom raises on purpose (the traceback goes to Apache's log)")
    else:
        error("404 Not Found", f"nothing at {path}")


if __name__ == "__main__":
    try:
        main()
    except Invalid as invalid:
        respond(invalid.body(), "400 Bad Request", "application/json")
