"""An ASGI scope's raw bytes, checked before an app decodes them.

uvicorn's httptools parser passes on HTTP/0.9 and 2.0 request lines, any number of Host
headers and header lines of any length; uvicorn decodes the path, and the apps the query,
with U+FFFD for bytes that are not UTF-8. The scope still holds the bytes as they came, so
the exhibits on ASGI servers refuse such requests from it before any route sees them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote_to_bytes

HOST = re.compile(r"[A-Za-z0-9.:\[\]-]+")
HEADERS_MAX = 32 * 1024  # bytes of header lines, beyond which a request is a 431

Scope = Mapping[str, Any]
Refusal = tuple[int, str, "str | None"]  # status, message, the field it is about


def refusal(scope: Scope) -> Refusal | None:
    """What an HTTP/1 server on httptools lets through and HTTP forbids, or None."""
    if scope["http_version"] not in ("1.0", "1.1"):
        return 505, "this server speaks HTTP/1.0 and HTTP/1.1", None
    if not one_host(scope):
        return 400, "HTTP/1.1 needs one Host header, a host name and port", None
    if sum(len(key) + len(value) + 4 for key, value in scope["headers"]) > HEADERS_MAX:
        return 431, f"the request's headers are over {HEADERS_MAX} bytes", None
    return not_utf8(scope)


def one_host(scope: Scope) -> bool:
    """At most one Host header, a host name and port; HTTP/1.1 must send one."""
    hosts = [value for key, value in scope["headers"] if key == b"host"]
    if len(hosts) > 1 or (scope["http_version"] == "1.1" and not hosts):
        return False
    return all(HOST.fullmatch(host.decode("latin-1")) for host in hosts)


def not_utf8(scope: Scope) -> Refusal | None:
    """A 400 when the raw path or a name or value of the query is not UTF-8 once unquoted."""
    if not utf8(scope.get("raw_path") or b""):
        return 400, "the path is not valid UTF-8", None
    for pair in scope["query_string"].split(b"&"):
        name, _, value = pair.partition(b"=")
        if not (utf8(name) and utf8(value)):
            return 400, "the query string is not valid UTF-8", name.decode("latin-1")
    return None


def utf8(raw: bytes) -> bool:
    try:
        unquote_to_bytes(raw.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
