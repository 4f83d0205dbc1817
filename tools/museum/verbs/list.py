from __future__ import annotations

import argparse
import json

from museum.errors import ExitStatus
from museum.site import Site
from museum.timeline import as_plain

COLUMNS = ("year", "id", "edition", "python", "framework", "server", "interface", "concurrency",
           "port", "capabilities")


def rows(site: Site) -> list[tuple[str, ...]]:
    found: list[tuple[str, ...]] = []
    for exhibit in site.timeline.exhibits:
        if not exhibit.runnable:
            found.append((str(exhibit.year), exhibit.id, "-", "-", "-", "-", "-", "-", "-",
                          "not runnable"))
        for e in exhibit.editions:
            found.append((str(exhibit.year), e.id, e.name, e.python, str(e.framework),
                          str(e.server), e.interface, e.concurrency, str(e.port),
                          ", ".join(sorted(e.capabilities)) or "-"))
    return found


def run(site: Site, args: argparse.Namespace) -> int:
    if args.json:
        print(json.dumps(as_plain(site.timeline), indent=2, ensure_ascii=False))
        return ExitStatus.OK
    if args.services:
        print("\n".join(e.id for e in site.timeline.editions))
        return ExitStatus.OK
    table = [tuple(c.upper() for c in COLUMNS), *rows(site)]
    widths = [max(len(row[i]) for row in table) for i in range(len(COLUMNS))]
    for row in table:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
    return ExitStatus.OK


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="the whole manifest as JSON")
    parser.add_argument("--services", action="store_true",
                        help="the editions' Compose services, one a line (for scripts)")
