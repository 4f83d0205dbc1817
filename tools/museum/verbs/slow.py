from __future__ import annotations

import argparse
import json
from dataclasses import asdict

from museum import burst
from museum.errors import ExitStatus
from museum.live import require_answering
from museum.site import Site


def run(site: Site, args: argparse.Namespace) -> int:
    edition = site.timeline.edition(args.id)
    url = require_answering(site, edition)
    result = burst.fire(edition.id, url, args.concurrency, args.ms)
    if args.json:
        document = {**asdict(result), "processes": result.processes, "threads": result.threads}
        print(json.dumps(document, indent=2))
    else:
        print(burst.report(result))
    return ExitStatus.OK


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id", metavar="ID", help="a running exhibit or edition")
    parser.add_argument("--concurrency", "-n", type=int, default=20)
    parser.add_argument("--ms", type=int, default=500)
    parser.add_argument("--json", action="store_true")
