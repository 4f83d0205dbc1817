"""Server-sent events as the contract spells them."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from guestbook.rules import Entry

CONTENT_TYPE = "text/event-stream"
LISTENING = ": listening for new guestbook entries\n\n"
KEEPALIVE = ": keep-alive\n\n"


def event(entry: Entry) -> str:
    return f"event: entry\nid: {entry.id}\ndata: {entry.to_json()}\n\n"


async def subscribe(listeners: set[asyncio.Queue[Entry]],
                    keepalive: float = 15.0) -> AsyncIterator[str]:
    """One /events stream in a one-process asyncio server: a queue of new entries for this
    listener, in `listeners` while the stream lasts (the framework cancels it on hang-up)."""
    queue: asyncio.Queue[Entry] = asyncio.Queue()
    listeners.add(queue)
    try:
        yield LISTENING
        while True:
            try:
                entry = await asyncio.wait_for(queue.get(), keepalive)
            except asyncio.TimeoutError:  # TimeoutError itself from 3.11 on
                yield KEEPALIVE
            else:
                yield event(entry)
    finally:
        listeners.discard(queue)
