from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from guestbook.store import Store


def test_add_get_page(tmp_path: Path) -> None:
    store = Store(tmp_path / "g.sqlite3")
    first = store.add("Ada", "one")
    second = store.add("Zoë", "two")
    assert store.get(first.id) == first and store.get(999) is None
    entries, total = store.page(limit=1, offset=0)
    assert entries == [second] and total == 2
    assert store.page(limit=5, offset=1)[0] == [first]
    assert store.after(first.id) == [second] and store.last_id() == second.id
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", first.created)


def test_entries_survive_a_new_store_and_concurrent_writers(tmp_path: Path) -> None:
    path = tmp_path / "g.sqlite3"
    with ThreadPoolExecutor(8) as pool:
        ids = list(pool.map(lambda i: Store(path).add("n", str(i)).id, range(40)))
    assert len(set(ids)) == 40
    assert Store(path).page(100, 0)[1] == 40
