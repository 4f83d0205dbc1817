"""`museum bench --quick` on two exhibits with tiny durations: results and charts are produced
and well-formed. Bench is a command, not a test: no timing threshold is asserted."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest
from museum import cli
from museum.docker import Docker
from museum.site import Site

from tests.stage import require_docker

CHOSEN = ["wsgi-2003", "asgi-2016"]


def test_bench_quick_writes_results_and_charts(
        site: Site, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    require_docker()
    status = cli.main(["bench", *CHOSEN, "--quick", "--levels", "1,4", "--duration", "1",
                       "--slow-n", "4", "--project", f"{site.project}bench", "--out", str(tmp_path),
                       "--quiet"])
    out = capsys.readouterr().out
    assert status == 0
    assert all(i in out for i in ["bench-baseline", *CHOSEN]) and "TechEmpower" in out

    results = json.loads((tmp_path / "results.json").read_text())
    ids = [t["id"] for t in results["targets"]]
    assert ids == ["bench-baseline", *CHOSEN]
    assert results["machine"]["cores"] and results["machine"]["docker"] != "unknown"
    for target in ids:
        for level in ("1", "4"):
            entry = results["hello"][target]["levels"][level]
            assert entry["rps"]["n"] == 1 and entry["rps"]["median"] >= 0
        assert results["start"][target] > 0
        assert results["memory"][target]["peak"] is None or (
            results["memory"][target]["peak"] >= (results["memory"][target]["idle"] or 0))
        assert target == "bench-baseline" or "wall" in results["slow"][target]
    assert results["hello"]["bench-baseline"]["levels"]["1"]["ratio"] == pytest.approx(1.0)
    for target in CHOSEN:
        write = results["write"][target]
        assert write["exactly_once"] in (True, False, None) and write["accepted"] >= 0

    for name in ("throughput", "latency", "slow", "memory"):
        assert (tmp_path / f"{name}.png").read_bytes().startswith(b"\x89PNG")
        assert ET.parse(tmp_path / f"{name}.svg").getroot().tag.endswith("svg")
    bench = Docker.for_site(replace(site, project=f"{site.project}bench"))
    assert not bench.container(CHOSEN[0])
