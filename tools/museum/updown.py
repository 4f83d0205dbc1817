from __future__ import annotations

import argparse

from museum import docker, stack
from museum.errors import ExitStatus, MuseumError
from museum.paths import repo_root
from museum.timeline import Exhibit, Timeline, load_default


def chosen(timeline: Timeline, ids: list[str]) -> list[Exhibit]:
    exhibits = [timeline.exhibit(i) for i in ids] if ids else list(timeline.runnable)
    for exhibit in exhibits:
        if exhibit.not_runnable is not None:
            raise MuseumError(f"{exhibit.id} is not runnable: {exhibit.not_runnable.reason}")
        if not (repo_root() / "exhibits" / exhibit.id / "Dockerfile").is_file():
            raise MuseumError(f"exhibits/{exhibit.id} has no Dockerfile")
    return exhibits


def up_main(args: argparse.Namespace) -> ExitStatus:
    docker.require_engine()
    timeline = load_default(check_folders=False)
    exhibits = chosen(timeline, args.ids)
    root, project = repo_root(), stack.project_name()
    stack.up(root, project, exhibits, rebuild=not args.no_build)
    if not args.ids:
        docker.compose(root, project, ["up", "-d", *(["--no-build"] if args.no_build else []),
                                       "lobby"])
        print(f"{'lobby':<16} http://{stack.host()}:{timeline.lobby_port}/")
    for exhibit in exhibits:
        print(f"{exhibit.id:<16} {stack.url(exhibit)}/")
    return ExitStatus.OK


def down_main(args: argparse.Namespace) -> ExitStatus:
    docker.require_engine()
    if args.ids:
        exhibits = chosen(load_default(check_folders=False), args.ids)
        stack.remove(repo_root(), stack.project_name(), exhibits)
    else:
        stack.down(repo_root(), stack.project_name())
    return ExitStatus.OK


def add_up_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("ids", nargs="*", metavar="ID",
                        help="exhibits (default: all of them, and the lobby)")
    parser.add_argument("--no-build", action="store_true", help="use the images already built")


def add_down_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("ids", nargs="*", metavar="ID", help="exhibits (default: the whole museum)")
