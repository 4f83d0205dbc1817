"""The guestbook as uWSGI's quickstart writes an app: a module with `application(env, ...)`.

uWSGI's master loads this file (`wsgi-file`) and forks four workers; each calls `application`
on one of its two threads for every request nginx passes on in a uwsgi packet.
"""

import time
import traceback
from urllib.parse import parse_qsl

import uwsgi

from guestbook import Full, Invalid, Store, check_paging, content_kind, error_body
from guestbook.exhibit import identity
from guestbook.native import document, process
from guestbook.page import render
from guestbook.rules import slow_param, stream_params
from guestbook.wsgi import (
    HTML,
    JSON,
    TEXT,
    json_text,
    paced_lines,
    posted_entry,
    reply,
    request_info,
)

store = Store()


def path_info(env) -> str:
    """PATH_INFO as text; PEP 3333 hands it over as bytes read as latin-1. Bytes that are not
    UTF-8 are a 404: no page has such a name."""
    return env.get("PATH_INFO", "").encode("latin-1").decode("utf-8")


def query(env) -> dict[str, str]:
    """The query string's fields, the first value of each (`+` is a space); a field that is
    not UTF-8 is a 400 naming it."""
    fields: dict[str, str] = {}
    for pair in env.get("QUERY_STRING", "").split("&"):
        try:
            for key, value in parse_qsl(pair, keep_blank_values=True, errors="strict"):
                fields.setdefault(key, value)
        except UnicodeDecodeError:
            name = parse_qsl(pair.partition("=")[0] + "=", keep_blank_values=True)
            raise Invalid("the query string is not UTF-8 text",
                          name[0][0] if name else None) from None
    return fields


def application(env, start_response):
    try:
        path = path_info(env)
    except UnicodeDecodeError:
        return reply(start_response, "404 Not Found", JSON, error_body("no such page"))
    prefix = path[: path.find("/", 1) + 1] or path  # "/hello/Zoë" -> "/hello/"
    route = ROUTES.get(path) or ROUTES.get(prefix)
    if route is None:
        return reply(start_response, "404 Not Found", JSON, error_body(f"no page at {path}"))
    methods, view = route
    if env["REQUEST_METHOD"] not in methods:
        return reply(start_response, "405 Method Not Allowed", JSON,
                     error_body(f"{path} takes {', '.join(methods)}"),
                     [("Allow", ", ".join(methods))])
    try:
        return view(env, start_response)
    except Invalid as error:
        return reply(start_response, "400 Bad Request", JSON, error.body())
    except Full as error:
        return reply(start_response, "507 Insufficient Storage", JSON, error_body(str(error)))
    except Exception:
        # uWSGI 2.0 logs an uncaught exception but sends nothing, which nginx turns into a
        # 502; so the app logs the traceback to wsgi.errors and answers its own short 500.
        # (Passing exc_info to start_response, as PEP 3333 shows, trips a SystemError in
        # uWSGI 2.0: unbit/uwsgi#2278.)
        traceback.print_exc(file=env["wsgi.errors"])
        env["wsgi.errors"].flush()
        return reply(start_response, "500 Internal Server Error", JSON,
                     error_body("the guestbook failed; the traceback is in the log"))


def home(env, start_response):
    newest, total = store.page(20, 0)
    return reply(start_response, "200 OK", HTML, render(identity(), newest, total))


def hello(env, start_response):
    name = path_info(env).partition("/hello/")[2] or query(env).get("name") or "World"
    start_response("200 OK", [("Content-Type", TEXT)])
    return [f"Hello, {name}!".encode()]


def guestbook(env, start_response):
    if env["REQUEST_METHOD"] == "POST":
        return sign(env, start_response)
    params = query(env)
    limit, offset = check_paging(params.get("limit"), params.get("offset"))
    rows, total = store.page(limit, offset)
    listing = {"entries": [row.as_dict() for row in rows], "total": total}
    return reply(start_response, "200 OK", JSON, json_text(listing))


def sign(env, start_response):
    kind = content_kind(env.get("CONTENT_TYPE"))
    if kind is None:
        return reply(start_response, "415 Unsupported Media Type", JSON,
                     error_body("send application/json or a urlencoded form"))
    new = store.add(*posted_entry(env))
    if kind == "form":
        return reply(start_response, "303 See Other", TEXT, "Signed.\n", [("Location", "/")])
    return reply(start_response, "201 Created", JSON, new.to_json(), [("Location", new.location)])


def one_entry(env, start_response):
    wanted = path_info(env).rpartition("/")[2]
    found = store.get(int(wanted)) if wanted.isdigit() and len(wanted) < 19 else None
    if found:
        return reply(start_response, "200 OK", JSON, found.to_json())
    return reply(start_response, "404 Not Found", JSON, error_body(f"no entry {wanted}"))


def inspect(env, start_response):
    # nginx names itself in SERVER_SOFTWARE; uWSGI adds its own uwsgi.version to the environ.
    software, _, version = env["SERVER_SOFTWARE"].partition("/")
    found = document(interface="uwsgi", software=software, version=version,
                     request=request_info(env), native=env)
    found["framework"] = {"software": "uWSGI", "version": uwsgi.version.decode()}
    return reply(start_response, "200 OK", JSON, json_text(found))


def slow(env, start_response):
    ms = slow_param(query(env).get("ms"))
    time.sleep(ms / 1000)  # one of the eight worker threads sleeps; the other seven serve on
    return reply(start_response, "200 OK", JSON, json_text({"ms": ms, **process()}))


def stream(env, start_response):
    params = query(env)
    chunks, delay_ms = stream_params(params.get("chunks"), params.get("delay_ms"))
    start_response("200 OK", [("Content-Type", TEXT)])
    # uWSGI writes each yielded block to the socket at once; nginx passes it on unbuffered.
    return paced_lines(chunks, delay_ms)


def boom(env, start_response):
    raise RuntimeError("boom: uWSGI logs this traceback and answers 500")


GET = ("GET", "HEAD")  # nginx sends HEAD on as HEAD and drops the body it gets back
ROUTES = {
    "/": (GET, home),
    "/hello": (GET, hello),
    "/hello/": (GET, hello),
    "/guestbook": (("GET", "HEAD", "POST"), guestbook),
    "/guestbook/": (GET, one_entry),
    "/inspect": (GET, inspect),
    "/slow": (GET, slow),
    "/stream": (GET, stream),
    "/boom": (GET, boom),
}
