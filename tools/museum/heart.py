"""The heart of an edition's app: the few lines of its own source that name its era."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from museum.errors import MuseumError
from museum.timeline import Edition


@dataclass(frozen=True)
class Excerpt:
    path: str
    first_line: int
    lines: list[str]

    @property
    def language(self) -> str:
        """The code fence's language, from the file's suffix."""
        suffix = Path(self.path).suffix
        return {".py": "python", ".tac": "python", ".wsgi": "python", ".cgi": "python",
                ".ini": "ini",
                ".conf": "apache", ".ptl": "python", ".psp": "html", ".html": "html",
                ".dtml": "html", ".tpl": "html", ".kid": "xml", ".mako": "mako"}.get(suffix, "")


def excerpt(root: Path, edition: Edition) -> Excerpt:
    relative = f"{edition.folder}/{edition.heart.file}"
    try:
        text = (root / relative).read_text(encoding="utf-8").splitlines()
    except OSError:
        raise MuseumError(f"{edition.id}: heart file {relative} cannot be read") from None
    for index, line in enumerate(text):
        if edition.heart.start in line:
            chosen = text[index:index + edition.heart.lines]
            while chosen and not chosen[-1].strip():
                chosen.pop()
            return Excerpt(relative, index + 1, chosen)
    raise MuseumError(f"{edition.id}: {edition.heart.start!r} is not in {relative}")
