"""`museum bench`'s arithmetic: wrk's output, medians and ranges, rank correlation."""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from museum.bench.results import Summary
from museum.errors import MuseumError

TIME_UNITS = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}


@dataclass(frozen=True)
class WrkRun:
    requests: int
    seconds: float
    rps: float
    latency: dict[str, float]  # "p50", "p90", "p99", in seconds
    errors: int  # socket errors: connect, read, write, timeout
    non_2xx: int

    @property
    def ok(self) -> int:
        return self.requests - self.non_2xx

    @property
    def ok_rps(self) -> float:
        """Requests per second answered 2xx or 3xx: errors are not throughput."""
        return self.rps * self.ok / self.requests if self.requests else 0.0


def seconds(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text.strip())
    if not match:
        raise MuseumError(f"wrk gave a time this cannot read: {text!r}")
    return float(match[1]) * TIME_UNITS[match[2]]


def parse_wrk(output: str) -> WrkRun:
    total = re.search(r"(\d+) requests in ([\d.]+\w+),", output)
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    if not total or not rate:
        last = output.strip().splitlines()[-1:] or ["no output"]
        raise MuseumError(f"wrk gave no result: {last[0]}")
    latency = {f"p{m[1]}": seconds(m[2])
               for m in re.finditer(r"^\s+(50|90|99)(?:\.0+)?%\s+(\S+)\s*$", output, re.M)}
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
                       output)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return WrkRun(
        requests=int(total[1]),
        seconds=seconds(total[2]),
        rps=float(rate[1]),
        latency=latency,
        errors=sum(int(n) for n in errors.groups()) if errors else 0,
        non_2xx=int(non_2xx[1]) if non_2xx else 0,
    )


def summarise(values: Sequence[float]) -> Summary | None:
    if not values:
        return None
    return Summary(statistics.median(values), min(values), max(values), len(values))


def ranks(values: Sequence[float]) -> list[float]:
    """1 for the largest; ties share the mean of their ranks."""
    order = sorted(range(len(values)), key=lambda i: -values[i])
    result = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            result[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return result


def spearman(xs: Sequence[float], ys: Sequence[float]) -> float:
    """Spearman's rank correlation: Pearson's over the ranks (ties averaged)."""
    if len(xs) != len(ys) or len(xs) < 2:
        raise ValueError("need two equally long series of two or more values")
    rx, ry = ranks(xs), ranks(ys)
    mx, my = statistics.fmean(rx), statistics.fmean(ry)
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    vx = sum((a - mx) ** 2 for a in rx)
    vy = sum((b - my) ** 2 for b in ry)
    return cov / (vx * vy) ** 0.5 if vx and vy else 0.0
