"""The guestbook's views: each @view_config ties a callable to a route, a method and a renderer."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from importlib.metadata import version
from typing import Any
from urllib.parse import parse_qsl

from pyramid.exceptions import PredicateMismatch, URLDecodeError
from pyramid.httpexceptions import (
    HTTPException,
    HTTPInsufficientStorage,
    HTTPMethodNotAllowed,
    HTTPNotFound,
    HTTPRequestEntityTooLarge,
    HTTPSeeOther,
    HTTPUnsupportedMediaType,
)
from pyramid.request import Request
from pyramid.response import Response
from pyramid.view import exception_view_config, notfound_view_config, view_config

from guestbook import MAX_BODY, Full, Invalid, Store
from guestbook.exhibit import identity
from guestbook.native import document, process
from guestbook.page import STYLE
from guestbook.rules import (
    check_paging,
    content_kind,
    entry_from_body,
    error_body,
    slow_param,
    stream_line,
    stream_params,
)
from guestbook_app import raw_target

log = logging.getLogger(__name__)
store = Store()


@view_config(route_name="front", renderer="templates/index.pt", request_method="GET")
def front(request: Request) -> dict[str, Any]:
    entries, total = store.page(20, 0)
    return {"exhibit": identity(), "entries": entries, "total": total, "style": STYLE}


@view_config(route_name="hello", request_method="GET")
@view_config(route_name="hello_name", request_method="GET")
def hello(request: Request) -> Response:
    name = request.matchdict.get("name") or request.GET.get("name") or "World"
    return Response(f"Hello, {name}!", content_type="text/plain", charset="utf-8")


@view_config(route_name="guestbook", renderer="json", request_method="GET")
def entries(request: Request) -> dict[str, Any]:
    limit, offset = check_paging(request.GET.get("limit"), request.GET.get("offset"))
    page, total = store.page(limit, offset)
    return {"entries": [e.as_dict() for e in page], "total": total}


@view_config(route_name="entry", renderer="json", request_method="GET")
def entry(request: Request) -> dict[str, Any]:
    found = store.get(int(request.matchdict["id"]))
    if found is None:
        raise HTTPNotFound(f"There is no entry {request.matchdict['id']}.")
    return found.as_dict()


@view_config(route_name="guestbook", renderer="json", request_method="POST")
def sign(request: Request) -> Any:
    if content_kind(request.content_type) is None:
        raise HTTPUnsupportedMediaType("Send application/json or a urlencoded form.")
    if declared_charset(request.headers.get("Content-Type", "")) not in (None, "utf-8", "utf8"):
        raise HTTPUnsupportedMediaType("Send the body as UTF-8.")
    body = request.body_file.read(MAX_BODY + 1)
    if len(body) > MAX_BODY:
        raise HTTPRequestEntityTooLarge("The body is over 64 KiB.")
    try:
        signed = store.add(*entry_from_body(request.content_type, body))
    except Full:
        raise HTTPInsufficientStorage(
            "The guestbook's storage is full; nothing was stored.") from None
    if content_kind(request.content_type) == "form":
        return HTTPSeeOther(location="/")
    request.response.status_code = 201
    request.response.location = signed.location
    return signed.as_dict()


def declared_charset(content_type: str) -> str | None:
    for parameter in content_type.split(";")[1:]:
        key, _, value = parameter.partition("=")
        if key.strip().lower() == "charset":
            return value.strip().strip('"').lower()
    return None


@view_config(route_name="stream", request_method="GET")
def stream(request: Request) -> Response:
    total, delay = stream_params(request.GET.get("chunks"), request.GET.get("delay_ms"))

    def lines() -> Iterator[bytes]:
        for index in range(1, total + 1):
            if index > 1:
                time.sleep(delay / 1000)
            yield stream_line(index, total).encode()
    return Response(app_iter=lines(), content_type="text/plain", charset="utf-8")


@view_config(route_name="slow", renderer="json", request_method="GET")
def slow(request: Request) -> dict[str, Any]:
    wait = slow_param(request.GET.get("ms"))
    time.sleep(wait / 1000)  # one of waitress's four threads sleeps
    return {"ms": wait, **process()}


@view_config(route_name="inspect", renderer="json", request_method="GET")
def inspect(request: Request) -> dict[str, Any]:
    software = request.environ["SERVER_SOFTWARE"]  # "waitress"; its version is its package's
    return document(
        interface="WSGI", software=software, version=version(software),
        request={
            "method": request.method,
            "path": request.path,
            "query": request.query_string,
            "headers": {k.lower(): v for k, v in request.headers.items()},
            "http_version": request.http_version.partition("/")[2],
            "scheme": request.scheme,
            "client": request.client_addr,
        },
        native=request)


@view_config(route_name="boom")
def boom(request: Request) -> Response:
    raise RuntimeError("boom: raised on purpose to show a 500")


# ---- errors: Pyramid's exception views -------------------------------------------------------

def allowed_methods(request: Request) -> list[str]:
    """The request_method predicates of the views on the route that matched, from the
    configuration's introspector: the registry knows every view and its predicates."""
    route = request.matched_route
    methods: set[str] = set()
    for item in request.registry.introspector.get_category("views"):
        view = item["introspectable"]
        if route is not None and view["route_name"] == route.name:
            wanted = view["request_methods"] or ()
            methods.update((wanted,) if isinstance(wanted, str) else wanted)
    if "GET" in methods:
        methods.add("HEAD")  # a GET view answers HEAD too, since Pyramid 1.4
    return sorted(methods)


@notfound_view_config(renderer="json")
def not_found(problem: HTTPNotFound, request: Request) -> dict[str, str]:
    """Pyramid answers a route whose views all refuse the method with PredicateMismatch, a
    404; HTTP wants 405 with Allow, so the not-found view tells the two apart."""
    if isinstance(problem, PredicateMismatch) and request.matched_route is not None:
        methods = allowed_methods(request)
        if request.method not in methods:
            request.response.status_code = HTTPMethodNotAllowed.code
            request.response.allow = methods
            return {"error": f"{request.method} is not allowed here."}
    request.response.status_code = 404
    message = problem.detail if isinstance(problem.detail, str) else None
    return {"error": message or "There is nothing at this address."}


@exception_view_config(URLDecodeError)
def undecodable_path(problem: URLDecodeError, request: Request) -> Response:
    """The route mapper cannot decode a path that is not UTF-8 (`/hello/%ff`)."""
    return Response(error_body("the path is not UTF-8"), status=400,
                    content_type="application/json", charset="utf-8")


@exception_view_config(UnicodeDecodeError)
def undecodable_query(problem: UnicodeDecodeError, request: Request) -> Response:
    """request.GET decodes the whole query string as UTF-8 and raises on the first bad byte;
    the 400 names the field that holds it."""
    for field in request.environ.get("QUERY_STRING", "").split("&"):
        try:
            parse_qsl(field, keep_blank_values=True, errors="strict")
        except UnicodeDecodeError:
            name = parse_qsl(field, keep_blank_values=True, errors="replace")
            return Response(error_body("the query string is not UTF-8",
                                       name[0][0] if name else None),
                            status=400, content_type="application/json", charset="utf-8")
    return server_error(problem, request)


@exception_view_config(Invalid)
def invalid(problem: Invalid, request: Request) -> Response:
    return Response(problem.body(), status=400, content_type="application/json", charset="utf-8")


@exception_view_config(HTTPException)
def http_error(problem: HTTPException, request: Request) -> HTTPException:
    if 300 <= problem.code < 400:
        return problem
    problem.content_type = "application/json"
    problem.text = error_body(problem.detail or problem.title)
    return problem


@exception_view_config(Exception)
def server_error(problem: Exception, request: Request) -> Response:
    log.exception("%s %s failed", request.method, raw_target(request))  # the traceback to the log
    return Response(error_body("The server failed; the log has the details."), status=500,
                    content_type="application/json", charset="utf-8")
