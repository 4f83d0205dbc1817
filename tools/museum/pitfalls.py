"""`museum pitfalls`: the classic async mistakes, live on the FastAPI exhibit.

One slow request to a pitfall route and, while it runs, a few quick `GET /hello`: their worst
latency is the stall. A blocking `time.sleep` in an `async def` stalls the event loop; the same
in a plain `def` runs in FastAPI's thread pool; `await asyncio.sleep` is the right way.
"""

from __future__ import annotations

import threading
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass

from museum.errors import MuseumError

ROUTES = {
    "blocking-async": "time.sleep in async def: the event loop stalls",
    "blocking-def": "time.sleep in a plain def: FastAPI runs it in its thread pool",
    "awaiting": "await asyncio.sleep: the loop serves others while it waits",
}


@dataclass(frozen=True)
class Measure:
    route: str
    ms: int
    slow: float  # seconds the slow request took
    quick: list[float]  # seconds each quick /hello took while it ran

    @property
    def stall(self) -> float:
        return max(self.quick, default=0.0)

    @property
    def stalled(self) -> bool:
        return self.stall > self.ms / 1000 / 2


def timed_get(url: str, timeout: float) -> float:
    start = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            response.read()
    except urllib.error.HTTPError as error:
        raise MuseumError(f"GET {url} answered {error.code}") from None
    except (OSError, urllib.error.URLError) as error:
        raise MuseumError(f"GET {url} failed: {error}") from None
    return time.monotonic() - start


def measure(base: str, route: str, ms: int = 800, quick: int = 4) -> Measure:
    """Fire /pitfalls/<route>?ms= and, spread over its duration, `quick` requests to /hello."""
    timeout = ms / 1000 + 30
    times: dict[int, float] = {}
    errors: list[MuseumError] = []

    def one(index: int, url: str, delay: float) -> None:
        time.sleep(delay)
        try:
            times[index] = timed_get(url, timeout)
        except MuseumError as error:
            errors.append(error)

    jobs = [(0, f"{base}/pitfalls/{route}?ms={ms}", 0.0)]
    jobs += [(i, f"{base}/hello", ms / 1000 * i / (quick + 1)) for i in range(1, quick + 1)]
    workers = [threading.Thread(target=one, args=job) for job in jobs]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    if errors:
        raise errors[0]
    return Measure(route, ms, times[0], [times[i] for i in range(1, quick + 1)])


def measure_all(base: str, ms: int = 800, quick: int = 4,
                routes: Sequence[str] = tuple(ROUTES)) -> list[Measure]:
    return [measure(base, route, ms, quick) for route in routes]


def verdict(found: Measure) -> str:
    return "STALL: every request waited" if found.stalled else "no stall"


def report(exhibit: str, measures: list[Measure]) -> str:
    first = measures[0]
    lines = [f"{exhibit}: one slow request (ms={first.ms}) and {len(first.quick)} quick "
             f"GET /hello while it runs",
             f"  {'route':<27}{'slow':>8}{'worst /hello':>14}"]
    for found in measures:
        lines.append(f"  /pitfalls/{found.route:<16} {found.slow * 1000:>5.0f} ms "
                     f"{found.stall * 1000:>10.0f} ms  {verdict(found)}")
    for found in measures:
        lines.append(f"  {found.route}: {ROUTES.get(found.route, '')}")
    return "\n".join(lines)
