from __future__ import annotations

import argparse
import json
import math
import os
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from museum.benchstats import Summary, parse_wrk, ranks, seconds, spearman, summarise, table
from museum.errors import MuseumError
from museum.timeline import load
from museum.verbs import bench

WRK = """\
Running 1s test @ http://asgi-2016:8000/hello
  1 threads and 64 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    13.52ms    2.10ms  27.20ms   86.12%
    Req/Sec     4.52k   210.33     4.80k    70.00%
  Latency Distribution
     50%   13.01ms
     75%   14.20ms
     90%   16.03ms
     99%    1.20s\x20
  4500 requests in 1.00s, 650.39KB read
  Socket errors: connect 0, read 2, write 0, timeout 3
  Non-2xx or 3xx responses: 450
Requests/sec:   4481.07
Transfer/sec:    647.70KB
"""


def test_wrk_output_is_parsed() -> None:
    run = parse_wrk(WRK)
    assert run.requests == 4500 and run.seconds == 1.0
    assert run.rps == pytest.approx(4481.07)
    assert run.latency == pytest.approx({"p50": 0.01301, "p90": 0.01603, "p99": 1.2})
    assert run.errors == 5 and run.non_2xx == 450
    assert run.ok == 4050 and run.ok_rps == pytest.approx(4481.07 * 0.9)


def test_wrk_output_without_errors_or_latency() -> None:
    run = parse_wrk("  12 requests in 1.01s, 2KB read\nRequests/sec:     11.88\n")
    assert (run.requests, run.errors, run.non_2xx, run.latency) == (12, 0, 0, {})


def test_wrk_without_a_result_is_one_line_error() -> None:
    with pytest.raises(MuseumError, match="unable to connect"):
        parse_wrk("unable to connect to asgi-2016:8000 Connection refused\n")


@pytest.mark.parametrize(("text", "value"), [
    ("870.00us", 0.00087), ("1.50ms", 0.0015), ("2.00s", 2.0), ("1.00m", 60.0)])
def test_wrk_times(text: str, value: float) -> None:
    assert seconds(text) == pytest.approx(value)


def test_summary_is_median_and_range() -> None:
    summary = summarise([10.0, 30.0, 20.0, 12.0])
    assert summary == Summary(median=16.0, low=10.0, high=30.0, n=4)
    assert summary.spread == pytest.approx(10 / 16)
    assert summarise([]) is None


def test_ranks_share_ties() -> None:
    assert ranks([5.0, 9.0, 5.0, 1.0]) == [2.5, 1.0, 2.5, 4.0]


def test_spearman() -> None:
    assert spearman([1, 2, 3, 4], [10, 20, 30, 40]) == pytest.approx(1.0)
    assert spearman([1, 2, 3, 4], [40, 30, 20, 10]) == pytest.approx(-1.0)
    # d = (0, 0, 1, -1): 1 - 6 * 2 / (4 * 15) = 0.8
    assert spearman([4, 3, 2, 1], [40, 30, 10, 20]) == pytest.approx(0.8)
    with pytest.raises(ValueError):
        spearman([1], [1])


def test_spearman_with_ties_is_pearson_over_ranks() -> None:
    rho = spearman([1, 2, 2, 3], [1, 2, 3, 4])
    assert -1 <= rho <= 1 and not math.isnan(rho)
    assert rho == pytest.approx(0.9486833)


def test_table_aligns_columns() -> None:
    text = table(["target", "req/s"], [["asgi-2016", "4,481"], ["cgi-1991", "9.0"]])
    lines = text.splitlines()
    assert lines[0] == "target     req/s"
    assert lines[1] == "---------  -----"
    assert lines[2] == "asgi-2016  4,481"
    assert lines[3] == "cgi-1991     9.0"


def results() -> dict[str, object]:
    summary = {"median": 1000.0, "low": 900.0, "high": 1100.0, "n": 3}
    level = {"rps": summary, "ratio": 0.5, "p50": {**summary, "median": 0.01},
             "p90": {**summary, "median": 0.02}, "p99": {**summary, "median": 0.05}}
    ids = ["bench-baseline", "asgi-2016", "flask-2010", "django-2005"]
    return {
        "measured": "2026-11-25T06:00:00Z", "mode": "quick",
        "machine": {"cores": 2, "cpu": "test", "kernel": "6", "docker": "20"},
        "settings": {"levels": [1, 64], "duration": 1, "rounds": 3, "slow_n": 16,
                     "slow_ms": 200, "cpus": 1.0, "memory": "1g"},
        "targets": [{"id": i, "label": i, "workers": "w", "baseline": i == ids[0]}
                    for i in ids],
        "hello": {i: {"levels": {"1": level, "64": {**level, "rps": {
            "median": 1000.0 * (n + 1), "low": 900.0 * (n + 1), "high": 1100.0 * (n + 1),
            "n": 3}}}, "errors": 0} for n, i in enumerate(ids)},
        "slow": {i: {"wall": {"median": 0.21, "low": 0.2, "high": 0.25, "n": 3},
                     "incomplete": 0} for i in ids},
        "write": {i: {"rps": summary, "accepted": 10, "stored": 12, "errors": 0,
                      "exactly_once": True} for i in ids[1:]},
        "memory": {i: {"idle": 2**20, "peak": 2**21} for i in ids},
        "start": dict.fromkeys(ids, 0.5),
    }


def test_report_is_a_table_with_the_machine_and_legend() -> None:
    data = results()
    data["techempower"] = {"rho": None, "note": "no figures"}
    text = bench.report(data)
    assert "2 cores (test)" in text and "1.0 CPU and 1g memory" in text
    assert "req/s c=64" in text and "asgi-2016" in text and "210.0ms ±" in text
    assert "TechEmpower cross-check: no figures" in text


def test_cross_check_without_figures_claims_nothing(tmp_path: Path) -> None:
    root = tmp_path
    (root / "tools/bench").mkdir(parents=True)
    (root / "tools/bench/techempower.yaml").write_text(
        "round: null\nurl: x\nfigures: {}\nframeworks: {asgi-2016: uvicorn}\n")
    check = bench.cross_check(results(), root)
    assert check["rho"] is None and "no trustworthy" in check["note"]


def test_cross_check_ranks_against_the_published_figures(tmp_path: Path) -> None:
    root = tmp_path
    (root / "tools/bench").mkdir(parents=True)
    (root / "tools/bench/techempower.yaml").write_text(
        "round: 23\nurl: https://example.org\n"
        "figures: {uvicorn: 300, flask: 200, django: 100}\n"
        "frameworks: {asgi-2016: uvicorn, flask-2010: flask, django-2005: django}\n")
    check = bench.cross_check(results(), root)
    # ours at c=64: asgi 2000, flask 3000, django 4000: the reverse of theirs
    assert check["frameworks"] == ["django", "flask", "uvicorn"]
    assert check["rho"] == pytest.approx(-1.0)


def test_rounds_rotate_the_order() -> None:
    targets = [bench.Target(i, i, "") for i in ("a", "b", "c")]
    assert [t.id for t in bench.rotate(targets, 1)] == ["b", "c", "a"]
    assert [t.id for t in bench.rotate(targets, 3)] == ["a", "b", "c"]


def scale_results() -> dict[str, Any]:
    data: dict[str, Any] = results()
    ids = ["bench-baseline", "flask-2010-x1", "flask-2010-x2", "flask-2010-x4"]
    renamed = dict(zip(data["hello"], ids, strict=True))
    for key in ("hello", "slow", "memory", "start"):
        data[key] = {renamed[k]: v for k, v in data[key].items()}
    data["write"] = {renamed[k]: v for k, v in data["write"].items()}
    data["targets"] = [{**t, "id": renamed[t["id"]]} for t in data["targets"]]
    data["mode"] = "scale"
    data["scale"] = {"exhibit": "flask-2010", "unit": "workers", "one": "worker",
                     "counts": [1, 2, 4],
                     "default": 4, "server": "gunicorn 27.0.1", "concurrency": "prefork",
                     "targets": ids[1:]}
    return data


def test_scale_targets_are_the_baseline_and_a_copy_per_count() -> None:
    timeline = load(Path(__file__).resolve().parents[2] / "timeline.yaml")
    exhibit = bench.scalable(timeline, "flask-2010")
    targets = bench.scale_targets(exhibit, (1, 2, 4))
    assert [t.id for t in targets] == ["bench-baseline", "flask-2010-x1", "flask-2010-x2",
                                       "flask-2010-x4"]
    assert targets[1].workers.startswith("1 worker (gunicorn")
    assert "GUNICORN_CMD_ARGS=--workers 4" in targets[3].workers
    with pytest.raises(MuseumError, match="cgi-1991 has no scale knob.*flask-2010"):
        bench.scalable(timeline, "cgi-1991")


@pytest.mark.parametrize("text", ["1,x", "0,2", "2,2", ""])
def test_bad_counts_are_refused(text: str) -> None:
    with pytest.raises(MuseumError, match="--counts"):
        bench.counts_from(text)


def test_scale_settings_use_every_core() -> None:
    parser = argparse.ArgumentParser()
    bench.add_arguments(parser)
    scaled = bench.settings_from(parser.parse_args(["--scale", "flask-2010"]))
    plain = bench.settings_from(parser.parse_args([]))
    assert scaled.cpus == float(os.cpu_count() or 1) and scaled.levels == (16, 64)
    assert plain.cpus == 1.0 and plain.levels == (1, 16, 64, 256)
    assert (plain.slow_n, scaled.slow_n) == (100, 32)
    assert bench.counts_from(parser.parse_args([]).counts) == (1, 2, 4)


def test_scale_asks_for_one_exhibit_only() -> None:
    parser = argparse.ArgumentParser()
    bench.add_arguments(parser)
    with pytest.raises(MuseumError, match="--scale measures one exhibit"):
        bench.main(parser.parse_args(["--scale", "flask-2010", "asgi-2016"]))


def test_scale_report_names_the_knob_not_techempower() -> None:
    text = bench.report(scale_results())
    assert "flask-2010-x4" in text and "TechEmpower" not in text
    assert "at 1, 2, 4 workers side by side, its own setting being 4" in text


def test_scale_chart_is_written(tmp_path: Path) -> None:
    benchchart = pytest.importorskip("museum.benchchart")
    written = benchchart.draw_scale(scale_results(), tmp_path)
    assert [p.name for p in written] == ["scale-flask-2010.png", "scale-flask-2010.svg"]
    assert written[0].read_bytes().startswith(b"\x89PNG")
    assert ET.parse(written[1]).getroot().tag.endswith("svg")


def test_a_run_that_did_not_finish_is_labelled_not_drawn_as_zero(tmp_path: Path) -> None:
    benchchart = pytest.importorskip("museum.benchchart")
    data: dict[str, Any] = results()
    data["slow"]["flask-2010"] = {"wall": None, "incomplete": 3}
    data["hello"]["django-2005"]["levels"]["64"]["rps"] = {
        "median": 0.0, "low": 0.0, "high": 0.0, "n": 3}
    benchchart.draw(data, tmp_path)
    slow = (tmp_path / "slow.svg").read_text()
    assert slow.count("not all answered") == 1 and "0.21" in slow
    assert (tmp_path / "throughput.svg").read_text().count("none answered") == 1


def test_charts_are_redrawn_from_a_results_file(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("museum.benchchart")
    from museum import cli

    (tmp_path / "results.json").write_text(json.dumps(results()))
    assert cli.main(["bench", "--redraw", str(tmp_path / "results.json")]) == 0
    assert (tmp_path / "slow.svg").exists() and (tmp_path / "throughput.png").exists()
    (tmp_path / "scale-flask-2010.json").write_text(json.dumps(scale_results()))
    assert cli.main(["bench", "--redraw", str(tmp_path / "scale-flask-2010.json")]) == 0
    assert (tmp_path / "scale-flask-2010.svg").exists()
    assert cli.main(["bench", "--redraw", str(tmp_path / "missing.json")]) != 0
    assert "missing.json: cannot read bench results" in capsys.readouterr().err
