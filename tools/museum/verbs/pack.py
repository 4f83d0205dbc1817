from __future__ import annotations

import argparse
from pathlib import Path

from museum import pack
from museum.docker import require_engine
from museum.errors import ExitStatus
from museum.site import Site


def run(site: Site, args: argparse.Namespace) -> int:
    require_engine()
    timeline = site.timeline
    editions = [timeline.edition(i) for i in args.only] if args.only else list(timeline.editions)
    out = Path(args.out)
    manifest = pack.pack(site, editions, out, everything=not args.only)
    print(f"{out}: {len(manifest.images)} images, {out.stat().st_size / 2**30:.2f} GiB; on the "
          f"stage: `museum unpack {out}`, then `museum up --no-build`")
    return ExitStatus.OK


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", default="museum-images.tar", help="the file to write")
    parser.add_argument("--only", nargs="+", metavar="ID",
                        help="these exhibits or editions only, without the lobby, the bench "
                             "and the base images (default: the whole museum)")
