from __future__ import annotations

import argparse

from museum.docker import Docker, require_engine
from museum.errors import ExitStatus
from museum.site import Site


def run(site: Site, args: argparse.Namespace) -> int:
    require_engine()
    docker = Docker.for_site(site)
    if args.ids:
        docker.remove([site.timeline.edition(i).id for i in args.ids])
    else:
        docker.down()
    return ExitStatus.OK


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("ids", nargs="*", metavar="ID",
                        help="exhibits or editions (default: the whole museum)")
