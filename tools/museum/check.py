from __future__ import annotations

import argparse
import sys

from museum.compose import render
from museum.errors import ExitStatus, MuseumError
from museum.heart import excerpt
from museum.paths import repo_root
from museum.picture import TARGET
from museum.picture import render as picture
from museum.timeline import load_default


def main(args: argparse.Namespace) -> ExitStatus:
    root = repo_root()
    timeline = load_default(check_folders=True)
    for exhibit in timeline.exhibits:
        placard = root / "exhibits" / exhibit.id / "PLACARD.md"
        if not placard.is_file():
            raise MuseumError(f"exhibits/{exhibit.id}: no PLACARD.md")
    listed = {e.id for e in timeline.exhibits}
    for folder in sorted((root / "exhibits").iterdir()):
        if folder.is_dir() and folder.name not in listed:
            raise MuseumError(f"exhibits/{folder.name} is not in timeline.yaml")
    compose_file = root / "compose.yaml"
    if not compose_file.exists() or compose_file.read_text() != render(timeline):
        raise MuseumError("compose.yaml is out of date with timeline.yaml: run `museum compose`")
    picture_file = root / TARGET
    if not picture_file.exists() or picture_file.read_text() != picture(timeline):
        raise MuseumError(f"{TARGET} is out of date with timeline.yaml: run `museum picture`")
    for exhibit in timeline.runnable:
        if exhibit.heart is None:
            raise MuseumError(f"{exhibit.id} has no `heart` in timeline.yaml (the tour shows it)")
        excerpt(root, exhibit)
    print(f"timeline.yaml, {len(timeline.exhibits)} exhibit folders, compose.yaml and "
          f"{TARGET} agree",
          file=sys.stderr)
    return ExitStatus.OK
