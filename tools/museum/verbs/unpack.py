from __future__ import annotations

import argparse
from pathlib import Path

from museum import pack
from museum.docker import require_engine
from museum.errors import ExitStatus
from museum.site import Site


def run(site: Site, args: argparse.Namespace) -> int:
    require_engine()
    manifest = pack.unpack(site, Path(args.file))
    editions = [i.edition for i in manifest.images if i.role == "edition"]
    print(f"loaded {len(manifest.images)} images, each as the manifest says; "
          f"`museum up --no-build {' '.join(editions)}` needs no network")
    return ExitStatus.OK


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="a pack `museum pack` wrote")
