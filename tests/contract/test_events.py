from __future__ import annotations

import json
import time
from collections.abc import Iterator

import httpx
from museum.timeline import Edition
from support import assert_media, lacks, needs, sign, unique

from tests.stage import TLS


def blocks(lines: Iterator[str], deadline: float) -> Iterator[list[str]]:
    """Server-sent event blocks: the lines between blank lines."""
    block: list[str] = []
    for line in lines:
        if time.monotonic() > deadline:
            raise AssertionError(f"no complete event in time; partial block {block}")
        if line == "":
            if block:
                yield block
            block = []
        else:
            block.append(line)


def fields(block: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for line in block:
        if not line.startswith(":"):
            key, _, value = line.partition(":")
            found[key] = value[1:] if value.startswith(" ") else value
    return found


@needs("sse")
def test_events_announce_new_entries(edition: Edition, client: httpx.Client) -> None:
    """8.1 After the opening comment, each new entry arrives as one event."""
    deadline = time.monotonic() + 20
    with client.stream("GET", "/events", timeout=httpx.Timeout(30, read=15)) as response:
        assert response.status_code == 200
        assert_media(response, "text/event-stream", charset=None)
        events = blocks(response.iter_lines(), deadline)
        opening = next(events)
        assert all(line.startswith(":") for line in opening), opening
        with httpx.Client(base_url=str(client.base_url), timeout=30, verify=TLS) as other:
            posted = [sign(other, "Herald", unique(f"event-{i}")) for i in range(2)]
        received = []
        for block in events:
            if all(line.startswith(":") for line in block):
                continue
            received.append(fields(block))
            if len(received) == 2:
                break
    for event, entry in zip(received, posted, strict=True):
        assert event["event"] == "entry"
        assert event["id"] == str(entry["id"])
        assert json.loads(event["data"]) == entry


@lacks("sse")
def test_events_absent_is_404(client: httpx.Client) -> None:
    """8.2 Without the capability, /events is a 404."""
    assert client.get("/events").status_code == 404
