"""The guestbook's plumbing that every exhibit shares: its rules, its SQLite store, its page.

It runs on Python 3.9 (Debian bullseye's, for the asyncio editions of 2014 to 2016) and on.

Only the contract lives here. How a request reaches this code (CGI, WSGI, ASGI, a Resource,
a RequestHandler) is each exhibit's own, written in its era's idiom.
"""

from guestbook.rules import (
    MAX_BODY,
    Entry,
    Invalid,
    check_entry,
    check_paging,
    content_kind,
    error_body,
    whole_number,
)
from guestbook.store import Full, Store

__all__ = [
    "MAX_BODY",
    "Entry",
    "Full",
    "Invalid",
    "Store",
    "check_entry",
    "check_paging",
    "content_kind",
    "error_body",
    "whole_number",
]
