from __future__ import annotations

import argparse

from museum import burst
from museum.errors import ExitStatus
from museum.live import require_answering
from museum.screen import Screen
from museum.site import Site
from museum.swimlane import render_text


def run(site: Site, args: argparse.Namespace) -> int:
    edition = site.timeline.edition(args.id)
    url = require_answering(site, edition)
    width = Screen(width=args.width).width
    print("\n".join(render_text(burst.fire(edition.id, url, args.concurrency, args.ms), width)))
    return ExitStatus.OK


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id", metavar="ID", help="a running exhibit or edition")
    parser.add_argument("--concurrency", "-n", type=int, default=8)
    parser.add_argument("--ms", type=int, default=300)
    parser.add_argument("--width", type=int, help="columns (default: the terminal's)")
