"""WSGI plumbing for the exhibits that are a bare PEP 3333 application.

What every such app needs and no era wrote differently: the text of PATH_INFO, the query, the
body, JSON out, and /inspect's view of the request. The routing and the calls to
start_response stay in each exhibit, in its own idiom.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any
from urllib.parse import parse_qsl

from guestbook.native import cgi_headers
from guestbook.rules import entry_from_body, stream_line

Environ = dict[str, Any]
StartResponse = Callable[..., Any]

JSON = "application/json"
TEXT = "text/plain; charset=utf-8"
HTML = "text/html; charset=utf-8"


def path_info(environ: Environ) -> str:
    """PATH_INFO as text: PEP 3333 hands it over as bytes decoded as latin-1."""
    raw: str = environ.get("PATH_INFO", "")
    return raw.encode("latin-1").decode("utf-8", "replace")


def query(environ: Environ) -> dict[str, str]:
    """The query string's fields, the first value of each (`+` is a space)."""
    fields: dict[str, str] = {}
    for key, value in parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True):
        fields.setdefault(key, value)
    return fields


def read_body(environ: Environ) -> bytes:
    """The request body: CONTENT_LENGTH bytes of wsgi.input, the way PEP 3333 asks."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    return environ["wsgi.input"].read(length) if length > 0 else b""


def posted_entry(environ: Environ) -> tuple[str, str]:
    """The trimmed name and message of a POST; Invalid (a 400) when they are not good."""
    return entry_from_body(environ.get("CONTENT_TYPE"), read_body(environ))


def reply(start_response: StartResponse, status: str, content_type: str, text: str,
          extra: Iterable[tuple[str, str]] = ()) -> list[bytes]:
    """start_response with the usual headers, and the body as the one-item list."""
    body = text.encode("utf-8")
    start_response(status, [("Content-Type", content_type),
                            ("Content-Length", str(len(body))), *extra])
    return [body]


def paced_lines(chunks: int, delay_ms: int) -> Iterator[bytes]:
    """/stream's body as a WSGI iterable: the thread sleeps between the blocks it yields."""
    for index in range(1, chunks + 1):
        if index > 1:
            time.sleep(delay_ms / 1000)
        yield stream_line(index, chunks).encode("utf-8")


def json_text(document: object) -> str:
    return json.dumps(document, ensure_ascii=False)


def request_info(environ: Environ) -> dict[str, Any]:
    """/inspect's `request`, read from the CGI-style keys of the environ."""
    found = cgi_headers(environ)
    return {
        "method": environ["REQUEST_METHOD"],
        "path": environ.get("SCRIPT_NAME", "") + path_info(environ),
        "query": environ.get("QUERY_STRING", ""),
        "headers": found,
        "http_version": environ.get("SERVER_PROTOCOL", "HTTP/1.0").partition("/")[2],
        "scheme": environ["wsgi.url_scheme"],
        "client": environ.get("REMOTE_ADDR", ""),
    }
