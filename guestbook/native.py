"""What /inspect shows: the structure the app received, made JSON-safe but not rebuilt."""

from __future__ import annotations

import os
import platform
import threading
from collections.abc import Mapping
from typing import Any

MAX_DEPTH = 4


def json_safe(value: object, depth: int = 0) -> Any:
    """Bytes become latin-1 text (lossless); objects become their attributes, then a repr."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("latin-1")
    if depth >= MAX_DEPTH:
        return repr(value)
    # list(): a repr further down may fill a lazy cache in this very dict (Bottle, Werkzeug)
    if isinstance(value, dict):
        return {_key(k): json_safe(v, depth + 1) for k, v in list(value.items())}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [json_safe(v, depth + 1) for v in value]
    attributes = getattr(value, "__dict__", None)
    if isinstance(attributes, dict) and not callable(value):
        kind = f"{type(value).__module__}.{type(value).__qualname__}"
        shown = {k: json_safe(v, depth + 1) for k, v in list(attributes.items())
                 if not k.startswith("__")}
        return {"__class__": kind, **shown}
    return repr(value)


def _key(key: object) -> str:
    if isinstance(key, (bytes, bytearray)):
        return bytes(key).decode("latin-1")
    return key if isinstance(key, str) else repr(key)


def cgi_headers(environ: Mapping[str, Any]) -> dict[str, str]:
    """The request's headers, lower-cased, from a CGI-style environment (CGI, WSGI, SCGI,
    FastCGI): HTTP_* variables, plus CONTENT_TYPE and CONTENT_LENGTH, which CGI keeps apart."""
    headers = {key[5:].replace("_", "-").lower(): str(value)
               for key, value in environ.items() if key.startswith("HTTP_")}
    for key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
        if environ.get(key):
            headers[key.replace("_", "-").lower()] = str(environ[key])
    return headers


def process() -> dict[str, Any]:
    return {"pid": os.getpid(), "thread": threading.current_thread().name,
            "python": platform.python_version()}


def document(*, interface: str, software: str, version: str, request: dict[str, Any],
             native: object) -> dict[str, Any]:
    return {
        "interface": interface,
        "server": {"software": software, "version": version},
        "request": request,
        "process": process(),
        "native": json_safe(native),
    }
