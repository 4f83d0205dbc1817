from __future__ import annotations

import re
from datetime import UTC, datetime

import httpx
import pytest
from support import assert_error, assert_media, sign, total, unique

RFC3339_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|\+00:00)$")


def test_list_is_newest_first_with_total(client: httpx.Client) -> None:
    """3.1 {"entries": [...], "total": n}, newest first, at most limit entries."""
    posted = [sign(client, "Grace", unique(f"list-{i}")) for i in range(3)]
    response = client.get("/guestbook", params={"limit": "2"})
    assert response.status_code == 200
    assert_media(response, "application/json", charset=None)
    body = response.json()
    assert set(body) == {"entries", "total"}
    assert body["total"] >= 3
    assert [e["id"] for e in body["entries"]] == [posted[2]["id"], posted[1]["id"]]


def test_entry_shape(client: httpx.Client) -> None:
    """3.2 Entries are {id, name, message, created} with created in RFC 3339 UTC."""
    entry = sign(client, "Guido", unique("shape"))
    listed = client.get("/guestbook", params={"limit": "1"}).json()["entries"][0]
    for candidate in (entry, listed):
        assert set(candidate) == {"id", "name", "message", "created"}
        assert isinstance(candidate["id"], int) and not isinstance(candidate["id"], bool)
        assert isinstance(candidate["name"], str) and isinstance(candidate["message"], str)
        assert RFC3339_UTC.match(candidate["created"]), candidate["created"]
        created = datetime.fromisoformat(candidate["created"].replace("Z", "+00:00"))
        assert abs((datetime.now(UTC) - created).total_seconds()) < 300
    assert listed == entry


def test_paging_defaults_and_offset(client: httpx.Client) -> None:
    """3.3 limit defaults to 20; offset skips the newest entries."""
    while total(client) < 21:
        sign(client, "Filler", unique("filler"))
    default = client.get("/guestbook").json()
    assert len(default["entries"]) == 20
    first_two = client.get("/guestbook", params={"limit": "2"}).json()["entries"]
    second = client.get("/guestbook", params={"limit": "1", "offset": "1"}).json()["entries"]
    assert second == first_two[1:]
    full = client.get("/guestbook", params={"limit": "100"}).json()
    assert len(full["entries"]) == min(100, full["total"])


@pytest.mark.parametrize(("field", "value"), [
    ("limit", "0"), ("limit", "101"), ("limit", "abc"), ("limit", "-1"), ("limit", "1.5"),
    ("limit", ""), ("offset", "-1"), ("offset", "x"),
])
def test_paging_rejects_bad_values(client: httpx.Client, field: str, value: str) -> None:
    """3.3 A bad limit or offset is a 400 naming the field."""
    assert_error(client.get("/guestbook", params={field: value}), 400, field)


def test_entry_by_id(client: httpx.Client) -> None:
    """3.4 GET /guestbook/{id} gives the entry, or a 404."""
    entry = sign(client, "Linus", unique("by-id"))
    response = client.get(f"/guestbook/{entry['id']}")
    assert response.status_code == 200
    assert_media(response, "application/json", charset=None)
    assert response.json() == entry
    assert_error(client.get("/guestbook/987654321"), 404)
    assert client.get("/guestbook/not-a-number").status_code == 404
