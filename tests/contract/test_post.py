from __future__ import annotations

import socket
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from museum.timeline import Edition
from rawhttp import Answer, parse, read_response
from support import assert_error, sign, total, unique

from tests.stage import TLS, Live

FORM = "application/x-www-form-urlencoded"


def same_place(base: str, location: str, path: str) -> bool:
    return location == path or location == base.rstrip("/") + path


def test_post_json_creates(client: httpx.Client) -> None:
    """4.1 A JSON post is a 201 with Location and the stored entry."""
    message = unique("json")
    response = client.post("/guestbook", json={"name": "Ada", "message": message})
    assert response.status_code == 201, response.text[:300]
    entry = response.json()
    assert entry["name"] == "Ada" and entry["message"] == message
    location = response.headers.get("location", "")
    assert same_place(str(client.base_url), location, f"/guestbook/{entry['id']}"), location
    assert client.get(f"/guestbook/{entry['id']}").json() == entry


def test_post_form_redirects_home(client: httpx.Client) -> None:
    """4.2 A browser form post is a 303 to / and stores the entry."""
    message = unique("form ünïcode")
    body = httpx.QueryParams({"name": "Zoë", "message": message}).__str__()
    response = client.post("/guestbook", content=body.encode(), headers={"content-type": FORM})
    assert response.status_code == 303, response.text[:300]
    assert same_place(str(client.base_url), response.headers.get("location", ""), "/")
    newest = client.get("/guestbook", params={"limit": "5"}).json()["entries"]
    assert any(e["message"] == message and e["name"] == "Zoë" for e in newest)


def test_post_trims(client: httpx.Client) -> None:
    """4.3 name and message are stored trimmed."""
    message = unique("trim")
    entry = sign(client, "  Ada  ", f"\n {message} \t")
    assert entry["name"] == "Ada" and entry["message"] == message


def test_post_limits_count_characters(client: httpx.Client) -> None:
    """4.3 64 and 1000 characters (not bytes) are the upper limits."""
    entry = sign(client, "é" * 64, "ü" * 1000)
    assert entry["name"] == "é" * 64 and entry["message"] == "ü" * 1000


@pytest.mark.parametrize(("body", "field"), [
    ({"message": "hi"}, "name"),
    ({"name": "", "message": "hi"}, "name"),
    ({"name": "   ", "message": "hi"}, "name"),
    ({"name": "é" * 65, "message": "hi"}, "name"),
    ({"name": 42, "message": "hi"}, "name"),
    ({"name": "Ada"}, "message"),
    ({"name": "Ada", "message": " \n "}, "message"),
    ({"name": "Ada", "message": "x" * 1001}, "message"),
    ({"name": "Ada", "message": ["hi"]}, "message"),
])
def test_post_rejects_bad_fields(client: httpx.Client, body: dict[str, object],
                                 field: str) -> None:
    """4.3 A bad name or message is a 400 naming it, and nothing is stored."""
    before = total(client)
    assert_error(client.post("/guestbook", json=body), 400, field)
    assert total(client) == before


def test_post_form_rejects_bad_fields(client: httpx.Client) -> None:
    """4.3 The same rules hold for a browser form."""
    before = total(client)
    response = client.post("/guestbook", content=b"name=Ada&message=+++",
                           headers={"content-type": FORM})
    assert_error(response, 400, "message")
    assert total(client) == before


@pytest.mark.parametrize("raw", [b"{not json", b"[1, 2]", b'"a string"', b"\xff\xfe"])
def test_post_rejects_malformed_json(client: httpx.Client, raw: bytes) -> None:
    """4.4 Malformed JSON, or JSON that is not an object, is a 400."""
    before = total(client)
    response = client.post("/guestbook", content=raw,
                           headers={"content-type": "application/json"})
    assert_error(response, 400)
    assert total(client) == before


@pytest.mark.parametrize("content_type", [None, "text/plain", "multipart/form-data; boundary=x"])
def test_post_rejects_other_content_types(client: httpx.Client,
                                          content_type: str | None) -> None:
    """4.5 Any other content type, or none, is a 415."""
    before = total(client)
    headers = {"content-type": content_type} if content_type else {}
    response = client.post("/guestbook", content=b"name=Ada&message=hi", headers=headers)
    assert response.status_code == 415, response.text[:300]
    assert total(client) == before


def test_post_refused_before_its_body(live: Live) -> None:
    """4.5 A 415 sent before the body arrives: the late body is read past, and the same
    connection answers the next request, or the 415 said Connection: close."""
    host, port = live.site.host, live.edition.port
    body = b"name=Ada&message=late"
    head = (f"POST /guestbook HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: text/plain\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode()
    with socket.create_connection((host, port), timeout=10) as sock:
        sock.sendall(head)
        try:
            early = read_response(sock, head=False, timeout=0.5)
        except TimeoutError:
            early = b""  # this server waits for the body before it answers
        sock.sendall(body)
        refused = early or read_response(sock, head=False, timeout=10)
        first = Answer()
        parse(first, refused, head=False)
        assert first.status == 415, refused[:300]
        if "close" in (first.header("connection") or "").lower():
            return
        sock.sendall(f"GET /hello HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode())
        following = Answer()
        parse(following, read_response(sock, head=False, timeout=10), head=False)
    assert following.status == 200 and following.body == b"Hello, World!", following


def padded(size: int) -> bytes:
    body = b'{"name": "Big", "message": "body at the limit"}'
    return body + b" " * (size - len(body))


def test_post_body_limit(client: httpx.Client) -> None:
    """4.6 A body over 64 KiB is a 413 and stores nothing; 64 KiB exactly is fine."""
    before = total(client)
    response = client.post("/guestbook", content=padded(65537),
                           headers={"content-type": "application/json"})
    assert response.status_code == 413, response.text[:300]
    assert total(client) == before
    response = client.post("/guestbook", content=padded(65536),
                           headers={"content-type": "application/json"})
    assert response.status_code == 201, response.text[:300]


def test_concurrent_posts_stored_once(edition: Edition, client: httpx.Client) -> None:
    """4.7 Every accepted entry is stored exactly once, also under concurrent posts."""
    before = total(client)
    messages = [unique(f"concurrent-{i}") for i in range(20)]

    def post(message: str) -> int:
        with httpx.Client(base_url=str(client.base_url), timeout=60, verify=TLS) as own:
            return int(sign(own, "Crowd", message)["id"])

    with ThreadPoolExecutor(max_workers=10) as pool:
        ids = list(pool.map(post, messages))
    assert len(set(ids)) == 20
    assert total(client) == before + 20
    for entry_id, message in zip(ids, messages, strict=True):
        assert client.get(f"/guestbook/{entry_id}").json()["message"] == message
