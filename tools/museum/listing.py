from __future__ import annotations

import argparse
import json

from museum.errors import ExitStatus
from museum.timeline import as_plain, load_default

COLUMNS = ("year", "id", "server", "interface", "concurrency", "port", "capabilities")


def main(args: argparse.Namespace) -> ExitStatus:
    timeline = load_default(check_folders=False)
    if args.json:
        print(json.dumps(as_plain(timeline), indent=2, ensure_ascii=False))
        return ExitStatus.OK
    rows: list[tuple[str, ...]] = [tuple(c.upper() for c in COLUMNS)]
    for era in timeline.eras:
        for e in (x for x in timeline.exhibits if x.era == era.id):
            port = str(e.port) if e.runnable else "-"
            capabilities = ", ".join(sorted(e.capabilities)) or "-"
            if not e.runnable:
                capabilities = "not runnable"
            rows.append((str(e.year), e.id, str(e.server), e.interface, e.concurrency, port,
                         capabilities))
    order = {e.id: i for i, e in enumerate(timeline.exhibits)}
    body = sorted(rows[1:], key=lambda row: order[row[1]])
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS))]
    for row in (rows[0], *body):
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
    return ExitStatus.OK


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="the whole manifest as JSON")
