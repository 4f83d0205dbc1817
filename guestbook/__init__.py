"""The guestbook's plumbing that every exhibit shares: its rules, its SQLite store, its page.

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
