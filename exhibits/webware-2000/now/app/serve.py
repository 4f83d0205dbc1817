"""Serve the Webware application with waitress, and stop on SIGTERM.

`webware serve` does the same but ignores SIGTERM; this launcher loads the application
object from the working directory's Scripts/WSGIScript.py, as mod_wsgi would.

waitress sends whatever body an application gives to a HEAD request, and when there is no
Content-Length it answers chunked, terminating chunk included: bytes after a HEAD response's
headers. Webware's own HEAD (HTTPServlet.respondToHead runs the GET and discards what it
writes) sets no Content-Length. `bodiless_head` stands between the two: it runs the GET
itself, counts the body instead of sending it, and answers with the GET's status and headers,
its length included, and no body bytes at all.
"""

from __future__ import annotations

import runpy
import signal
import sys
from collections.abc import Callable, Iterable
from types import FrameType
from typing import Any

from waitress.server import create_server

WSGI_SCRIPT = "/app/Scripts/WSGIScript.py"
# WebKit's ThreadedAppServer started 10 request threads (StartServerThreads = 10).
THREADS = 10

App = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def bodiless_head(app: App) -> App:
    def head(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ["REQUEST_METHOD"] != "HEAD":
            return app(environ, start_response)
        environ = dict(environ, REQUEST_METHOD="GET")
        answered: dict[str, Any] = {}
        written = 0

        def capture(status: str, headers: list[tuple[str, str]],
                    exc_info: Any = None) -> Callable[[bytes], None]:
            answered["status"], answered["headers"] = status, list(headers)

            def write(data: bytes) -> None:
                nonlocal written
                written += len(data)
            return write

        body = app(environ, capture)
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
    return head


def stop(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(0)  # waitress's run() catches it, closes the sockets, joins its threads


def main() -> None:
    application = runpy.run_path(WSGI_SCRIPT)["application"]
    # A request head (request line and headers) over 64 KiB is refused with 431, not read.
    server = create_server(bodiless_head(application), host="0.0.0.0", port=8000,
                           threads=THREADS, max_request_header_size=65536)
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print(f"waitress serving Webware on http://0.0.0.0:8000 with {THREADS} threads",
          file=sys.stderr)
    server.run()


if __name__ == "__main__":
    main()
