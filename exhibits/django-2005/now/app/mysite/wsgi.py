"""The WSGI callable gunicorn serves: `gunicorn mysite.wsgi`."""

import io
import os
from collections.abc import Callable, Iterable
from typing import Any

from django.core.wsgi import get_wsgi_application

from guestbook import MAX_BODY, error_body

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")

Environ = dict[str, Any]
BODY_TIMEOUT = 15.0
App = Callable[[Environ, Callable[..., Any]], Iterable[bytes]]


def refuse(start_response: Callable[..., Any], status: str, message: str) -> list[bytes]:
    body = error_body(message).encode()
    start_response(status, [("Content-Type", "application/json"),
                            ("Content-Length", str(len(body)))])
    return [body]


def wire_guard(app: App) -> App:
    """What Django cannot see once it has built its request, settled on the WSGI side.

    A chunked body: gunicorn de-chunks it but sets no CONTENT_LENGTH, and Django reads
    CONTENT_LENGTH bytes (none), so the body is read here and handed on with its length.
    A path that is not UTF-8: Django re-quotes the bad bytes (`/hello/%FF`) and routes it.
    An HTTP/1.1 request without Host: gunicorn takes it.
    A body that stops short of its length: a sync worker would wait for it until gunicorn's
    worker timeout (600 s here, for the longest /stream), so reading it times out at 15 s.
    """

    def guarded(environ: Environ, start_response: Callable[..., Any]) -> Iterable[bytes]:
        try:
            environ.get("PATH_INFO", "").encode("latin-1").decode("utf-8")
        except UnicodeError:
            return refuse(start_response, "400 Bad Request", "the path is not UTF-8")
        if environ.get("SERVER_PROTOCOL") == "HTTP/1.1" and "HTTP_HOST" not in environ:
            # gunicorn takes it; Django would fall back on SERVER_NAME.
            return refuse(start_response, "400 Bad Request", "an HTTP/1.1 request names its Host")
        chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        if chunked or environ.get("CONTENT_LENGTH", "0") not in ("", "0"):
            environ["gunicorn.socket"].settimeout(BODY_TIMEOUT)
        if chunked and not environ.get("CONTENT_LENGTH"):
            try:
                body = environ["wsgi.input"].read(MAX_BODY + 1)
            except OSError:  # gunicorn's InvalidChunkSize, NoMoreData..., or the timeout
                return refuse(start_response, "400 Bad Request", "the chunked body is malformed")
            if len(body) > MAX_BODY:
                return refuse(start_response, "413 Request Entity Too Large",
                              f"the body is over {MAX_BODY} bytes")
            environ["wsgi.input"] = io.BytesIO(body)
            environ["CONTENT_LENGTH"] = str(len(body))
        return app(environ, start_response)

    return guarded


application = wire_guard(get_wsgi_application())
