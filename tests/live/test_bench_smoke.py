"""`museum bench --quick` on two exhibits with tiny durations: results and charts are produced,
well-formed and read back through the results' types. Bench is a command, not a test: no
timing threshold is asserted, but every accepted post must have been stored exactly once."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest
from museum import cli
from museum.bench.measure import WRITE_CONNECTIONS
from museum.bench.results import Results
from museum.docker import Docker
from museum.site import Site

from tests.stage import require_docker

CHOSEN = ["wsgi-2003", "asgi-2016"]


def test_bench_quick_writes_results_and_charts(
        site: Site, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    require_docker()
    project = f"{site.project}bench"
    status = cli.main(["bench", *CHOSEN, "--quick", "--levels", "1,4", "--duration", "1",
                       "--slow-n", "4", "--idle", "10,100", "--project", project,
                       "--out", str(tmp_path), "--quiet"])
    out = capsys.readouterr().out
    assert status == 0
    assert all(i in out for i in ["bench-baseline", *CHOSEN]) and "TechEmpower" in out

    results = Results.load(tmp_path / "results.json")
    main = [site.timeline.exhibit(i).main for i in CHOSEN]
    assert [t.id for t in results.targets] == ["bench-baseline", *(e.id for e in main)]
    assert [(t.exhibit, t.edition, t.python) for t in results.targets[1:]] == [
        (e.exhibit, e.name, e.python) for e in main]
    assert results.machine.cores and results.machine.docker != "unknown"
    assert results.settings.levels == (1, 4) and results.settings.idle == (10, 100)
    for entry in results.entries:
        assert [level.connections for level in entry.hello] == [1, 4]
        for level in entry.hello:
            assert level.rps is not None and level.rps.n == 1 and level.rps.median > 0
        assert entry.start is not None and entry.start > 0
        assert entry.memory.peak is None or entry.memory.peak >= (entry.memory.idle or 0)
        # idle connections: tried upwards, stopping at the first level not held
        assert [i.connections for i in entry.idle] in ([10], [10, 100])
        assert entry.holds is not None and entry.holds in (0, 10, 100)
        assert all(i.opened <= i.connections for i in entry.idle)
    assert results.entries[0].level(1).ratio == pytest.approx(1.0)
    for entry in results.exhibits:
        assert entry.slow is not None and entry.slow.wall is not None
        write = entry.write
        assert write is not None and write.accepted > 0 and write.stored is not None
        assert write.exactly_once is True, (entry.target.id, write)
        assert 0 <= write.stored - write.accepted <= WRITE_CONNECTIONS

    for name in ("throughput", "latency", "slow", "memory"):
        assert (tmp_path / f"{name}.png").read_bytes().startswith(b"\x89PNG")
        assert ET.parse(tmp_path / f"{name}.svg").getroot().tag.endswith("svg")
    bench = Docker.for_site(replace(site, project=project))
    assert not bench.container(CHOSEN[0])
