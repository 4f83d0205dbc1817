from __future__ import annotations

from collections import Counter

from tests.stage import ROOT


def test_test_modules_have_unique_names() -> None:
    """The test folders are not packages: pytest imports each module by its bare name."""
    names = Counter(path.name for path in (ROOT / "tests").rglob("test_*.py"))
    assert [name for name, count in names.items() if count > 1] == []
