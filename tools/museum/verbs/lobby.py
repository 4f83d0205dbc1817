from __future__ import annotations

import argparse
import contextlib
import sys
from wsgiref.simple_server import make_server

from museum.errors import ExitStatus
from museum.lobby import Lobby, QuietHandler, ThreadingWSGIServer
from museum.site import Site


def run(site: Site, args: argparse.Namespace) -> int:
    reach = args.reach or site.environ.get("MUSEUM_LOBBY_REACH", "host")
    public = args.public_host or site.environ.get("MUSEUM_PUBLIC_HOST", "127.0.0.1")
    app = Lobby(site, reach, public)
    server = make_server(args.host, args.port, app, ThreadingWSGIServer, QuietHandler)
    print(f"the lobby at http://{args.host}:{args.port}/", file=sys.stderr, flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()
    return ExitStatus.OK


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8100)
    parser.add_argument("--reach", choices=("host", "service"),
                        help="reach exhibits on published ports, or by Compose service name "
                             "(default: $MUSEUM_LOBBY_REACH, else host)")
    parser.add_argument("--public-host",
                        help="the host in links to exhibits for the visitor's browser "
                             "(default: $MUSEUM_PUBLIC_HOST, else 127.0.0.1)")
