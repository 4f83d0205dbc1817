from __future__ import annotations

import argparse

from museum import generated
from museum.site import Site

add_arguments = generated.add_check_argument


def run(site: Site, args: argparse.Namespace) -> int:
    return generated.run_verb(site, "museum workflow", check=args.check)
