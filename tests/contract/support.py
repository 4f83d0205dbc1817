"""Helpers the contract tests share: markers, response checks, signing the guestbook."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

import httpx
import pytest

F = TypeVar("F", bound=Callable[..., Any])


def needs(capability: str) -> Callable[[F], F]:
    return pytest.mark.needs(capability)  # type: ignore[no-any-return]


def lacks(capability: str) -> Callable[[F], F]:
    return pytest.mark.lacks(capability)  # type: ignore[no-any-return]


def media(response: httpx.Response) -> tuple[str, dict[str, str]]:
    """The media type and parameters of a response's Content-Type, lower-cased."""
    raw = response.headers.get("content-type", "")
    kind, *params = [part.strip() for part in raw.split(";")]
    found = {}
    for param in params:
        key, _, value = param.partition("=")
        found[key.strip().lower()] = value.strip().strip('"').lower()
    return kind.lower(), found


def assert_media(response: httpx.Response, kind: str, charset: str | None = "utf-8") -> None:
    got, params = media(response)
    assert got == kind, f"Content-Type {response.headers.get('content-type')!r}, wanted {kind}"
    if charset is not None:
        assert params.get("charset") == charset, (
            f"Content-Type {response.headers.get('content-type')!r} lacks charset={charset}")


def assert_error(response: httpx.Response, status: int, field: str | None = None) -> None:
    assert response.status_code == status, (
        f"status {response.status_code}, wanted {status}: {response.text[:300]!r}")
    assert media(response)[0] == "application/json", response.headers.get("content-type")
    body = response.json()
    assert isinstance(body.get("error"), str) and body["error"], body
    if field is not None:
        assert body.get("field") == field, f"error names {body.get('field')!r}, wanted {field!r}"


def sign(client: httpx.Client, name: str, message: str) -> dict[str, Any]:
    response = client.post("/guestbook", json={"name": name, "message": message})
    assert response.status_code == 201, response.text[:300]
    entry: dict[str, Any] = response.json()
    return entry


def total(client: httpx.Client) -> int:
    response = client.get("/guestbook", params={"limit": "1"})
    assert response.status_code == 200, response.text[:300]
    return int(response.json()["total"])


def unique(prefix: str) -> str:
    return f"{prefix}-{time.time_ns() % 10**12}"
