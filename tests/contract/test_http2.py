"""12. HTTP/2 (capability `http2`): the contract's core over h2c and over TLS with ALPN, and the
plain HTTP/1.1 answer every other exhibit gives to an h2c upgrade attempt."""

from __future__ import annotations

import asyncio
import re
import socket
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from museum.timeline import Edition
from support import assert_media, lacks, needs, unique

from tests.stage import Live

# The SETTINGS payload curl sends with --http2 (base64url, RFC 7540 section 3.2.1).
HTTP2_SETTINGS = "AAMAAABkAARAAAAAAAIAAAAA"


def tls_url(live: Live) -> str:
    edition = live.edition
    assert edition.tls_port is not None, f"{edition.id} claims http2 but has no tls_port"
    return f"https://{live.site.host}:{live.edition.tls_port}"


@pytest.fixture(params=["h2c", "tls"])
def h2(request: pytest.FixtureRequest, live: Live) -> Iterator[httpx.Client]:
    """An HTTP/2-only client: h2c with prior knowledge on the HTTP port, or TLS where ALPN
    chooses h2 on the TLS port (the certificate is the exhibit's own, self-signed)."""
    base_url = live.base_url if request.param == "h2c" else tls_url(live)
    with httpx.Client(base_url=base_url, http1=False, http2=True, verify=False,
                      timeout=30.0) as client:
        yield client


def h2_get(client: httpx.Client, path: str, **kwargs: Any) -> httpx.Response:
    response = client.get(path, **kwargs)
    assert response.http_version == "HTTP/2", f"{path} answered over {response.http_version}"
    return response


@needs("http2")
def test_http2_hello(h2: httpx.Client) -> None:
    """12.1 h2c (prior knowledge) on the HTTP port and h2 through ALPN on the TLS port."""
    response = h2_get(h2, "/hello/Zo%C3%AB")
    assert response.status_code == 200
    assert_media(response, "text/plain")
    assert response.text == "Hello, Zoë!"
    assert h2_get(h2, "/hello", params={"name": "a b"}).text == "Hello, a b!"


@needs("http2")
def test_http2_alpn_still_offers_http11(live: Live, client: httpx.Client) -> None:
    """12.1 The TLS port offers http/1.1 through ALPN too, to clients without h2."""
    with httpx.Client(base_url=tls_url(live), verify=False, timeout=30.0) as client:
        response = client.get("/hello")
    assert response.http_version == "HTTP/1.1"
    assert response.text == "Hello, World!"


@needs("http2")
def test_http2_inspect_shows_version_2(h2: httpx.Client) -> None:
    """12.2 /inspect over HTTP/2: request.http_version and the ASGI scope's are "2"."""
    probe = unique("probe")
    response = h2_get(h2, "/inspect", headers={"X-Museum-Probe": probe})
    assert response.status_code == 200
    document = response.json()
    request = document["request"]
    assert request["http_version"] == "2", request
    assert request["headers"].get("x-museum-probe") == probe
    wanted_scheme = h2.base_url.scheme
    assert request["scheme"] == wanted_scheme
    native = document["native"]
    assert native.get("http_version") == "2", f"the native scope says {native.get('http_version')}"
    assert native.get("scheme") == wanted_scheme
    assert probe in str(native)


@needs("http2")
def test_http2_guestbook_post_and_read(h2: httpx.Client) -> None:
    """12.3 Signing and reading the guestbook over HTTP/2 (rules 3.1, 3.4, 4.1, 4.5)."""
    name = unique("h2")
    response = h2.post("/guestbook", json={"name": name, "message": "over HTTP/2"})
    assert response.http_version == "HTTP/2"
    assert response.status_code == 201, response.text[:300]
    entry = response.json()
    assert response.headers["location"] == f"/guestbook/{entry['id']}"
    assert h2_get(h2, f"/guestbook/{entry['id']}").json() == entry
    newest = h2_get(h2, "/guestbook", params={"limit": "5"}).json()["entries"]
    assert entry in newest
    assert h2.post("/guestbook", content=b"x", headers={"Content-Type": "text/plain"}
                   ).status_code == 415
    front = h2_get(h2, "/")
    assert front.status_code == 200 and name in front.text


@needs("http2")
def test_http2_stream_lines_arrive_one_by_one(h2: httpx.Client) -> None:
    """12.3 /stream over HTTP/2: each DATA frame reaches the client before the next delay."""
    arrivals: list[float] = []
    lines: list[str] = []
    start = time.monotonic()
    with h2.stream("GET", "/stream", params={"chunks": "4", "delay_ms": "400"}) as response:
        assert response.http_version == "HTTP/2"
        assert response.status_code == 200
        for line in response.iter_lines():
            arrivals.append(time.monotonic() - start)
            lines.append(line)
    assert lines == [f"chunk {i}/4" for i in range(1, 5)]
    gaps = [later - earlier for earlier, later in zip(arrivals, arrivals[1:], strict=False)]
    assert all(gap >= 0.25 for gap in gaps), f"lines arrived together: {arrivals}"


@needs("http2")
def test_http2_multiplexes_on_one_connection(live: Live, client: httpx.Client) -> None:
    """12.3 Ten /slow?ms=500 sent at once on ONE h2c connection all end within about 0.5 s:
    streams are multiplexed, not queued behind each other."""

    async def run() -> tuple[float, set[str]]:
        limits = httpx.Limits(max_connections=1)
        async with httpx.AsyncClient(base_url=live.base_url, http1=False, http2=True,
                                     limits=limits, timeout=30.0) as h2c:
            await h2c.get("/hello")  # open the one connection first
            start = time.monotonic()
            responses = await asyncio.gather(
                *(h2c.get("/slow", params={"ms": "500"}) for _ in range(10)))
            elapsed = time.monotonic() - start
        assert all(r.status_code == 200 for r in responses)
        return elapsed, {r.http_version for r in responses}

    elapsed, versions = asyncio.run(run())
    assert versions == {"HTTP/2"}
    assert elapsed < 1.5, f"ten 500 ms requests on one connection took {elapsed:.2f} s"


def read_response(sock: socket.socket) -> tuple[str, dict[str, str], bytes]:
    """One HTTP/1.x response from a raw socket: status line, headers, body."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status, *lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines:
        key, _, value = line.partition(":")
        headers[key.strip().lower()] = value.strip()
    if "content-length" in headers:
        wanted = int(headers["content-length"])
        while len(body) < wanted:
            chunk = sock.recv(65536)
            if not chunk:
                break
            body += chunk
    elif "chunked" in headers.get("transfer-encoding", "").lower():
        while not body.endswith(b"0\r\n\r\n"):
            chunk = sock.recv(65536)
            if not chunk:
                break
            body += chunk
        body = dechunk(body)
    elif not status.startswith("HTTP/1.1 101"):
        while chunk := sock.recv(65536):
            body += chunk
    return status, headers, body


def dechunk(raw: bytes) -> bytes:
    body = b""
    while raw:
        size_line, _, raw = raw.partition(b"\r\n")
        size = int(size_line.split(b";")[0], 16)
        if size == 0:
            break
        body, raw = body + raw[:size], raw[size + 2:]
    return body


@lacks("http2")
def test_h2c_upgrade_is_answered_with_http11(edition: Edition, live: Live,
                                             client: httpx.Client) -> None:
    """12.4 Without the capability, an h2c upgrade attempt gets an ordinary HTTP/1.1 answer."""
    request = (
        "GET /hello HTTP/1.1\r\n"
        f"Host: {live.site.host}:{edition.port}\r\n"
        "Connection: Upgrade, HTTP2-Settings\r\n"
        "Upgrade: h2c\r\n"
        f"HTTP2-Settings: {HTTP2_SETTINGS}\r\n"
        "\r\n"
    )
    with socket.create_connection((live.site.host, edition.port), timeout=15) as sock:
        sock.sendall(request.encode("ascii"))
        status, headers, body = read_response(sock)
    assert re.match(r"HTTP/1\.1 200\b", status), (
        f"{edition.id} answered {status!r} {headers} to an h2c upgrade attempt")
    assert body == b"Hello, World!", body[:300]
