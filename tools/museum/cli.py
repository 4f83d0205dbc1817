"""`museum`: one verb per module, each `main(args) -> ExitStatus`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from types import ModuleType

from museum import (
    base_image,
    bench,
    check,
    compose,
    listing,
    lobby,
    picture,
    pitfalls,
    slow,
    swimlane,
    tour,
    updown,
)
from museum.errors import ExitStatus, MuseumError

VERBS: dict[str, tuple[ModuleType, str]] = {
    "list": (listing, "the timeline as a table"),
    "check": (check, "manifest, exhibit folders and compose.yaml agree"),
    "compose": (compose, "write compose.yaml from timeline.yaml"),
    "picture": (picture, "draw the timeline as docs/timeline.svg"),
    "base-image": (base_image, "build the stand-in base image where no registry is reachable"),
    "up": (updown, "build, start and wait for exhibits"),
    "down": (updown, "stop the museum's containers"),
    "tour": (tour, "walk the timeline on stage, with live requests"),
    "lobby": (lobby, "serve the lobby: the timeline as a web page"),
    "slow": (slow, "fire concurrent /slow requests at a running exhibit"),
    "map": (swimlane, "draw which process and thread answered concurrent /slow requests"),
    "pitfalls": (pitfalls, "show the async pitfalls live on the FastAPI exhibit"),
    "bench": (bench, "benchmark every exhibit from inside the network, against a baseline"),
}


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="museum", description="The Python Web Museum.")
    verbs = top.add_subparsers(dest="verb", required=True, metavar="VERB")
    for name, (module, summary) in VERBS.items():
        sub = verbs.add_parser(name, help=summary, description=summary)
        adder = getattr(module, f"add_{name.replace('-', '_')}_arguments", None)
        adder = adder or getattr(module, "add_arguments", None)
        if adder:
            adder(sub)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    module, _ = VERBS[args.verb]
    entry = getattr(module, f"{args.verb.replace('-', '_')}_main", None) or module.main
    try:
        return int(entry(args))
    except MuseumError as error:
        print(f"museum {args.verb}: {error}", file=sys.stderr)
        return ExitStatus.ERROR
    except KeyboardInterrupt:
        print(f"museum {args.verb}: interrupted", file=sys.stderr)
        return 130
