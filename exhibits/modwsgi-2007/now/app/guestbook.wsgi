# The WSGI script file that `WSGIScriptAlias / /app/guestbook.wsgi` names. mod_wsgi
# loads it once in each daemon process of the `guestbook` group and, for every request Apache
# hands over, calls the `application` it defines on one of that process's threads.
import time
from urllib.parse import parse_qsl

import mod_wsgi

from guestbook import Full, Invalid, Store, check_paging, content_kind, error_body
from guestbook.exhibit import identity
from guestbook.native import document, process
from guestbook.page import render
from guestbook.rules import MAX_BODY, entry_from_body, slow_param, stream_params
from guestbook.wsgi import (
    HTML,
    JSON,
    TEXT,
    json_text,
    paced_lines,
    reply,
    request_info,
)

store = Store()


def application(environ, start_response):
    method = environ["REQUEST_METHOD"]
    try:
        path = path_info(environ)
    except UnicodeDecodeError:
        return reply(start_response, "400 Bad Request", JSON, error_body("the path is not UTF-8"))
    if method == "HEAD":
        method = "GET"  # Apache sends a HEAD the headers of the GET and drops the body
    if path == "/":
        views = {"GET": front_page}
    elif path == "/hello" or path.startswith("/hello/"):
        views = {"GET": hello}
    elif path == "/guestbook":
        views = {"GET": entries, "POST": sign}
    elif path.startswith("/guestbook/"):
        views = {"GET": entry}
    elif path in TOOLS:
        views = {"GET": TOOLS[path]}
    else:
        return reply(start_response, "404 Not Found", JSON, error_body(f"no page at {path}"))
    if method not in views:
        allow = ", ".join([*views, "HEAD"] if "GET" in views else views)
        return reply(start_response, "405 Method Not Allowed", JSON,
                     error_body(f"{path} does not take {method}"), [("Allow", allow)])
    try:
        return views[method](environ, start_response)
    except Invalid as error:
        return reply(start_response, "400 Bad Request", JSON, error.body())


def front_page(environ, start_response):
    newest, total = store.page(20, 0)
    return reply(start_response, "200 OK", HTML, render(identity(), newest, total))


def hello(environ, start_response):
    name = path_info(environ)[len("/hello/"):] or query(environ).get("name") or "World"
    output = f"Hello, {name}!".encode()
    start_response("200 OK", [("Content-Type", TEXT), ("Content-Length", str(len(output)))])
    return [output]


def entries(environ, start_response):
    params = query(environ)
    limit, offset = check_paging(params.get("limit"), params.get("offset"))
    rows, total = store.page(limit, offset)
    listing = {"entries": [row.as_dict() for row in rows], "total": total}
    return reply(start_response, "200 OK", JSON, json_text(listing))


def entry(environ, start_response):
    number = path_info(environ)[len("/guestbook/"):]
    found = store.get(int(number)) if number.isdigit() and len(number) < 19 else None
    if found is None:
        return reply(start_response, "404 Not Found", JSON, error_body("no such entry"))
    return reply(start_response, "200 OK", JSON, found.to_json())


def sign(environ, start_response):
    kind = content_kind(environ.get("CONTENT_TYPE"))
    charset = content_parameter(environ.get("CONTENT_TYPE", ""), "charset") or "utf-8"
    if kind is None or charset.lower() not in ("utf-8", "utf8"):
        return reply(start_response, "415 Unsupported Media Type", JSON,
                     error_body("post JSON or an urlencoded form, in UTF-8"))
    length = environ.get("CONTENT_LENGTH", "")
    if not (length.isascii() and length.isdigit()):
        return reply(start_response, "411 Length Required", JSON,
                     error_body("send the body with a Content-Length"))
    if int(length) > MAX_BODY:  # Apache's LimitRequestBody has answered 413 already
        return reply(start_response, "413 Content Too Large", JSON,
                     error_body(f"the body is over {MAX_BODY} bytes"))
    try:
        body = environ["wsgi.input"].read(int(length))
    except OSError:
        body = b""
    if len(body) < int(length):
        return reply(start_response, "400 Bad Request", JSON,
                     error_body("the body ended before its Content-Length"))
    try:
        signed = store.add(*entry_from_body(environ.get("CONTENT_TYPE"), body))
    except Full as full:
        return reply(start_response, "507 Insufficient Storage", JSON, error_body(str(full)))
    if kind == "form":
        return reply(start_response, "303 See Other", TEXT, "Signed.\n", [("Location", "/")])
    return reply(start_response, "201 Created", JSON, signed.to_json(),
                 [("Location", signed.location)])


def stream(environ, start_response):
    params = query(environ)
    chunks, delay_ms = stream_params(params.get("chunks"), params.get("delay_ms"))
    start_response("200 OK", [("Content-Type", TEXT)])
    # mod_wsgi writes and flushes each block the iterable yields before it asks for the next.
    return paced_lines(chunks, delay_ms)


def slow(environ, start_response):
    ms = slow_param(query(environ).get("ms"))
    time.sleep(ms / 1000)  # this thread sleeps; the daemon's other 14 threads serve on
    return reply(start_response, "200 OK", JSON, json_text({"ms": ms, **process()}))


def boom(environ, start_response):
    raise RuntimeError("boom: mod_wsgi logs this traceback to Apache's error log")


def inspect(environ, start_response):
    # SERVER_SOFTWARE is Apache's banner, "Apache/2.4.71 (Debian)"; the mod_wsgi module that
    # mod_wsgi puts in the daemon's sys.modules knows its own version, (4, 9, 4).
    software, _, version = environ["SERVER_SOFTWARE"].partition(" ")[0].partition("/")
    found = document(interface="WSGI", software=software, version=version,
                     request=request_info(environ), native=environ)
    found["framework"] = {"software": "mod_wsgi", "version": ".".join(map(str, mod_wsgi.version))}
    return reply(start_response, "200 OK", JSON, json_text(found))


TOOLS = {"/stream": stream, "/slow": slow, "/boom": boom, "/inspect": inspect}


# ---- the request's parts as text, strictly: bytes that are not UTF-8 are a 400 -------------

def path_info(environ):
    """PATH_INFO as text: PEP 3333 hands it over as bytes decoded as latin-1."""
    return environ.get("PATH_INFO", "").encode("latin-1").decode("utf-8")


def query(environ):
    """The query string's fields, the first value of each (`+` is a space)."""
    fields = {}
    for key, value in parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True,
                                errors="surrogateescape"):
        try:
            value.encode("utf-8")  # bytes that were not UTF-8 are lone surrogates here
        except UnicodeEncodeError:
            shown = key.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
            raise Invalid(f"{shown} is not UTF-8", shown) from None
        fields.setdefault(key, value)
    return fields


def content_parameter(content_type, name):
    for parameter in content_type.split(";")[1:]:
        key, _, value = parameter.partition("=")
        if key.strip().lower() == name:
            return value.strip().strip('"')
    return None
