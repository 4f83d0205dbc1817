"""`museum VERB`: the verbs in one table, each a module of museum.verbs named after it, with
`add_arguments(parser)` and `run(site, args) -> int`."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from museum.errors import ExitStatus, MuseumError
from museum.site import Site


@dataclass(frozen=True)
class Verb:
    name: str
    module: str
    help: str

    def load(self) -> ModuleType:
        return importlib.import_module(f"museum.verbs.{self.module}")


VERBS = (
    Verb("list", "list", "the timeline as a table, one row per edition"),
    Verb("check", "check", "timeline.yaml, exhibit folders and generated files agree"),
    Verb("compose", "compose", "write compose.yaml from timeline.yaml"),
    Verb("picture", "picture", "draw the timeline as docs/timeline.svg"),
    Verb("placards", "placards", "write the placards' generated sections from timeline.yaml"),
    Verb("workflow", "workflow", "write the GitHub Actions contract workflow from timeline.yaml"),
    Verb("base-image", "base_image", "build the stand-in base images where no registry answers"),
    Verb("up", "up", "build, start and wait for exhibits"),
    Verb("down", "down", "stop the museum's containers"),
    Verb("tour", "tour", "walk the timeline on stage, with live requests"),
    Verb("lobby", "lobby", "serve the lobby: the timeline as a web page"),
    Verb("slow", "slow", "fire concurrent /slow requests at a running exhibit"),
    Verb("map", "map", "draw which process and thread answered concurrent /slow requests"),
    Verb("pitfalls", "pitfalls", "show the async pitfalls live on the exhibit that has them"),
    Verb("pack", "pack", "save every image the museum needs into one file, for a stage "
                         "with no network"),
    Verb("unpack", "unpack", "load a pack and check it against timeline.yaml"),
    Verb("bench", "bench", "benchmark the exhibits from inside the network, against a baseline"),
)


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="museum", description="The Python Web Museum.")
    verbs = top.add_subparsers(dest="verb", required=True, metavar="VERB")
    for verb in VERBS:
        sub = verbs.add_parser(verb.name, help=verb.help, description=verb.help)
        verb.load().add_arguments(sub)
    return top


def main(argv: Sequence[str] | None = None, environ: Mapping[str, str] | None = None,
         cwd: Path | None = None) -> int:
    args = parser().parse_args(argv)
    verb = next(v for v in VERBS if v.name == args.verb)
    try:
        site = Site.from_environment(os.environ if environ is None else environ,
                                     cwd or Path.cwd())
        return int(verb.load().run(site, args))
    except MuseumError as error:
        print(f"museum {args.verb}: {error}", file=sys.stderr)
        return ExitStatus.ERROR
    except KeyboardInterrupt:
        print(f"museum {args.verb}: interrupted", file=sys.stderr)
        return 130
