"""An addition to the contract, not part of it: the async pitfalls on the FastAPI exhibit
(CONTRACT.md, "Additions: the async pitfalls")."""

from __future__ import annotations

import re

import httpx
import pytest
from conftest import Live
from museum import pitfalls
from museum.screen import Screen
from museum.timeline import Exhibit
from museum.tour import pitfalls_step
from support import assert_error

only_fastapi = pytest.mark.only(pitfalls.EXHIBIT)


@only_fastapi
def test_blocking_in_async_stalls_the_loop_and_the_others_do_not(live: Live) -> None:
    """A blocking sleep in `async def` stalls quick requests for most of its duration; the
    same in a plain `def`, and `await asyncio.sleep`, stall nothing."""
    found = {m.route: m for m in pitfalls.measure_all(live.base_url, ms=800, quick=4)}
    for measure in found.values():
        assert measure.slow >= 0.8
    assert found["blocking-async"].stall > 0.5, found["blocking-async"]
    assert found["blocking-def"].stall < 0.3, found["blocking-def"]
    assert found["awaiting"].stall < 0.3, found["awaiting"]


@only_fastapi
def test_pitfall_routes_answer_like_slow(client: httpx.Client) -> None:
    """Each pitfall route answers as /slow does, and rejects a bad ms as the contract does."""
    for route in pitfalls.ROUTES:
        response = client.get(f"/pitfalls/{route}", params={"ms": "50"})
        assert response.status_code == 200, response.text[:300]
        body = response.json()
        assert body["ms"] == 50 and isinstance(body["pid"], int) and body["thread"]
        assert_error(client.get(f"/pitfalls/{route}", params={"ms": "soon"}), 400, "ms")


@only_fastapi
def test_tour_pitfalls_step(exhibit: Exhibit, live: Live) -> None:
    screen = Screen(width=80, color=False)
    assert pitfalls_step(screen, exhibit)
    lines = screen.flush().splitlines()
    assert [line for line in lines if "blocking-async" in line and "STALL" in line]
    assert len([line for line in lines if "no stall" in line]) == 2
    assert all(len(line) <= 80 for line in lines)


@only_fastapi
def test_lobby_pitfalls_page(live: Live, lobby: str) -> None:
    """The lobby's /pitfalls page fires the requests from the lobby and shows the numbers."""
    page = httpx.get(f"{lobby}/pitfalls", params={"route": "all"}, timeout=60).text
    stalls = dict(re.findall(r'data-route="([a-z-]+)" data-stall-ms="(\d+)"', page))
    assert set(stalls) == set(pitfalls.ROUTES), page[-2000:]
    assert int(stalls["blocking-async"]) > 500
    assert int(stalls["blocking-def"]) < 300 and int(stalls["awaiting"]) < 300
