from __future__ import annotations

import httpx
import pytest
from support import assert_media


@pytest.mark.parametrize(("path", "greeting"), [
    ("/hello/Zo%C3%AB", "Hello, Zoë!"),
    ("/hello/world", "Hello, world!"),
    ("/hello/%E6%97%A5%E6%9C%AC", "Hello, 日本!"),
])
def test_hello_path(client: httpx.Client, path: str, greeting: str) -> None:
    """2.1 /hello/{name}, percent-decoded as UTF-8, as UTF-8 plain text."""
    response = client.get(path)
    assert response.status_code == 200
    assert_media(response, "text/plain")
    assert response.content == greeting.encode("utf-8")


@pytest.mark.parametrize(("query", "greeting"), [
    ("name=Zo%C3%AB", "Hello, Zoë!"),
    ("name=Ada+Lovelace", "Hello, Ada Lovelace!"),
])
def test_hello_query(client: httpx.Client, query: str, greeting: str) -> None:
    """2.2 /hello?name=... from the query string, + as a space."""
    response = client.get(f"/hello?{query}")
    assert response.status_code == 200
    assert_media(response, "text/plain")
    assert response.content == greeting.encode("utf-8")


def test_hello_world(client: httpx.Client) -> None:
    """2.3 No name gives Hello, World!"""
    response = client.get("/hello")
    assert response.status_code == 200
    assert_media(response, "text/plain")
    assert response.text == "Hello, World!"
