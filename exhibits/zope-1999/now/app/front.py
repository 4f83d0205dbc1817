"""A WSGI filter in front of Zope's publisher (zope.ini's pipeline): what ZPublisher 6.3 and
waitress 3.0.2 get wrong at the edge, put right before the request reaches Zope or the answer
reaches the client.

- ZPublisher decodes PATH_INFO as UTF-8 before its error handling begins
  (WSGIPublisher.publish_module), so undecodable bytes in the path escape to waitress as a
  500. Such a path names nothing that could be published: a 404.
- waitress sends whatever body the application gives to a HEAD request, and chunks it when
  there is no Content-Length, terminating chunk included, even for an empty body. A HEAD gets
  the GET's status and headers, its length included, and no body bytes at all.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

Environ = dict[str, Any]
StartResponse = Callable[..., Any]
App = Callable[[Environ, StartResponse], Iterable[bytes]]


def make_filter(global_conf: dict[str, str], **settings: str) -> Callable[[App], App]:
    """PasteDeploy's filter factory (`use = call:front:make_filter`)."""
    return Front


class Front:
    def __init__(self, app: App) -> None:
        self.app = app

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        try:
            environ.get("PATH_INFO", "").encode("latin-1").decode("utf-8")
        except UnicodeError:
            return self.not_found(environ, start_response)
        if environ["REQUEST_METHOD"] == "HEAD":
            return self.head(environ, start_response)
        return self.app(environ, start_response)

    def not_found(self, environ: Environ, start_response: StartResponse) -> list[bytes]:
        body = json.dumps({"error": "Nothing is published at this address."}).encode()
        start_response("404 Not Found", [("Content-Type", "application/json"),
                                         ("Content-Length", str(len(body)))])
        return [] if environ["REQUEST_METHOD"] == "HEAD" else [body]

    def head(self, environ: Environ, start_response: StartResponse) -> list[bytes]:
        answered: dict[str, Any] = {}
        written = 0

        def capture(status: str, headers: list[tuple[str, str]],
                    exc_info: Any = None) -> Callable[[bytes], None]:
            answered["status"], answered["headers"] = status, list(headers)

            def write(data: bytes) -> None:
                nonlocal written
                written += len(data)
            return write

        body = self.app(environ, capture)
        try:
            length = sum(len(chunk) for chunk in body)
            length += written
        finally:
            close = getattr(body, "close", None)
            if close is not None:
                close()
        headers = answered["headers"]
        if not any(name.lower() == "content-length" for name, _ in headers):
            headers.append(("Content-Length", str(length)))
        start_response(answered["status"], headers)
        return []
