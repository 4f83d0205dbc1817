from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from museum.docker import Docker, require_engine
from museum.errors import ExitStatus
from museum.site import Site
from museum.timeline import Edition


def chosen(site: Site, ids: Sequence[str], editions: str) -> list[Edition]:
    """The editions named (an exhibit's id names the edition it serves), or every edition of
    the timeline, the `then` ones (the default), the `now` ones or both."""
    timeline = site.timeline
    if ids:
        return [timeline.edition(i) for i in ids]
    if editions == "all":
        return list(timeline.editions)
    if editions == "now":
        return [e.edition("now") or e.main for e in timeline.runnable]
    return [e.main for e in timeline.runnable]


def run(site: Site, args: argparse.Namespace) -> int:
    require_engine()
    docker = Docker.for_site(site)
    print(f"Compose {docker.version}: {' '.join(docker.command)}", file=sys.stderr)
    editions = chosen(site, args.ids, args.editions)
    docker.up(editions, build=not args.no_build)
    if not args.ids:
        docker.compose(["up", "-d", *(["--no-build"] if args.no_build else []), "lobby"])
        print(f"{'lobby':<20} http://{site.host}:{site.timeline.lobby_port}/")
    for edition in editions:
        print(f"{edition.id:<20} {site.url(edition)}/  {edition.label}")
    return ExitStatus.OK


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("ids", nargs="*", metavar="ID",
                        help="exhibits or editions (default: every exhibit, and the lobby)")
    parser.add_argument("--editions", choices=("then", "now", "all"), default="then",
                        help="without IDs: each exhibit's own edition (then, the default), "
                             "today's, or both")
    parser.add_argument("--no-build", action="store_true", help="use the images already built")
