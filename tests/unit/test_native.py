from __future__ import annotations

import json

from guestbook.native import cgi_headers, json_safe


class Request:
    def __init__(self) -> None:
        self.method = b"GET"
        self.headers = {b"x-probe": [b"\xe9t\xe9"]}
        self.callback = print


def test_json_safe_keeps_structure() -> None:
    shown = json_safe({"scope": Request(), "numbers": (1, 2), "raw": b"\xff"})
    assert json.loads(json.dumps(shown)) == shown
    request = shown["scope"]
    assert request["__class__"].endswith("Request")
    assert request["method"] == "GET"
    assert request["headers"] == {"x-probe": ["été"]}
    assert shown["numbers"] == [1, 2] and shown["raw"] == "ÿ"
    assert isinstance(request["callback"], str)


def test_json_safe_stops_at_depth() -> None:
    deep: dict[str, object] = {}
    node = deep
    for _ in range(10):
        node["next"] = {}
        node = node["next"]  # type: ignore[assignment]
    assert "next" in json.dumps(json_safe(deep))


def test_cgi_headers_come_from_the_environment() -> None:
    environ = {"HTTP_X_MUSEUM_PROBE": "abc", "HTTP_HOST": "h", "CONTENT_TYPE": "text/plain",
               "CONTENT_LENGTH": "", "PATH_INFO": "/"}
    assert cgi_headers(environ) == {"x-museum-probe": "abc", "host": "h",
                                    "content-type": "text/plain"}
