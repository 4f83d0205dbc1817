"""Fire N concurrent /slow requests at a running exhibit: the concurrency model in one number."""

from __future__ import annotations

import argparse
import json
import statistics
import threading
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass

from museum import stack
from museum.errors import ExitStatus, MuseumError
from museum.timeline import Exhibit, load_default


@dataclass(frozen=True)
class Answer:
    started: float
    finished: float
    pid: int
    thread: str


@dataclass(frozen=True)
class Result:
    exhibit: str
    concurrency: int
    ms: int
    wall: float
    answers: list[Answer]

    @property
    def processes(self) -> int:
        return len({a.pid for a in self.answers})

    @property
    def threads(self) -> int:
        return len({(a.pid, a.thread) for a in self.answers})


def fire(exhibit: Exhibit, concurrency: int, ms: int, timeout: float,
         base: str | None = None) -> Result:
    url = f"{base or stack.url(exhibit)}/slow?ms={ms}"
    answers: list[Answer] = []
    failures: list[str] = []
    gate = threading.Barrier(concurrency)
    origin = time.monotonic()

    def one() -> None:
        gate.wait()
        started = time.monotonic() - origin
        try:
            with urllib.request.urlopen(url, timeout=timeout) as response:
                body = json.load(response)
        except (OSError, urllib.error.URLError, ValueError) as error:
            failures.append(str(error))
            return
        answers.append(Answer(started, time.monotonic() - origin, int(body["pid"]),
                              str(body["thread"])))

    workers = [threading.Thread(target=one) for _ in range(concurrency)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    if failures:
        raise MuseumError(f"{len(failures)} of {concurrency} requests failed: {failures[0]}")
    first = min(a.started for a in answers)
    wall = max(a.finished for a in answers) - first
    return Result(exhibit.id, concurrency, ms, wall, sorted(answers, key=lambda a: a.finished))


def report(result: Result) -> str:
    ideal = result.ms / 1000
    first = min(a.started for a in result.answers)
    done = [a.finished - first for a in result.answers]
    return "\n".join([
        f"{result.exhibit}: {result.concurrency} concurrent /slow?ms={result.ms} "
        f"(ideal {ideal:.2f} s)",
        f"  all answered after {result.wall:.2f} s ({result.wall / ideal:.1f}x the ideal)"
        if ideal else f"  all answered after {result.wall:.2f} s",
        f"  median answer at {statistics.median(done):.2f} s; "
        f"served by {result.processes} process(es), {result.threads} thread(s)",
    ])


def main(args: argparse.Namespace) -> ExitStatus:
    exhibit = load_default(check_folders=False).exhibit(args.id)
    if not stack.answers(exhibit):
        raise MuseumError(f"{exhibit.id} is not answering at {stack.url(exhibit)}: "
                          f"run `museum up {exhibit.id}` first")
    result = fire(exhibit, args.concurrency, args.ms, timeout=args.ms / 1000 * 4 + 60)
    if args.json:
        document = {**asdict(result), "processes": result.processes, "threads": result.threads}
        print(json.dumps(document, indent=2))
    else:
        print(report(result))
    return ExitStatus.OK


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id", metavar="ID", help="a running exhibit")
    parser.add_argument("--concurrency", "-n", type=int, default=20)
    parser.add_argument("--ms", type=int, default=500)
    parser.add_argument("--json", action="store_true")
