"""An addition to the contract, not part of it: the async pitfalls on the edition that shows them
(CONTRACT.md, "Additions: the async pitfalls")."""

from __future__ import annotations

import httpx
import pytest
from museum import pitfalls
from museum.timeline import Edition
from support import assert_error

from tests.stage import Live

only_fastapi = pytest.mark.addition("pitfalls")


@only_fastapi
def test_blocking_in_async_stalls_the_loop_and_the_others_do_not(edition: Edition,
                                                                 live: Live) -> None:
    """A blocking sleep in `async def` stalls quick requests for most of its duration; the
    same in a plain `def`, and `await asyncio.sleep`, stall nothing."""
    found = {m.route: m for m in pitfalls.measure_all(live.base_url, ms=800, quick=4)}
    for measure in found.values():
        assert measure.slow >= 0.8
    assert found["blocking-async"].stall > 0.5, found["blocking-async"]
    assert found["blocking-def"].stall < 0.3, found["blocking-def"]
    assert found["awaiting"].stall < 0.3, found["awaiting"]


@only_fastapi
def test_pitfall_routes_answer_like_slow(edition: Edition, client: httpx.Client) -> None:
    """Each pitfall route answers as /slow does, and rejects a bad ms as the contract does."""
    for route in pitfalls.ROUTES:
        response = client.get(f"/pitfalls/{route}", params={"ms": "50"})
        assert response.status_code == 200, response.text[:300]
        body = response.json()
        assert body["ms"] == 50 and isinstance(body["pid"], int) and body["thread"]
        assert_error(client.get(f"/pitfalls/{route}", params={"ms": "soon"}), 400, "ms")
