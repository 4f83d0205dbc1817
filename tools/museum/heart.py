"""The heart of an exhibit's app: the few lines of its own source that name its era."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from museum.errors import MuseumError
from museum.timeline import Exhibit


@dataclass(frozen=True)
class Excerpt:
    path: str
    first_line: int
    lines: list[str]


def excerpt(root: Path, exhibit: Exhibit) -> Excerpt:
    if exhibit.heart is None:
        raise MuseumError(f"{exhibit.id} has no `heart` in timeline.yaml")
    relative = f"exhibits/{exhibit.id}/{exhibit.heart.file}"
    source = root / relative
    try:
        text = source.read_text(encoding="utf-8").splitlines()
    except OSError:
        raise MuseumError(f"{exhibit.id}: heart file {relative} cannot be read") from None
    for index, line in enumerate(text):
        if exhibit.heart.start in line:
            chosen = text[index:index + exhibit.heart.lines]
            while chosen and not chosen[-1].strip():
                chosen.pop()
            return Excerpt(relative, index + 1, chosen)
    raise MuseumError(f"{exhibit.id}: {exhibit.heart.start!r} is not in {relative}")
