from __future__ import annotations

import time

import httpx
import pytest
from support import unique

from tests.stage import Live


def test_boom_is_a_quiet_500(live: Live, client: httpx.Client) -> None:
    """10.1 /boom: a short 500 without traceback; the traceback goes to the log."""
    since = time.time() - 1
    response = client.get("/boom")
    assert response.status_code == 500
    assert len(response.content) < 4096
    assert "Traceback" not in response.text and 'File "' not in response.text
    deadline = time.monotonic() + 10
    while "Traceback" not in live.logs_since(since):
        assert time.monotonic() < deadline, "no traceback in the container's log"
        time.sleep(0.5)
    assert client.get("/hello").status_code == 200


def test_unknown_path_is_404(client: httpx.Client) -> None:
    """10.2 An unknown path is a 404."""
    assert client.get(f"/{unique('no-such-exhibit-room')}").status_code == 404


@pytest.mark.parametrize(("method", "path", "allowed"), [
    ("POST", "/hello/x", {"GET"}),
    ("DELETE", "/guestbook", {"GET", "POST"}),
    ("PUT", "/inspect", {"GET"}),
])
def test_wrong_method_is_405_with_allow(client: httpx.Client, method: str, path: str,
                                        allowed: set[str]) -> None:
    """10.3 A known path with a wrong method is a 405 listing the allowed methods."""
    response = client.request(method, path)
    assert response.status_code == 405, response.text[:300]
    listed = {m.strip().upper() for m in response.headers.get("allow", "").split(",")}
    assert allowed <= listed, f"Allow: {response.headers.get('allow')!r}"
    assert method not in listed


@pytest.mark.parametrize("path", ["/", "/hello/x", "/guestbook"])
def test_head_is_get_without_body(client: httpx.Client, path: str) -> None:
    """10.4 HEAD answers like GET, without a body."""
    got = client.get(path)
    head = client.head(path)
    assert head.status_code == got.status_code == 200
    assert head.content == b""
    assert head.headers.get("content-type") == got.headers.get("content-type")


def test_every_response_has_a_content_type(client: httpx.Client) -> None:
    """10.5 Every response has a Content-Type."""
    responses = [
        client.get("/"), client.get("/hello"), client.get("/guestbook"),
        client.get("/guestbook/987654321"), client.get("/inspect"), client.get("/slow"),
        client.get("/no-such-page"), client.post("/hello/x"),
        client.get("/guestbook", params={"limit": "0"}),
        client.post("/guestbook", content=b"x", headers={"content-type": "text/plain"}),
        client.get("/boom"),
    ]
    missing = [(r.request.method, r.request.url.path, r.status_code)
               for r in responses if not r.headers.get("content-type")]
    assert not missing, f"no Content-Type on {missing}"
