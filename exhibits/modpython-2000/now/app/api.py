"""The guestbook's API as a mod_python handler: Apache calls handler(req) in one of its
children, with Python already running inside it.

mod_python's first idiom (2000): `from mod_python import apache`, a function that takes the
request object, sets `req.content_type` and `req.status`, `req.write()`s the body and returns
`apache.OK`. httpd.conf names this module with `PythonHandler api` for every path the
publisher does not serve (htdocs/index.py has / and /hello), and with `PythonFixupHandler api`
for the guard below, which every request passes first.
"""

from __future__ import annotations

import json
import re
import time
import urllib.parse

from mod_python import apache

from guestbook import Full, Invalid, Store, check_paging, content_kind, error_body
from guestbook.events import KEEPALIVE, LISTENING, event
from guestbook.native import document, json_safe, process
from guestbook.rules import MAX_BODY, entry_from_body, slow_param, stream_line, stream_params

JSON = "application/json"
TEXT = "text/plain; charset=utf-8"
EVENTS_POLL = 0.25  # seconds between looks at the store for entries posted by other children
EVENTS_KEEPALIVE = 3.0  # a comment this often: a failed write is how we learn the client left
EVENTS_LIFETIME = 600.0  # then the stream ends; EventSource reconnects with Last-Event-ID

store = Store()  # one per child, opened when Apache first imports this module


# ---- the guard ------------------------------------------------------------------------------

def fixuphandler(req):
    """Before any content handler. Apache 2.4 serves a request line claiming HTTP/2.0 or
    HTTP/9.9 as if it said HTTP/1.1: a 505. A path or query that is not UTF-8 is the
    client's mistake: mod_python hands req.uri and req.args to Python as str, decoded
    strictly, so a request for /hello/%ff would otherwise end in a UnicodeDecodeError and a
    500."""
    if req.protocol not in ("HTTP/1.0", "HTTP/1.1"):
        return apache.HTTP_VERSION_NOT_SUPPORTED
    try:
        req.uri, req.unparsed_uri, req.filename, req.path_info  # noqa: B018
        urllib.parse.unquote_to_bytes(req.args or "").decode("utf-8")
    except UnicodeDecodeError:
        return apache.HTTP_BAD_REQUEST
    return apache.OK


# ---- answering ------------------------------------------------------------------------------

def send(req, body, content_type=JSON, status=apache.HTTP_OK):
    data = body.encode("utf-8")
    req.status = status
    req.content_type = content_type
    req.set_content_length(len(data))
    req.write(data, 0)
    return apache.OK


def send_json(req, value, status=apache.HTTP_OK):
    return send(req, json.dumps(value, ensure_ascii=False), JSON, status)


def fail(req, status, message, field=None):
    return send(req, error_body(message, field), JSON, status)


def query(req):
    fields = {}
    for key, value in urllib.parse.parse_qsl(req.args or "", keep_blank_values=True):
        fields.setdefault(key, value)
    return fields


# ---- the routes -----------------------------------------------------------------------------

def hello(req, name):
    return send(req, f"Hello, {name}!", TEXT)


def guestbook(req):
    if req.method == "POST":
        return sign(req)
    form = query(req)
    limit, offset = check_paging(form.get("limit"), form.get("offset"))
    entries, total = store.page(limit, offset)
    return send_json(req, {"entries": [e.as_dict() for e in entries], "total": total})


def sign(req):
    kind = content_kind(req.headers_in.get("Content-Type"))
    if kind is None:
        return fail(req, apache.HTTP_UNSUPPORTED_MEDIA_TYPE,
                    "send application/json or application/x-www-form-urlencoded")
    if kind == "form" and "charset" in req.headers_in["Content-Type"].lower() and \
            "utf-8" not in req.headers_in["Content-Type"].lower():
        return fail(req, apache.HTTP_UNSUPPORTED_MEDIA_TYPE, "a form must be UTF-8")
    length = req.headers_in.get("Content-Length", "")
    if length.isdigit() and int(length) > MAX_BODY:
        return fail(req, apache.HTTP_REQUEST_ENTITY_TOO_LARGE,
                    f"the body is over {MAX_BODY} bytes")
    try:
        body = req.read()  # chunked: mod_python refuses it with 411 (REQUEST_CHUNKED_ERROR)
    except OSError:  # "Client read error (Timeout?)": the body never came
        return fail(req, apache.HTTP_REQUEST_TIME_OUT, "the request body did not arrive")
    name, message = entry_from_body(req.headers_in.get("Content-Type"), body)
    try:
        entry = store.add(name, message)
    except Full as error:
        return fail(req, apache.HTTP_INSUFFICIENT_STORAGE, str(error))
    if kind == "form":
        req.headers_out["Location"] = "/"
        return send(req, "", TEXT, apache.HTTP_SEE_OTHER)
    req.headers_out["Location"] = entry.location
    return send(req, entry.to_json(), JSON, apache.HTTP_CREATED)


def one_entry(req, number):
    entry = store.get(int(number)) if number.isascii() and number.isdigit() else None
    if entry is None:
        return fail(req, apache.HTTP_NOT_FOUND, f"no entry {number}")
    return send_json(req, entry.as_dict())


def stream(req):
    form = query(req)
    chunks, delay_ms = stream_params(form.get("chunks"), form.get("delay_ms"))
    req.content_type = TEXT
    for index in range(1, chunks + 1):
        if index > 1:
            time.sleep(delay_ms / 1000)
        req.write(stream_line(index, chunks).encode("utf-8"))  # flushed: a chunk at once
    return apache.OK


def slow(req):
    ms = slow_param(query(req).get("ms"))
    time.sleep(ms / 1000)
    return send_json(req, {"ms": ms, **process()})


def events(req):
    """Each listener holds a child; entries posted in other children reach it through the
    store, which it polls."""
    req.content_type = "text/event-stream"
    req.headers_out["Cache-Control"] = "no-cache"
    last = store.last_id()
    started = quiet = time.monotonic()
    try:
        req.write(LISTENING.encode("utf-8"))
        while time.monotonic() - started < EVENTS_LIFETIME:
            time.sleep(EVENTS_POLL)
            for entry in store.after(last):
                req.write(event(entry).encode("utf-8"))
                last, quiet = entry.id, time.monotonic()
            if time.monotonic() - quiet > EVENTS_KEEPALIVE:
                req.write(KEEPALIVE.encode("utf-8"))
                quiet = time.monotonic()
    except OSError:  # "Write failed, client closed connection."
        pass
    return apache.OK


def inspect(req):
    req.add_common_vars()  # fills req.subprocess_env as CGI would see it
    software, _, version = req.subprocess_env["SERVER_SOFTWARE"].split()[0].partition("/")
    request = {
        "method": req.method,
        "path": req.uri,
        "query": req.args or "",
        "headers": {key.lower(): value for key, value in readable(req.headers_in)},
        "http_version": req.protocol.partition("/")[2],
        "scheme": "https" if req.is_https() else "http",
        "client": req.connection.client_ip,
    }
    native = request_object(req)
    return send_json(req, document(interface="native", software=software, version=version,
                                   request=request, native=native))


def boom(req):
    raise RuntimeError("boom: the guestbook raised on purpose (contract rule 10.1)")


# (pattern, handler, methods): the groups of the pattern are the handler's arguments.
ROUTES = [
    (re.compile(r"/hello/(.+)", re.DOTALL), hello, ("GET",)),
    (re.compile(r"/guestbook"), guestbook, ("GET", "POST")),
    (re.compile(r"/guestbook/([^/]+)"), one_entry, ("GET",)),
    (re.compile(r"/stream"), stream, ("GET",)),
    (re.compile(r"/slow"), slow, ("GET",)),
    (re.compile(r"/events"), events, ("GET",)),
    (re.compile(r"/inspect"), inspect, ("GET",)),
    (re.compile(r"/boom"), boom, ("GET",)),
]


def handler(req):
    for pattern, route, methods in ROUTES:
        match = pattern.fullmatch(req.uri)
        if match is None:
            continue
        taken = [*methods, "HEAD"] if "GET" in methods else list(methods)
        if req.method not in taken:
            req.headers_out["Allow"] = ", ".join(taken)
            return fail(req, apache.HTTP_METHOD_NOT_ALLOWED,
                        f"{req.uri} takes {', '.join(taken)}")
        try:
            return route(req, *match.groups())
        except Invalid as error:
            return send(req, error.body(), JSON, apache.HTTP_BAD_REQUEST)
    return fail(req, apache.HTTP_NOT_FOUND, "no such page in this guestbook")


# ---- /inspect's native structure ------------------------------------------------------------

def readable(table):
    """A table's items that Python can read: a header value that is not UTF-8 raises in
    mod_python's table object, and is shown by name only."""
    for key in list(table.keys()):
        try:
            yield key, table[key]
        except UnicodeDecodeError:
            yield key, "(not UTF-8)"


# The connection object's members, as mod_python's documentation lists them: its type
# answers them through getattr but lists none of them to dir().
CONNECTION = ("client_ip", "client_addr", "local_ip", "local_addr", "local_host",
              "remote_host", "remote_logname", "aborted", "keepalive", "keepalives", "id",
              "double_reverse", "notes")


def request_object(req, depth=0):
    """The request object as mod_python hands it over: its attributes, with the tables (the
    headers, the notes, subprocess_env) as dicts and the connection and server objects below."""
    shown = {"__class__": type(req).__name__}
    names = dir(req) + [n for n in CONNECTION if type(req).__name__ == "mp_conn"]
    for name in sorted(set(names)):
        if name.startswith("_"):
            continue
        try:
            value = getattr(req, name)
        except Exception:  # an attribute mod_python cannot give in this phase
            continue
        if callable(value) and not hasattr(value, "keys"):
            continue
        if hasattr(value, "keys"):
            value = dict(readable(value))
        elif type(value).__module__ in ("builtins", "_apache") and \
                not isinstance(value, (str, bytes, int, float, bool, type(None), list, tuple)):
            value = request_object(value, depth + 1) if depth < 1 else repr(value)
        shown[name] = json_safe(value)
    return shown
