from __future__ import annotations

import time

import httpx
from support import assert_error, assert_media


def test_slow_waits(client: httpx.Client) -> None:
    """7.1 /slow?ms=D takes at least D ms and says who waited."""
    start = time.monotonic()
    response = client.get("/slow", params={"ms": "300"})
    elapsed = time.monotonic() - start
    assert response.status_code == 200
    assert_media(response, "application/json", charset=None)
    assert elapsed >= 0.3
    body = response.json()
    assert body["ms"] == 300
    assert isinstance(body["pid"], int) and body["pid"] > 0
    assert isinstance(body["thread"], str) and body["thread"]


def test_slow_rejects_bad_ms(client: httpx.Client) -> None:
    """7.1 A bad ms is a 400 naming it."""
    for bad in ("10001", "-5", "soon"):
        assert_error(client.get("/slow", params={"ms": bad}), 400, "ms")
