"""The guestbook as a Pyramid application: pserve calls main() with production.ini's settings.

A Configurator collects the routes, config.scan() finds the @view_config decorators in views.py,
and make_wsgi_app() returns the router that waitress serves.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

from pyramid.config import Configurator
from pyramid.registry import Registry
from pyramid.request import Request
from pyramid.response import Response
from pyramid.router import Router
from pyramid.tweens import INGRESS

from guestbook import error_body

log = logging.getLogger(__name__)

Handler = Callable[[Request], Response]


def main(global_config: dict[str, str], **settings: Any) -> Router:
    with Configurator(settings=settings) as config:
        config.include("pyramid_chameleon")
        config.add_route("front", "/")
        config.add_route("hello", "/hello")
        config.add_route("hello_name", "/hello/{name}")
        config.add_route("guestbook", "/guestbook")
        config.add_route("entry", r"/guestbook/{id:\d+}")
        config.add_route("stream", "/stream")
        config.add_route("slow", "/slow")
        config.add_route("inspect", "/inspect")
        config.add_route("boom", "/boom")
        config.add_tween("guestbook_app.access_log")
        config.add_tween("guestbook_app.strict_http", under=INGRESS)
        config.scan(".views")
    return config.make_wsgi_app()


def raw_target(request: Request) -> str:
    """The request target as it arrived: request.path_qs would decode it, and fail on bytes
    that are not UTF-8."""
    environ = request.environ
    query = environ.get("QUERY_STRING", "")
    return str(environ.get("PATH_INFO", "")) + (f"?{query}" if query else "")


def access_log(handler: Handler, registry: Registry) -> Handler:
    """A tween: waitress writes no access log, so Pyramid's request pipeline does."""

    def tween(request: Request) -> Response:
        response = handler(request)
        log.info('%s "%s %s %s" %s', request.client_addr, request.method, raw_target(request),
                 request.http_version, response.status_code)
        return response

    return tween


HOST = re.compile(r"[A-Za-z0-9.-]+(:[0-9]{1,5})?|\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?")


def strict_http(handler: Handler, registry: Registry) -> Handler:
    """A tween for what waitress lets through: a request line with a version it does not
    speak, an HTTP/1.1 request without one Host (or a Host that is not a host)."""

    def tween(request: Request) -> Response:
        environ = request.environ
        protocol = environ.get("SERVER_PROTOCOL", "")
        if protocol not in ("HTTP/1.0", "HTTP/1.1"):
            return refuse(505, f"this server speaks HTTP/1.0 and HTTP/1.1, not {protocol!r}")
        host = environ.get("HTTP_HOST")
        if host is None and protocol == "HTTP/1.1":
            return refuse(400, "an HTTP/1.1 request names its Host")
        if host is not None and not HOST.fullmatch(host):
            return refuse(400, "the Host header is not a host")
        return handler(request)

    return tween


def refuse(status: int, message: str) -> Response:
    return Response(error_body(message), status=status, content_type="application/json",
                    charset="utf-8")
