from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from museum.lobby import ROUTES, Lobby
from museum.site import Site

from tests.unit.conftest import museum_with_server


def get(app: Lobby, path: str, query: str = "") -> tuple[str, str]:
    seen: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        seen["status"] = status

    body = b"".join(app({"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": query},
                        start_response))
    return seen["status"], body.decode()


@pytest.fixture
def lobby(museum_root: Path, exhibit_server: int) -> Iterator[Lobby]:
    """The lobby of the fake museum, its then edition answering, its now edition down."""
    museum_with_server(museum_root, then=exhibit_server)
    site = Site(root=museum_root, environ={}, host="127.0.0.1")
    yield Lobby(site, "host", "127.0.0.1")


def test_the_timeline_shows_each_edition_with_its_health(lobby: Lobby) -> None:
    status, page = get(lobby, "/")
    assert status == "200 OK"
    assert 'data-edition="cgi-1991"><span class="tag">then</span> ' \
           '<span class="health up" data-health="up">' in page
    assert 'data-edition="cgi-1991-now"><span class="tag">now</span> ' \
           '<span class="health down" data-health="down">' in page
    assert "CGI script Python 2.7 on Python 2.7.18" in page
    assert 'href="/editions/cgi-1991"' in page


def test_then_and_now_side_by_side(lobby: Lobby) -> None:
    status, page = get(lobby, "/editions/cgi-1991")
    assert status == "200 OK"
    assert page.count('<pre class="heart">def respond(body):') == 2
    assert "exhibits/cgi-1991/then/app/museum.py" in page
    assert "exhibits/cgi-1991/now/app/museum.py" in page
    assert "<strong>SERVER_SOFTWARE</strong>: Apache/2.4" in page  # then answered
    assert "cgi-1991-now is not running" in page                   # now did not


def test_names_in_paths_are_looked_up_not_trusted(lobby: Lobby) -> None:
    for path in ("/editions/nope-2000", "/placard/../timeline.yaml", "/map/cgi-1991/x",
                 "/nothing", "/bench/../../etc/passwd"):
        assert get(lobby, path)[0] == "404 Not Found", path
    assert get(lobby, "/placard/cgi-1991")[0] == "200 OK"


def test_routes_are_one_table() -> None:
    paths = [route.path for route in ROUTES]
    assert len(paths) == len(set(paths))
    assert {"/", "/compare", "/hello", "/editions/", "/map/", "/placard/", "/bench"} <= set(paths)


def test_only_get_and_head(lobby: Lobby) -> None:
    seen: dict[str, Any] = {}
    lobby({"REQUEST_METHOD": "POST", "PATH_INFO": "/", "QUERY_STRING": ""},
          lambda status, headers: seen.update(status=status, headers=dict(headers)))
    assert seen["status"].startswith("405") and seen["headers"]["Allow"] == "GET, HEAD"


def test_health_is_asked_of_every_edition(lobby: Lobby) -> None:
    assert get(lobby, "/health.json")[1] == '{"cgi-1991": true, "cgi-1991-now": false}'
