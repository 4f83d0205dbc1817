#!/opt/venv/bin/python3
"""The guestbook as a web.py app, in the style reddit was rewritten in late 2005.

lighttpd spawns this script (in its folder, so templates/ is found) and talks FastCGI to it;
app.run() sees the PHP_FCGI_CHILDREN that lighttpd sets and hands web.py's WSGI function to
flup's FastCGI server, listening on the socket lighttpd passed as stdin.
"""

import json
import time
from urllib.parse import unquote_to_bytes

import web

from guestbook import Full, Invalid, Store, check_paging, content_kind, error_body
from guestbook import events as sse
from guestbook.exhibit import identity
from guestbook.native import cgi_headers, document, process
from guestbook.page import STYLE
from guestbook.rules import entry_from_form, entry_from_json, slow_param, stream_line, stream_params

web.config.debug = False

urls = (
    "/", "index",
    "/hello", "hello",
    "/hello/(.*)", "hello",
    "/guestbook", "guestbook",
    "/guestbook/([0-9]+)", "entry",
    "/inspect", "inspect",
    "/slow", "slow",
    "/stream", "stream",
    "/events", "events",
    "/boom", "boom",
)

render = web.template.render("templates/", globals={"style": STYLE})
store = Store()


# ---- the contract's answers, the web.py way: HTTPError carries status, headers and body ----

def json_error(status: str, message: str, field: str | None = None) -> web.HTTPError:
    return web.HTTPError(status, {"Content-Type": "application/json"}, error_body(message, field))


def checked(check, *args):
    """One of the contract's checks; bad input is a 400 naming the field."""
    try:
        return check(*args)
    except Invalid as e:
        raise json_error("400 Bad Request", e.message, e.field) from None


def charset(content_type: str) -> str:
    """The charset a Content-Type declares, lower-cased; "" when none."""
    for param in content_type.split(";")[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip('"').lower()
    return ""


def utf8_uri(handler):
    """A processor: the path and every query field must be UTF-8 once percent-decoded. web.py
    would put U+FFFD where they are not; the guestbook answers 400, naming the field."""
    path, _, query = web.ctx.env.get("REQUEST_URI", "").partition("?")
    try:
        unquote_to_bytes(path).decode("utf-8")
    except UnicodeDecodeError:
        raise json_error("400 Bad Request", "the path is not UTF-8 text") from None
    for pair in query.split("&"):
        field, _, value = pair.partition("=")
        for part in (field, value):
            try:
                unquote_to_bytes(part.replace("+", " ")).decode("utf-8")
            except UnicodeDecodeError:
                name = unquote_to_bytes(field).decode("utf-8", "replace")
                raise json_error("400 Bad Request", f"{name} must be UTF-8 text", name) from None
    return handler()


def as_json(document: object) -> str:
    web.header("Content-Type", "application/json")
    return json.dumps(document)


def params(*names: str) -> web.Storage:
    """The query string's fields, None where absent."""
    return web.input(_method="get", **dict.fromkeys(names))


# ---- the pages ----

class index:
    def GET(self):
        entries, total = store.page(10, 0)
        web.header("Content-Type", "text/html; charset=utf-8")
        return render.index(identity(), entries, total)


class hello:
    def GET(self, name=None):
        web.header("Content-Type", "text/plain; charset=utf-8")
        if name is None:
            name = params("name").name
        return f"Hello, {name or 'World'}!"


class guestbook:
    def GET(self):
        i = params("limit", "offset")
        limit, offset = checked(check_paging, i.limit, i.offset)
        entries, total = store.page(limit, offset)
        return as_json({"entries": [e.as_dict() for e in entries], "total": total})

    def POST(self):
        content_type = web.ctx.env.get("CONTENT_TYPE", "")
        kind = content_kind(content_type)
        if kind is None or charset(content_type) not in ("", "utf-8", "utf8"):
            raise json_error("415 Unsupported Media Type",
                             "send application/json or a UTF-8 urlencoded form")
        # web.input() would read a form that is not UTF-8 with U+FFFD in its place; the
        # museum's parser refuses it.
        parse = entry_from_json if kind == "json" else entry_from_form
        name, message = checked(parse, web.data())
        try:
            new = store.add(name, message)
        except Full as e:
            raise json_error("507 Insufficient Storage", str(e)) from None
        if kind == "form":
            raise web.seeother("/")
        web.ctx.status = "201 Created"
        web.header("Location", new.location)
        return as_json(new.as_dict())


class entry:
    def GET(self, id):
        found = store.get(int(id))
        if found is None:
            raise json_error("404 Not Found", f"there is no entry {id}")
        return as_json(found.as_dict())


class inspect:
    def GET(self):
        env = web.ctx.env
        software, _, version = env.get("SERVER_SOFTWARE", "").partition("/")
        headers = cgi_headers(env)
        request = {
            "method": web.ctx.method,
            "path": web.ctx.path,
            "query": env.get("QUERY_STRING", ""),
            "headers": headers,
            "http_version": env.get("SERVER_PROTOCOL", "").partition("/")[2],
            "scheme": env.get("wsgi.url_scheme", "http"),
            "client": web.ctx.ip,
        }
        return as_json(document(interface="FastCGI", software=software, version=version,
                                request=request, native=env))


class slow:
    def GET(self):
        ms = checked(slow_param, params("ms").ms)
        time.sleep(ms / 1000)  # this flup thread sleeps; the others go on serving
        return as_json({"ms": ms, **process()})


class stream:
    # A generator for a body: web.py sends each piece as it comes, flup writes it as a FastCGI
    # record at once, and lighttpd passes it on because stream-response-body is set.
    def GET(self):
        i = params("chunks", "delay_ms")
        chunks, delay_ms = checked(stream_params, i.chunks, i.delay_ms)
        web.header("Content-Type", "text/plain; charset=utf-8")
        return self.lines(chunks, delay_ms)

    def lines(self, chunks, delay_ms):
        for n in range(1, chunks + 1):
            if n > 1:
                time.sleep(delay_ms / 1000)
            yield stream_line(n, chunks)


class events:
    # No pub/sub in 2005's web.py: the thread polls the store for ids it has not sent yet.
    def GET(self):
        web.header("Content-Type", sse.CONTENT_TYPE)
        web.header("Cache-Control", "no-cache")
        last = store.last_id()
        yield sse.LISTENING
        quiet = 0.0
        while True:
            time.sleep(0.2)
            quiet += 0.2
            for new in store.after(last):
                last = new.id
                quiet = 0.0
                yield sse.event(new)
            if quiet >= 5:  # a write to a gone client fails, ending this thread
                quiet = 0.0
                yield sse.KEEPALIVE


class boom:
    def GET(self):
        raise RuntimeError("boom: raised on purpose to show the 500 page")


app = web.application(urls, globals())
app.add_processor(utf8_uri)
app.notfound = lambda: json_error("404 Not Found", "no such page")
app.internalerror = lambda: json_error("500 Internal Server Error", "internal server error")

if __name__ == "__main__":
    app.run()
