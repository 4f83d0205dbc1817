"""The tour's and the lobby's async pitfalls, live on the edition that shows them."""

from __future__ import annotations

import re

import httpx
import pytest
from museum import pitfalls
from museum.screen import Screen
from museum.timeline import Edition
from museum.verbs.tour import pitfalls_step

from tests.stage import Live

only_fastapi = pytest.mark.addition("pitfalls")


@only_fastapi
def test_tour_pitfalls_step(edition: Edition, live: Live) -> None:
    screen = Screen(width=80, color=False)
    assert pitfalls_step(screen, live.site, edition)
    lines = screen.flush().splitlines()
    assert [line for line in lines if "blocking-async" in line and "STALL" in line]
    assert len([line for line in lines if "no stall" in line]) == 2
    assert all(len(line) <= 80 for line in lines)


@only_fastapi
def test_lobby_pitfalls_page(edition: Edition, live: Live, lobby: str) -> None:
    """The lobby's /pitfalls page fires the requests from the lobby and shows the numbers."""
    page = httpx.get(f"{lobby}/pitfalls", params={"route": "all"}, timeout=60).text
    stalls = dict(re.findall(r'data-route="([a-z-]+)" data-stall-ms="(\d+)"', page))
    assert set(stalls) == set(pitfalls.ROUTES), page[-2000:]
    assert int(stalls["blocking-async"]) > 500
    assert int(stalls["blocking-def"]) < 300 and int(stalls["awaiting"]) < 300
