"""Server-sent events as the contract spells them."""

from __future__ import annotations

from guestbook.rules import Entry

CONTENT_TYPE = "text/event-stream"
LISTENING = ": listening for new guestbook entries\n\n"
KEEPALIVE = ": keep-alive\n\n"


def event(entry: Entry) -> str:
    return f"event: entry\nid: {entry.id}\ndata: {entry.to_json()}\n\n"
