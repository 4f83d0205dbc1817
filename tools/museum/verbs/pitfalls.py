from __future__ import annotations

import argparse

from museum import pitfalls
from museum.errors import ExitStatus, MuseumError
from museum.live import require_answering
from museum.site import Site


def run(site: Site, args: argparse.Namespace) -> int:
    having = site.timeline.with_addition("pitfalls")
    if not having:
        raise MuseumError("no edition in timeline.yaml has the pitfalls addition")
    edition = site.timeline.edition(args.id) if args.id else having[0]
    if edition not in having:
        raise MuseumError(f"{edition.id} has no /pitfalls routes (only "
                          f"{', '.join(e.id for e in having)})")
    url = require_answering(site, edition)
    print(pitfalls.report(edition.id, pitfalls.measure_all(url, args.ms, args.quick)))
    return ExitStatus.OK


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id", metavar="ID", nargs="?",
                        help="a running edition with the /pitfalls routes (default: the one "
                             "timeline.yaml names)")
    parser.add_argument("--ms", type=int, default=800, help="how long the slow request sleeps")
    parser.add_argument("--quick", type=int, default=4,
                        help="quick /hello requests spread over its duration")
