"""Fire N concurrent /slow requests at a running exhibit: the concurrency model in one number."""

from __future__ import annotations

import json
import statistics
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

from museum.errors import MuseumError


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


def fire(label: str, base: str, concurrency: int, ms: int,
         timeout: float | None = None) -> Result:
    """`concurrency` requests of /slow?ms=... released at once; who answered each, and when."""
    url = f"{base}/slow?ms={ms}"
    timeout = timeout if timeout is not None else ms / 1000 * 4 + 60
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
    return Result(label, concurrency, ms, wall, sorted(answers, key=lambda a: a.finished))


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
