"""The files timeline.yaml generates, and the one check that they have not drifted from it:
`museum check`, `museum compose --check` and `museum picture --check` all ask here."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from museum import compose, picture, placard, workflow
from museum.errors import MuseumError
from museum.site import Site


@dataclass(frozen=True)
class Generated:
    path: str
    command: str
    render: Callable[[Site], str]

    def current(self, site: Site) -> str:
        target = site.root / self.path
        return target.read_text(encoding="utf-8") if target.is_file() else ""


def files(site: Site) -> list[Generated]:
    found = [
        Generated("compose.yaml", "museum compose", lambda s: compose.render(s.timeline)),
        Generated(picture.TARGET, "museum picture", lambda s: picture.render(s.timeline)),
        Generated(workflow.TARGET, "museum workflow", lambda s: workflow.render(s.timeline)),
    ]
    for exhibit in site.timeline.exhibits:
        found.append(Generated(str(exhibit.placard), "museum placards",
                               lambda s, e=exhibit: placard.render(s.root, e)))  # type: ignore[misc]
    return found


def stale(site: Site, chosen: Sequence[Generated]) -> list[Generated]:
    return [item for item in chosen if item.current(site) != item.render(site)]


def require_current(site: Site, chosen: Sequence[Generated]) -> None:
    """MuseumError naming every file that differs from what timeline.yaml gives."""
    drifted = stale(site, chosen)
    if drifted:
        named = "; ".join(f"{g.path} (run `{g.command}`)" for g in drifted)
        raise MuseumError(f"out of date with timeline.yaml: {named}")


def write(site: Site, chosen: Sequence[Generated]) -> None:
    for item in chosen:
        text = item.render(site)
        if item.current(site) == text:
            continue
        target = site.root / item.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        print(f"wrote {item.path}", file=sys.stderr)


def named(site: Site, command: str) -> list[Generated]:
    return [item for item in files(site) if item.command == command]


def run_verb(site: Site, command: str, *, check: bool) -> int:
    """`museum compose`, `museum picture`, `museum placards`: write, or with --check fail."""
    chosen = named(site, command)
    if check:
        require_current(site, chosen)
        print(f"{', '.join(g.path for g in chosen)}: current", file=sys.stderr)
    else:
        write(site, chosen)
    return 0


def add_check_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--check", action="store_true",
                        help="fail if a file differs from what timeline.yaml gives")
