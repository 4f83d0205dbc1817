"""The guestbook in SQLite on the exhibit's volume, safe across processes and threads."""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

from guestbook.rules import Entry

DEFAULT_PATH = Path(os.environ.get("GUESTBOOK_DB", "/data/guestbook.sqlite3"))

SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    message TEXT NOT NULL,
    created TEXT NOT NULL
)
"""
JOURNAL = "DELETE"
INSERT = "INSERT INTO entries (name, message, created) VALUES (?, ?, ?)"
SELECT_ONE = "SELECT id, name, message, created FROM entries WHERE id = ?"
SELECT_PAGE = ("SELECT id, name, message, created FROM entries "
               "ORDER BY id DESC LIMIT ? OFFSET ?")
SELECT_AFTER = "SELECT id, name, message, created FROM entries WHERE id > ? ORDER BY id"
COUNT = "SELECT COUNT(*) FROM entries"
LAST_ID = "SELECT COALESCE(MAX(id), 0) FROM entries"


class Full(Exception):
    """The store cannot write: its disk is full. A 507 for the client; nothing stored is lost."""


def now() -> str:
    """RFC 3339 in UTC, to the millisecond."""
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def entry(row: tuple[int, str, str, str]) -> Entry:
    return Entry(int(row[0]), row[1], row[2], row[3])


class Store:
    """One short connection per call: simple, and right for CGI's process per request."""

    def __init__(self, path: Path | str = DEFAULT_PATH) -> None:
        self.path = Path(path)
        db = self._connect()
        try:
            # A rollback journal, not WAL: with connections this short, WAL's shared-memory
            # file is made anew by each one, and on a full disk that fails with an I/O error,
            # reads included. A rollback journal fails a write with SQLITE_FULL, reads go on.
            db.execute(f"PRAGMA journal_mode={JOURNAL}")
            db.execute(SCHEMA)
        finally:
            db.close()

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=10.0, isolation_level=None)
        db.execute("PRAGMA busy_timeout = 10000")
        return db

    def add(self, name: str, message: str) -> Entry:
        created = now()
        db = self._connect()
        try:
            cursor = db.execute(INSERT, (name, message, created))
        except sqlite3.OperationalError as error:
            # SQLITE_FULL and sqlite_errorcode are Python 3.11's; 3.9 has only the message
            if "database or disk is full" in str(error) or \
                    getattr(error, "sqlite_errorcode", None) == getattr(sqlite3, "SQLITE_FULL", 13):
                raise Full("the guestbook's storage is full") from None
            raise
        finally:
            db.close()
        assert cursor.lastrowid is not None
        return Entry(cursor.lastrowid, name, message, created)

    def get(self, entry_id: int) -> Entry | None:
        if not 0 < entry_id < 2**63:  # SQLite's integers; a larger id would overflow, not miss
            return None
        db = self._connect()
        try:
            row = db.execute(SELECT_ONE, (entry_id,)).fetchone()
        finally:
            db.close()
        return entry(row) if row else None

    def page(self, limit: int, offset: int) -> tuple[list[Entry], int]:
        db = self._connect()
        try:
            rows = db.execute(SELECT_PAGE, (limit, offset)).fetchall()
            total = int(db.execute(COUNT).fetchone()[0])
        finally:
            db.close()
        return [entry(row) for row in rows], total

    def after(self, entry_id: int) -> list[Entry]:
        db = self._connect()
        try:
            return [entry(row) for row in db.execute(SELECT_AFTER, (entry_id,)).fetchall()]
        finally:
            db.close()

    def last_id(self) -> int:
        db = self._connect()
        try:
            return int(db.execute(LAST_ID).fetchone()[0])
        finally:
            db.close()
