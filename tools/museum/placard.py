"""The parts of a PLACARD.md that timeline.yaml owns: its primary sources, and the editions
with their hearts side by side. `museum placards` writes them; `museum check` fails when a
placard differs from what timeline.yaml gives."""

from __future__ import annotations

import re
from pathlib import Path

from museum.errors import MuseumError
from museum.heart import excerpt
from museum.timeline import Edition, Exhibit

SOURCES = ("<!-- sources: generated from timeline.yaml by `museum placards` -->",
           "<!-- end of sources -->")
EDITIONS = ("<!-- editions: generated from timeline.yaml by `museum placards` -->",
            "<!-- end of editions -->")
SOURCES_HEADING = "## 6. Primary sources"
EDITIONS_HEADING = "## 8. Then and now"


def sources_block(exhibit: Exhibit) -> str:
    return "\n".join(f"- {source.title}: <{source.url}>" for source in exhibit.sources)


def edition_block(root: Path, edition: Edition) -> str:
    heart = excerpt(root, edition)
    released = f", released {edition.released}" if edition.released else ""
    facts = [
        f"### {edition.name.capitalize()}: {edition.framework}{released}, "
        f"on Python {edition.python}",
        "",
        f"`docker compose up {edition.id}`, on port {edition.port}: {edition.server}, "
        f"{edition.interface}, {edition.concurrency}.",
        "",
        f"From `{heart.path}`, line {heart.first_line}:",
        "",
        f"```{heart.language}",
        *heart.lines,
        "```",
        "",
        f"What differs from the original: {edition.differs}",
    ]
    if edition.tried:
        facts += ["", f"What was tried first: {edition.tried}"]
    if edition.quirks:
        facts += ["", "Known quirks of the period's server, kept as they are and tested "
                      "(contract rule 13.5):", ""]
        facts += [f"- `{q.case}`: answers `{q.answer}`. {q.reason}" for q in edition.quirks]
    return "\n".join(facts)


def editions_block(root: Path, exhibit: Exhibit) -> str:
    return "\n\n".join(edition_block(root, edition) for edition in exhibit.editions)


def replace_block(text: str, markers: tuple[str, str], body: str, heading: str, *,
                  own_section: bool) -> str:
    """The text with the generated block in place: between its markers, or, the first time,
    as the whole body of its section (`own_section`) or at the end of that section."""
    start, end = markers
    block = f"{start}\n{body}\n{end}\n"
    if start in text and end in text:
        before, _, rest = text.partition(start)
        _, _, after = rest.partition(end + "\n")
        return before + block + after
    if heading not in text:
        return text.rstrip("\n") + f"\n\n{heading}\n\n{block}"
    before, _, rest = text.partition(heading)
    following = re.search(r"^## ", rest, flags=re.MULTILINE)
    section, after = (rest[:following.start()], rest[following.start():]) if following \
        else (rest, "")
    kept = "" if own_section else section.rstrip("\n") + "\n\n"
    return f"{before}{heading}{kept or chr(10) * 2}{block}{chr(10) if after else ''}{after}"


def render(root: Path, exhibit: Exhibit) -> str:
    path = root / exhibit.placard
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        raise MuseumError(f"{exhibit.placard} cannot be read") from None
    text = replace_block(text, SOURCES, sources_block(exhibit), SOURCES_HEADING,
                         own_section=True)
    if exhibit.editions:
        text = replace_block(text, EDITIONS, editions_block(root, exhibit), EDITIONS_HEADING,
                             own_section=False)
    return text
