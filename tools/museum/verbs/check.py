from __future__ import annotations

import argparse
import sys

from museum import generated, layout
from museum.errors import ExitStatus, MuseumError
from museum.site import Site


def run(site: Site, args: argparse.Namespace) -> int:
    timeline = site.timeline
    problems = layout.check(site.root, timeline)
    if problems:
        shown = "\n  ".join(problems)
        raise MuseumError(f"{len(problems)} problem(s) with the exhibits' layout:\n  {shown}")
    generated.require_current(site, generated.files(site))
    print(f"timeline.yaml, {len(timeline.exhibits)} exhibits with {len(timeline.editions)} "
          "editions, and every generated file agree", file=sys.stderr)
    return ExitStatus.OK


def add_arguments(parser: argparse.ArgumentParser) -> None:
    pass
