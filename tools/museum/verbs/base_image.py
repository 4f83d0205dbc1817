from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from museum import standin
from museum.docker import image_exists, require_engine
from museum.errors import ExitStatus, MuseumError
from museum.site import BASES, Site


def run(site: Site, args: argparse.Namespace) -> int:
    require_engine()
    chosen = [b for b in BASES if args.base in (b.name, "all")]
    for base in chosen:
        tag = base.stand_in
        if args.rebuild or not image_exists(tag):
            if os.geteuid() != 0:
                raise MuseumError("debootstrap needs root: run `sudo museum base-image`")
            standin.build(base, tag, args.mirror or standin.host_mirror(), Path(args.ca_bundle))
        else:
            print(f"{tag} exists; --rebuild makes it anew", file=sys.stderr)
        if not args.no_env_file:
            standin.write_env_file(site.root / ".env", base.variable, tag)
        print(f"{base.variable}={tag}")
    return ExitStatus.OK


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--base", choices=("all", *(b.name for b in BASES)), default="all",
                        help="which stand-in: bookworm (Python 3.11, the now editions), "
                             "bullseye (Python 2.7, the then editions), or all (default)")
    parser.add_argument("--rebuild", action="store_true", help="build even if the tag exists")
    parser.add_argument("--mirror", help="Debian mirror (default: the host's)")
    parser.add_argument("--ca-bundle", default=str(standin.HOST_CA_BUNDLE),
                        help="CA bundle to copy in")
    parser.add_argument("--no-env-file", action="store_true",
                        help="do not record the tags in the project's .env")
