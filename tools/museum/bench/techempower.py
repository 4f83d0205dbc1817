"""The TechEmpower cross-check: the exhibits' GET /hello throughput ranked against
TechEmpower's figures for the same frameworks (tools/bench/techempower.yaml), with Spearman's
rho over every pair and over the pairs that run the same HTTP server, and the pairs whose
ranks differ most, each with what differs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from museum.bench.results import Results, Target
from museum.bench.stats import ranks, spearman
from museum.errors import MuseumError

REFERENCE = Path("tools/bench/techempower.yaml")
# Ranks further apart than this are listed, with the reason.
DIVERGENCE = 2
# Fewer pairs than this give no rank correlation worth quoting.
FEWEST = 3


@dataclass(frozen=True)
class Server:
    server: str  # as timeline.yaml spells the museum's servers
    how: str


@dataclass(frozen=True)
class Reference:
    """tools/bench/techempower.yaml: TechEmpower's figures, the servers its tests run and
    which test each exhibit's editions are ranked against."""

    source: str
    run: str
    test: str  # json or plaintext
    level: int  # the museum's connections to compare at
    figures: Mapping[str, float]  # TechEmpower's test -> requests per second in `test`
    servers: Mapping[str, Server]
    editions: Mapping[tuple[str, str], str]  # (exhibit, edition) -> TechEmpower's test

    @classmethod
    def parse(cls, text: str, where: str = str(REFERENCE)) -> Reference:
        try:
            data: dict[str, Any] = yaml.safe_load(text)
            test = str(data["test"])
            figures = {str(name): float(row[test])
                       for name, row in data["requests_per_second"].items()
                       if row.get(test) is not None}
            servers = {str(name): Server(str(row["server"]), str(row["how"]))
                       for name, row in data["servers"].items()}
            editions = {(str(exhibit), str(edition)): str(name)
                        for exhibit, row in data["editions"].items()
                        for edition, name in row.items()}
            reference = cls(source=str(data["source"]), run=str(data["run"]), test=test,
                            level=int(data["level"]), figures=figures, servers=servers,
                            editions=editions)
        except (yaml.YAMLError, KeyError, TypeError, ValueError, AttributeError) as error:
            raise MuseumError(f"{where}: not a TechEmpower reference: {error!r}") from None
        unknown = sorted({n for n in editions.values() if n not in figures or n not in servers})
        if unknown:
            raise MuseumError(f"{where}: editions point at tests with no {test} figure or no "
                              f"server: {', '.join(unknown)}")
        return reference

    @classmethod
    def load(cls, root: Path) -> Reference:
        path = root / REFERENCE
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as error:
            raise MuseumError(f"{path}: cannot read: {error.strerror}") from None
        return cls.parse(text, str(path))


@dataclass(frozen=True)
class Pair:
    """One exhibit edition and the TechEmpower test it is ranked against."""

    target: Target
    test: str
    ours: float  # requests per second here, the median
    theirs: float  # TechEmpower's best
    same_server: bool
    how: str  # how TechEmpower serves it
    our_rank: float  # 1 for the fastest, among every pair
    their_rank: float

    @property
    def shift(self) -> float:
        return self.our_rank - self.their_rank

    @property
    def reason(self) -> str:
        here = self.target.workers
        if self.target.python:
            here += f" on Python {self.target.python}"
        same = "the same server; " if self.same_server else ""
        return f"{same}{here} here, {self.how} there"


@dataclass(frozen=True)
class CrossCheck:
    reference: Reference
    level: int  # the connections compared at
    pairs: tuple[Pair, ...]  # in the museum's order, fastest first
    rho: float | None  # over every pair; None below FEWEST pairs
    rho_same: float | None  # over the pairs that share a server

    @property
    def same(self) -> tuple[Pair, ...]:
        return tuple(p for p in self.pairs if p.same_server)

    @property
    def divergent(self) -> tuple[Pair, ...]:
        return tuple(p for p in self.pairs if abs(p.shift) > DIVERGENCE)

    @property
    def theirs_in_order(self) -> tuple[Pair, ...]:
        return tuple(sorted(self.pairs, key=lambda p: p.their_rank))


def level_to_compare(reference: Reference, levels: tuple[int, ...]) -> int:
    """The reference's level if the run measured it, else the nearest that it did."""
    return min(levels, key=lambda c: (abs(c - reference.level), -c))


def rho(pairs: tuple[Pair, ...]) -> float | None:
    if len(pairs) < FEWEST:
        return None
    return spearman([p.ours for p in pairs], [p.theirs for p in pairs])


def same_server(target: Target, server: Server) -> bool:
    return (target.server or "").casefold() == server.server.casefold()


def cross_check(results: Results, reference: Reference) -> CrossCheck | None:
    """The cross-check of a run of the timeline; None for a --scale or --then-and-now run,
    which measures one exhibit only."""
    if results.scale is not None or results.mode == "then-and-now":
        return None
    level = level_to_compare(reference, results.settings.levels)
    chosen: dict[str, tuple[Target, float]] = {}
    for entry in results.exhibits:
        t = entry.target
        test = reference.editions.get((t.exhibit or "", t.edition or ""))
        ours = entry.rps(level)
        if test is None or ours is None:
            continue
        # one edition a test: the now edition where both point at it (TechEmpower's
        # releases are today's)
        if test not in chosen or t.edition == "now":
            chosen[test] = (t, ours)
    tests = list(chosen)
    ours_ranks = ranks([chosen[n][1] for n in tests])
    their_ranks = ranks([reference.figures[n] for n in tests])
    pairs = tuple(sorted(
        (Pair(target=chosen[n][0], test=n, ours=chosen[n][1], theirs=reference.figures[n],
              same_server=same_server(chosen[n][0], reference.servers[n]),
              how=reference.servers[n].how, our_rank=ours_ranks[i], their_rank=their_ranks[i])
         for i, n in enumerate(tests)),
        key=lambda p: p.our_rank))
    return CrossCheck(reference=reference, level=level, pairs=pairs, rho=rho(pairs),
                      rho_same=rho(tuple(p for p in pairs if p.same_server)))


def ordinal(rank: float) -> str:
    n = int(rank)
    if n != rank:
        return f"{rank:g}th"
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def summary(check: CrossCheck) -> list[str]:
    """The cross-check in a few lines of text, for the report."""
    ref = check.reference
    head = (f"TechEmpower cross-check: GET /hello at {check.level} connections against "
            f"TechEmpower's {ref.test} test ({ref.run})")
    if check.rho is None:
        return [head, f"  {len(check.pairs)} framework(s) measured here have a TechEmpower "
                      f"figure: too few for a rank correlation (at least {FEWEST})"]
    same = check.same
    same_text = (f"{check.rho_same:.2f} over the {len(same)} that run the same server here and "
                 f"there ({', '.join(p.target.id for p in same)})"
                 if check.rho_same is not None else
                 f"too few ({len(same)}) run the same server here and there for a second rho")
    lines = [head, f"  Spearman's rho {check.rho:.2f} over {len(check.pairs)} frameworks; "
                   f"{same_text}"]
    if check.divergent:
        lines.append(f"  ranks differing by more than {DIVERGENCE}:")
        lines += [f"    {p.target.id}: {ordinal(p.our_rank)} here, {ordinal(p.their_rank)} "
                  f"there ({p.test}): {p.reason}" for p in check.divergent]
    else:
        lines.append(f"  no rank differs by more than {DIVERGENCE}")
    return lines
