from __future__ import annotations

import time

import httpx
from museum.timeline import Edition
from support import assert_error, assert_media, lacks, needs


@needs("streaming")
def test_stream_lines_arrive_one_by_one(edition: Edition, client: httpx.Client) -> None:
    """6.1 Each line reaches the client before the next delay."""
    arrivals: list[float] = []
    lines: list[str] = []
    start = time.monotonic()
    with client.stream("GET", "/stream", params={"chunks": "4", "delay_ms": "400"}) as response:
        assert response.status_code == 200
        assert_media(response, "text/plain")
        for line in response.iter_lines():
            arrivals.append(time.monotonic() - start)
            lines.append(line)
    assert lines == [f"chunk {i}/4" for i in range(1, 5)]
    gaps = [later - earlier for earlier, later in zip(arrivals, arrivals[1:], strict=False)]
    assert all(gap >= 0.25 for gap in gaps), f"lines arrived together: {arrivals}"
    assert arrivals[0] < arrivals[-1] - 0.9, f"the first line was held back: {arrivals}"


@needs("streaming")
def test_stream_rejects_bad_parameters(client: httpx.Client) -> None:
    """6.1 Bad chunks or delay_ms is a 400 naming it."""
    assert_error(client.get("/stream", params={"chunks": "0"}), 400, "chunks")
    assert_error(client.get("/stream", params={"chunks": "101"}), 400, "chunks")
    assert_error(client.get("/stream", params={"delay_ms": "5001"}), 400, "delay_ms")


@needs("streaming")
def test_stream_defaults(client: httpx.Client) -> None:
    """6.1 Five lines by default."""
    response = client.get("/stream", params={"delay_ms": "0"})
    assert response.text.splitlines() == [f"chunk {i}/5" for i in range(1, 6)]


@lacks("streaming")
def test_stream_absent_is_404(client: httpx.Client) -> None:
    """6.2 Without the capability, /stream is a 404."""
    assert client.get("/stream").status_code == 404
