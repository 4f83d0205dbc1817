"""The museum.bench package, a module at a time: the statistics, the results and their JSON,
the first results format, the plan, the measurements' arithmetic, the TechEmpower
cross-check, the report, the charts and the command line. Nothing here starts a container."""

from __future__ import annotations

import argparse
import json
import math
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from museum import cli, docker
from museum.bench import charts, legacy, plan, report, techempower
from museum.bench.measure import (
    WRITE_CONNECTIONS,
    WriteRun,
    Wrk,
    exactly_once,
    rotate,
    rounds,
    steps,
)
from museum.bench.measure import entry as entry_of
from museum.bench.measure import write_summary as summarise_writes
from museum.bench.results import (
    SCHEMA,
    Entry,
    Idle,
    Level,
    Machine,
    Memory,
    Results,
    Settings,
    Slow,
    Summary,
    Target,
    Write,
)
from museum.bench.stage import Progress, Running, cpu_split, own_site
from museum.bench.stats import parse_wrk, ranks, seconds, spearman, summarise
from museum.errors import MuseumError
from museum.site import Site
from museum.timeline import Timeline, load, parse
from museum.verbs import bench

ROOT = Path(__file__).resolve().parents[2]
TIMELINE = load(ROOT / "timeline.yaml")

# ---- stats --------------------------------------------------------------------------------

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


# ---- results ------------------------------------------------------------------------------

MACHINE = Machine(cores=2, cpu="test", memory_gib=23.5, kernel="6", docker="20",
                  compose="docker-compose", cgroup="v1", python="3.11.7")
SETTINGS = Settings(levels=(1, 64), duration=1, rounds=3, slow_n=16, slow_ms=200, cpus=1.0,
                    memory="1g", editions="all", idle=(10, 100, 1000))


def spread(median: float) -> Summary:
    return Summary(median, median * 0.9, median * 1.1, 3)


def target(service: str, exhibit: str | None, edition: str | None,
           server: str = "gunicorn") -> Target:
    if exhibit is None:
        return Target(service, "baseline (nginx return 200)", "nginx", baseline=True)
    python = "2.7.18" if edition == "then" else "3.11"
    return Target(service, f"{exhibit} on Python {python}", f"prefork ({server})",
                  exhibit=exhibit, edition=edition, python=python, server=server)


def entry(t: Target, rps: float, *, idle: tuple[int, ...] = (10, 100, 1000),
          wall: float | None = 0.21) -> Entry:
    exhibit = not t.baseline
    return Entry(
        target=t,
        hello=tuple(Level(c, spread(rps * c), rps / 10000 if exhibit else 1.0,
                          spread(0.01), spread(0.02), spread(0.05)) for c in (1, 64)),
        errors=0,
        slow=Slow(spread(wall) if wall else None, 0 if wall else 3) if exhibit else None,
        write=Write(spread(300.0), 10, 12, 0, True) if exhibit else None,
        memory=Memory(2**20, 2**21),
        start=0.5,
        idle=tuple(Idle(c, c, c, c, 0.004) for c in idle) + (
            (Idle(1000, 1000, 4, 1000, None),) if idle and idle[-1] == 100 else ()),
    )


def sample() -> Results:
    """The baseline, flask-2010 in both editions, asgi-2016 now."""
    return Results(
        measured="2026-11-25T06:00:00Z", mode="full", machine=MACHINE, settings=SETTINGS,
        entries=(
            entry(target("bench-baseline", None, None), 10000.0),
            entry(target("flask-2010", "flask-2010", "then"), 800.0, idle=(10, 100)),
            entry(target("flask-2010-now", "flask-2010", "now"), 1000.0),
            entry(target("asgi-2016", "asgi-2016", "now", "uvicorn"), 3000.0, wall=None),
        ))


def test_results_round_trip_through_json() -> None:
    results = sample()
    text = results.to_json()
    assert Results.from_json(text) == results
    data = json.loads(text)
    assert data["schema"] == SCHEMA
    # levels are numbers, in order, not a dict's string keys
    assert [level["connections"] for level in data["entries"][1]["hello"]] == [1, 64]
    assert data["entries"][1]["target"]["edition"] == "then"


def test_results_are_read_by_their_records() -> None:
    results = sample()
    then = results.entry("flask-2010")
    assert then.target.name == "flask-2010 (then)" and results.baseline is not None
    assert then.rps(64) == pytest.approx(800.0 * 64)
    assert [e.target.id for e in results.exhibits] == ["flask-2010", "flask-2010-now",
                                                       "asgi-2016"]
    assert [(t.target.id, n.target.id) for t, n in results.then_and_now()] == [
        ("flask-2010", "flask-2010-now")]
    with pytest.raises(MuseumError, match="not measured at 16"):
        then.level(16)
    with pytest.raises(MuseumError, match="no target"):
        results.entry("cgi-1991")


def test_idle_holds_counts_up_to_the_first_level_not_held() -> None:
    results = sample()
    assert results.entry("flask-2010").holds == 100
    assert results.entry("asgi-2016").holds == 1000
    refused = replace(results.entry("asgi-2016"), idle=(Idle(10, 10, 0, 0, None),))
    assert refused.holds == 0 and not refused.closes
    assert replace(refused, idle=()).holds is None
    assert report.holds(refused, (10, 100, 1000)) == "<10"
    # a server that closes every connection after its answer is never tied up by them
    closing = replace(refused, idle=tuple(Idle(c, c, c, 0, 0.002) for c in (10, 100, 1000)))
    assert closing.holds == 1000 and closing.closes
    assert report.holds(closing, (10, 100, 1000)) == "1000 closed"
    assert not results.entry("asgi-2016").closes
    assert report.holds(results.entry("asgi-2016"), (10, 100, 1000)) == "1000"


def test_results_of_another_schema_or_malformed_are_refused(tmp_path: Path) -> None:
    data = json.loads(sample().to_json())
    with pytest.raises(MuseumError, match="schema 3"):
        Results.from_json(json.dumps({**data, "schema": 3}))
    del data["entries"][0]["hello"]
    with pytest.raises(MuseumError, match="malformed"):
        Results.from_json(json.dumps(data))
    (tmp_path / "bad.json").write_text("{")
    with pytest.raises(MuseumError, match="bad.json: cannot read bench results: not JSON"):
        Results.load(tmp_path / "bad.json")


# ---- legacy: the first results format -----------------------------------------------------

def first_format() -> dict[str, Any]:
    """Results as `museum bench` wrote them before editions: dicts keyed by target id."""
    summary = {"median": 1000.0, "low": 900.0, "high": 1100.0, "n": 3}
    level = {"rps": summary, "ratio": 0.5, "p50": {**summary, "median": 0.01},
             "p90": {**summary, "median": 0.02}, "p99": {**summary, "median": 0.05}}
    ids = ["bench-baseline", "asgi-2016", "flask-2010", "django-2005"]
    workers = ["nginx, worker_processes auto", "event-loop (uvicorn)", "prefork (gunicorn)",
               "prefork (gunicorn)"]
    return {
        "measured": "2026-11-25T06:00:00Z", "mode": "quick",
        "machine": {"cores": 2, "cpu": "test", "kernel": "6", "docker": "20"},
        "settings": {"levels": [1, 64], "duration": 1, "rounds": 3, "slow_n": 16,
                     "slow_ms": 200, "cpus": 1.0, "memory": "1g"},
        "targets": [{"id": i, "label": i, "workers": w, "baseline": i == ids[0]}
                    for i, w in zip(ids, workers, strict=True)],
        "hello": {i: {"levels": {"1": level, "64": {**level, "rps": {
            "median": 1000.0 * (n + 1), "low": 900.0 * (n + 1), "high": 1100.0 * (n + 1),
            "n": 3}}}, "errors": 0} for n, i in enumerate(ids)},
        "slow": {i: {"wall": {"median": 0.21, "low": 0.2, "high": 0.25, "n": 3},
                     "incomplete": 0} for i in ids[1:]},
        "write": {i: {"rps": summary, "accepted": 10, "stored": 12, "errors": 0,
                      "exactly_once": True} for i in ids[1:]},
        "memory": {i: {"idle": 2**20, "peak": 2**21} for i in ids},
        "start": dict.fromkeys(ids, 0.5),
        "techempower": {"rho": None, "note": "no figures"},
    }


def test_first_format_results_load_as_now_editions() -> None:
    results = Results.from_json(json.dumps(first_format()))
    assert results.note == legacy.NOTE and results.settings.editions == "now"
    flask = results.entry("flask-2010")
    assert (flask.target.exhibit, flask.target.edition, flask.target.python,
            flask.target.server) == ("flask-2010", "now", "3.11", "gunicorn")
    assert flask.rps(64) == 3000.0 and flask.level(1).ratio == 0.5
    assert flask.write == Write(Summary(1000.0, 900.0, 1100.0, 3), 10, 12, 0, True)
    baseline = results.entry("bench-baseline")
    assert baseline.target.baseline and baseline.slow is None and baseline.write is None
    assert results.entries[0].idle == () and results.settings.idle == ()
    # converted once, the same records come back from the new format
    assert Results.from_json(results.to_json()) == results


def test_first_format_scale_results_keep_their_knob() -> None:
    data = first_format()
    data["scale"] = {"exhibit": "flask-2010", "unit": "workers", "one": "worker",
                     "counts": [1, 2, 4], "default": 4, "server": "gunicorn 27.0.1",
                     "concurrency": "prefork", "targets": ["asgi-2016", "flask-2010",
                                                           "django-2005"]}
    data["targets"][1]["workers"] = "1 worker (gunicorn; GUNICORN_CMD_ARGS=--workers 1)"
    results = Results.from_json(json.dumps(data))
    assert results.scale is not None and results.scale.counts == (1, 2, 4)
    assert results.entry("asgi-2016").target.exhibit == "flask-2010"
    assert results.entry("asgi-2016").target.server == "gunicorn"


def test_broken_first_format_is_one_line_error() -> None:
    data = first_format()
    del data["hello"]["asgi-2016"]
    with pytest.raises(MuseumError, match="first format are malformed"):
        Results.from_json(json.dumps(data))


@pytest.mark.parametrize("name", sorted(p.name for p in (ROOT / "docs/bench").glob("*.json")))
def test_the_committed_results_are_in_the_current_format(name: str) -> None:
    path = ROOT / "docs/bench" / name
    assert json.loads(path.read_text())["schema"] == SCHEMA
    results = Results.load(path)
    assert results.entries and results.baseline is not None
    # files converted from the first format hold today's releases only; later runs say which
    editions = {e.target.edition for e in results.exhibits}
    assert editions == {"now"} if results.note else editions <= {"then", "now"}


# ---- plan ---------------------------------------------------------------------------------

EDITION = """\
      {name}:
        framework: {{name: Flask, version: "{version}", package: Flask}}
        server: {{name: gunicorn, version: "19.0", package: gunicorn}}
        python: "{python}"
        {released}interface: WSGI
        concurrency: prefork
        port: {port}
        scale: {{unit: workers, default: 4, env: {{GUNICORN_CMD_ARGS: "--workers {{n}}"}}}}
        capabilities: [streaming]
        storage: SQLite
        heart: {{file: app.py, start: "def", lines: 3}}
        differs: Different.
"""
EXHIBIT = """\
  - id: {id}
    era: micro
    year: {year}
    title: A framework
    {quick}sources: [{{title: Docs, url: "https://example.org"}}]
    notes: A note.
    editions:
"""


def two_editions() -> Timeline:
    """flask-2010 with both editions (bench_quick), asgi-2016 with a now edition only."""
    text = "lobby: {port: 8100}\neras:\n  - {id: micro, title: Micro, years: x, story: y}\n"
    text += "exhibits:\n" + EXHIBIT.format(id="flask-2010", year=2010,
                                           quick="bench_quick: true\n    ")
    text += EDITION.format(name="then", version="0.6", python="2.7.18", port=9001,
                           released="released: 2010\n        ")
    text += EDITION.format(name="now", version="3.1.3", python="3.11", port=9002, released="")
    text += EXHIBIT.format(id="asgi-2016", year=2016, quick="")
    text += EDITION.format(name="now", version="3.0", python="3.11", port=9003, released="")
    return parse(text)


def ids(chosen: plan.Plan) -> list[str]:
    return [t.id for t in chosen.targets]


def test_the_then_editions_are_measured_by_default() -> None:
    timeline = two_editions()
    chosen = plan.plan(timeline, plan.Request(), cores=2)
    assert ids(chosen) == ["bench-baseline", "flask-2010", "asgi-2016"]
    assert chosen.mode == "full" and chosen.stem == "results"
    flask = chosen.targets[1]
    assert (flask.exhibit, flask.edition, flask.python, flask.server) == (
        "flask-2010", "then", "2.7.18", "gunicorn")
    assert flask.label == "Flask 0.6 on Python 2.7.18"
    assert flask.workers == "prefork (gunicorn 19.0)"


@pytest.mark.parametrize(("request_", "expected"), [
    (plan.Request(editions="now"), ["flask-2010-now", "asgi-2016"]),
    (plan.Request(editions="all"), ["flask-2010", "flask-2010-now", "asgi-2016"]),
    (plan.Request(quick=True), ["flask-2010"]),
    (plan.Request(quick=True, editions="all"), ["flask-2010", "flask-2010-now"]),
    (plan.Request(ids=("asgi-2016", "flask-2010")), ["flask-2010", "asgi-2016"]),
    (plan.Request(ids=("flask-2010-now",)), ["flask-2010-now"]),
    (plan.Request(ids=("flask-2010",), editions="all"), ["flask-2010", "flask-2010-now"]),
    (plan.Request(then_and_now="flask-2010"), ["flask-2010", "flask-2010-now"]),
])
def test_editions_are_chosen(request_: plan.Request, expected: list[str]) -> None:
    assert ids(plan.plan(two_editions(), request_, cores=2)) == ["bench-baseline", *expected]


def test_then_and_now_needs_both_editions() -> None:
    chosen = plan.plan(two_editions(), plan.Request(then_and_now="flask-2010"), cores=2)
    assert chosen.mode == "then-and-now" and chosen.stem == "then-and-now-flask-2010"
    assert chosen.settings.editions == "all"
    with pytest.raises(MuseumError, match="asgi-2016 has no then and now.*with both: "
                                          "flask-2010"):
        plan.plan(two_editions(), plan.Request(then_and_now="asgi-2016"), cores=2)


@pytest.mark.parametrize("request_", [
    plan.Request(scale="flask-2010", ids=("asgi-2016",)),
    plan.Request(scale="flask-2010", quick=True),
    plan.Request(then_and_now="flask-2010", editions="now"),
    plan.Request(then_and_now="flask-2010", scale="flask-2010"),
])
def test_one_exhibit_options_stand_alone(request_: plan.Request) -> None:
    with pytest.raises(MuseumError, match="measures one exhibit"):
        plan.plan(two_editions(), request_, cores=2)


def test_an_exhibit_without_the_edition_asked_for_is_refused() -> None:
    timeline = two_editions()
    with pytest.raises(MuseumError, match="no exhibit or edition 'nothing-2000'"):
        plan.plan(timeline, plan.Request(ids=("nothing-2000",)), cores=2)
    assert plan.editions_of(timeline.exhibit("asgi-2016"), "then")[0].name == "now"


def test_scale_targets_are_the_baseline_and_a_copy_per_count() -> None:
    edition = plan.scalable(TIMELINE, "flask-2010")  # the exhibit's edition with a knob
    assert edition.id == "flask-2010-now"
    targets = plan.scale_targets(edition, (1, 2, 4))
    assert [t.id for t in targets] == ["bench-baseline", "flask-2010-now-x1",
                                       "flask-2010-now-x2", "flask-2010-now-x4"]
    assert targets[1].workers.startswith("1 worker (gunicorn")
    assert "GUNICORN_CMD_ARGS=--workers 4" in targets[3].workers
    assert targets[3].exhibit == "flask-2010"
    with pytest.raises(MuseumError, match="cgi-1991 has no scale knob.*flask-2010"):
        plan.scalable(TIMELINE, "cgi-1991")


@pytest.mark.parametrize("text", ["1,x", "0,2", "2,2", ""])
def test_bad_counts_are_refused(text: str) -> None:
    with pytest.raises(MuseumError, match="--counts"):
        plan.numbers(text, "--counts")


def test_settings_by_mode() -> None:
    timeline = two_editions()
    scaled = plan.plan(timeline, plan.Request(scale="flask-2010"), cores=8)
    full = plan.plan(timeline, plan.Request(), cores=8)
    quick = plan.plan(timeline, plan.Request(quick=True, idle="0"), cores=8)
    assert scaled.settings.cpus == 8.0 and scaled.settings.levels == (16, 64)
    assert scaled.stem == "scale-flask-2010" and scaled.images == ("flask-2010",)
    assert scaled.scale is not None and scaled.scale.targets == (
        "flask-2010-x1", "flask-2010-x2", "flask-2010-x4")
    assert full.settings.cpus == 1.0 and full.settings.levels == (1, 16, 64, 256)
    assert (full.settings.slow_n, scaled.settings.slow_n, quick.settings.slow_n) == (
        100, 32, 16)
    assert full.settings.idle == (10, 100, 1000) and quick.settings.idle == ()
    assert (quick.settings.rounds, quick.settings.duration) == (1, 1)


def test_cores_are_split_between_the_targets_and_wrk() -> None:
    assert cpu_split(2, scaled=False) == ("1", "0-0")
    assert cpu_split(8, scaled=False) == ("7", "0-6")
    assert cpu_split(1, scaled=False) == (None, None)
    assert cpu_split(8, scaled=True) == (None, None)


# ---- measure ------------------------------------------------------------------------------

def test_every_accepted_post_stored_exactly_once() -> None:
    assert exactly_once([WriteRun(300.0, 100, 100, 0), WriteRun(300.0, 100, 116, 0)])
    assert exactly_once([WriteRun(300.0, 100, None, 0)]) is None
    assert exactly_once([]) is None


@pytest.mark.parametrize("stored", [99, 100 + WRITE_CONNECTIONS + 1, 0, 200])
def test_a_wrong_write_count_fails_the_check(stored: int) -> None:
    runs = [WriteRun(300.0, 100, 100, 0), WriteRun(300.0, 100, stored, 0)]
    assert exactly_once(runs) is False
    written = summarise_writes(runs)
    assert written.exactly_once is False and written.stored == 100 + stored
    assert report.once(written) == f"NO {100 + stored}/200"


def test_rounds_rotate_the_order() -> None:
    running = [Running(target(i, None, None), i) for i in ("a", "b", "c")]
    assert [r.target.id for r in rotate(running, 1)] == ["b", "c", "a"]
    assert [r.target.id for r in rotate(running, 3)] == ["a", "b", "c"]
    assert running[0].url == "http://a:8000"


def test_the_progress_bar_counts_every_step() -> None:
    chosen = plan.plan(two_editions(), plan.Request(quick=True, editions="all"), cores=2)
    # 3 targets: 3 starts, 1 round of 3 levels x 3 + 2 x 2 (slow, write), 3 x 3 idle levels
    assert steps(chosen) == 3 + (9 + 4) + 9


class Script:
    """`docker exec` in wrk's container, answered from a script: each command's output by
    its program (wrk, or the script's name), or by a function of the command."""

    def __init__(self, outputs: dict[str, str | Callable[[list[str]], str]]) -> None:
        self.outputs = outputs
        self.commands: list[list[str]] = []

    def __call__(self, container: str, *command: str, timeout: float = 120) -> str:
        self.commands.append(list(command))
        program = command[0] if command[0] == "wrk" else command[1].rsplit("/", 1)[-1]
        output = self.outputs[program]
        return output if isinstance(output, str) else output(list(command))

    def ran(self, program: str) -> list[list[str]]:
        return [c for c in self.commands if program in (c[0], c[1].rsplit("/", 1)[-1])]


@pytest.fixture
def script(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Script]:
    def make(**outputs: str | Callable[[list[str]], str]) -> Script:
        found = Script({name.replace("_py", ".py"): out for name, out in outputs.items()})
        monkeypatch.setattr(docker, "execute", found)
        return found
    return make


def idle_json(connections: int, probe: float | None) -> str:
    return json.dumps({"connections": connections, "opened": connections,
                       "answered": connections, "open": connections, "probe": probe})


def test_wrk_runs_the_scripts_and_reads_their_answers(script: Callable[..., Script]) -> None:
    fake = script(wrk=WRK, ready_py="", count_py="40",
                  slow_py='{"wall": 0.25, "answered": 16, "failures": []}',
                  idle_py=idle_json(100, 0.003))
    wrk = Wrk("wrk")
    running = Running(target("asgi-2016", "asgi-2016", "now", "uvicorn"), "abc")
    assert wrk.hello(running, 64, 1).requests == 4500
    assert fake.commands[0][:4] == ["wrk", "-t1", "-c64", "-d1s"]
    assert fake.commands[0][-1] == "http://asgi-2016:8000/hello"
    assert fake.commands[1][:2] == ["python3", "/bench/ready.py"]  # it settles after a load
    assert wrk.slow(running, 16, 200) == 0.25
    assert wrk.idle(running, 100, 1.0) == Idle(100, 100, 100, 100, 0.003)
    assert fake.ran("idle.py")[0][2:] == ["http://asgi-2016:8000", "100", "1.0", "5.0"]
    # the guestbook's total did not move: 4050 accepted, none stored
    written = wrk.write(running, 1)
    assert (written.accepted, written.stored, written.errors) == (4050, 0, 455)
    assert written.rps == pytest.approx(4481.07 * 0.9)
    assert "/bench/post.lua" in fake.ran("wrk")[-1]


def test_a_slow_probe_or_an_incomplete_burst_is_not_counted(
        script: Callable[..., Script]) -> None:
    script(ready_py="", slow_py='{"wall": 9.0, "answered": 15}', idle_py=idle_json(10, 1.5))
    running = Running(target("cgi-1991", "cgi-1991", "now"), "abc")
    assert Wrk("wrk").slow(running, 16, 200) is None
    assert Wrk("wrk").idle(running, 10, 1.0).probe is None


def test_the_rounds_interleave_and_stop_the_idle_levels_at_the_first_not_held(
        script: Callable[..., Script]) -> None:
    def idle(command: list[str]) -> str:
        connections = int(command[3])
        held = "bench-baseline" in command[2] or connections < 1000
        return idle_json(connections, 0.001 if held else None)

    fake = script(wrk=WRK, ready_py="", count_py="40",
                  slow_py='{"wall": 0.25, "answered": 4}', idle_py=idle)
    running = [Running(target("bench-baseline", None, None), "a"),
               Running(target("asgi-2016", "asgi-2016", "now"), "b")]
    settings = replace(SETTINGS, rounds=2, slow_n=4)
    tallies = rounds(Wrk("wrk"), running, settings, Progress(1, quiet=True))
    hellos = [c[-1] for c in fake.ran("wrk") if "/bench/post.lua" not in c]
    base, asgi = "http://bench-baseline:8000/hello", "http://asgi-2016:8000/hello"
    # round one starts with the baseline at each level, round two with asgi-2016
    assert hellos == [base, asgi, base, asgi, asgi, base, asgi, base]
    assert [c[2:4] for c in fake.ran("idle.py")] == [
        ["http://bench-baseline:8000", "10"], ["http://bench-baseline:8000", "100"],
        ["http://bench-baseline:8000", "1000"], ["http://asgi-2016:8000", "10"],
        ["http://asgi-2016:8000", "100"], ["http://asgi-2016:8000", "1000"]]
    measured = entry_of(running[1], tallies["asgi-2016"], tallies["bench-baseline"], settings,
                        Memory(1, 2), 0.5)
    assert measured.holds == 100 and measured.level(64).ratio == pytest.approx(1.0)
    assert measured.slow == Slow(Summary(0.25, 0.25, 0.25, 2), 0)
    assert measured.write is not None and measured.write.exactly_once is False
    assert measured.write.accepted == 8100 and measured.write.stored == 0
    assert entry_of(running[0], tallies["bench-baseline"], tallies["bench-baseline"],
                    settings, Memory(1, 2), 0.1).slow is None


def test_a_memory_limit_goes_with_an_equal_swap_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    """Docker refuses a memory limit above a container's memory-swap, which compose.yaml's
    mem_limit sets: the bench's limit sets both."""
    updates: list[tuple[str, ...]] = []
    monkeypatch.setattr(docker, "update", lambda container, *options: updates.append(
        (container, *options)))
    docker.limit("abc", cpus=1.0, memory="1g", cpuset="1")
    docker.limit("wrk", cpuset="0-0")
    docker.limit("none")
    assert updates == [("abc", "--cpus", "1.0", "--memory", "1g", "--memory-swap", "1g",
                        "--cpuset-cpus", "1"), ("wrk", "--cpuset-cpus", "0-0")]


def test_the_bench_has_a_compose_file_and_project_of_its_own(
        fake_site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    chosen = plan.plan(fake_site.timeline, plan.Request(), cores=2)
    own = own_site(fake_site, "museumbenchtest", chosen)
    assert own.project == "museumbenchtest" and own.host.startswith("127.254.")
    assert own.compose_file is not None and own.compose_file.name == "museumbenchtest.compose.yaml"
    text = own.compose_file.read_text()
    assert "bench-wrk:" in text and "bench-baseline:" in text and own.host in text


def test_the_progress_bar_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    progress = Progress(4, quiet=False)
    progress.step("hello c=64 asgi-2016")
    progress.finish()
    err = capsys.readouterr().err
    assert err.startswith("\r[#######.......................] 1/4") and err.endswith("\n")


# ---- techempower --------------------------------------------------------------------------

REFERENCE = """\
source: "a test"
run: "a run"
test: json
level: 64
requests_per_second:
  uvicorn: {plaintext: 9, json: 400}
  flask: {plaintext: 9, json: 300}
  django: {plaintext: null, json: 100}
  wsgi: {plaintext: 9, json: 500}
servers:
  uvicorn: {server: uvicorn, how: "uvicorn"}
  flask: {server: meinheld, how: "meinheld"}
  django: {server: gunicorn, how: "gunicorn"}
  wsgi: {server: meinheld, how: "meinheld"}
editions:
  asgi-2016: {now: uvicorn}
  flask-2010: {then: flask, now: flask}
  django-2005: {then: django, now: django}
  wsgi-2003: {then: wsgi, now: wsgi}
"""


def ranked(rps: dict[str, float], level: int = 64) -> Results:
    servers = {"asgi-2016": "uvicorn", "flask-2010": "gunicorn", "django-2005": "gunicorn",
               "wsgi-2003": "gunicorn"}
    entries = [entry(target("bench-baseline", None, None), 10000.0)]
    for service, value in rps.items():
        exhibit = service.removesuffix("-now")
        edition = "now" if service.endswith("-now") or exhibit == "asgi-2016" else "then"
        entries.append(entry(target(service, exhibit, edition, servers[exhibit]),
                             value / level))
    return Results(measured="x", mode="full", machine=MACHINE, settings=SETTINGS,
                   entries=tuple(entries))


def test_rho_on_known_rankings() -> None:
    reference = techempower.Reference.parse(REFERENCE)
    # theirs: wsgi 500, uvicorn 400, flask 300, django 100; ours the same order
    same = techempower.cross_check(ranked({"wsgi-2003": 4, "asgi-2016": 3, "flask-2010": 2,
                                           "django-2005": 1}), reference)
    assert same is not None and same.rho == pytest.approx(1.0) and not same.divergent
    # ours reversed: rho -1; the ranks 1 and 4 trade places, more than two apart
    reverse = techempower.cross_check(ranked({"wsgi-2003": 1, "asgi-2016": 2,
                                              "flask-2010": 3, "django-2005": 4}), reference)
    assert reverse is not None and reverse.rho == pytest.approx(-1.0)
    assert [p.target.id for p in reverse.divergent] == ["django-2005", "wsgi-2003"]
    # d = (1, -1, 0, 0): 1 - 6 * 2 / (4 * 15) = 0.8
    swapped = techempower.cross_check(ranked({"wsgi-2003": 3, "asgi-2016": 4,
                                              "flask-2010": 2, "django-2005": 1}), reference)
    assert swapped is not None and swapped.rho == pytest.approx(0.8)
    assert [p.test for p in swapped.pairs] == ["uvicorn", "wsgi", "flask", "django"]
    assert [p.test for p in swapped.theirs_in_order] == ["wsgi", "uvicorn", "flask", "django"]


def test_the_same_server_pairs_are_ranked_apart() -> None:
    reference = techempower.Reference.parse(REFERENCE)
    check = techempower.cross_check(ranked({"wsgi-2003": 1, "asgi-2016": 2, "flask-2010": 3,
                                            "django-2005": 4}), reference)
    assert check is not None
    assert [p.target.id for p in check.same] == ["django-2005", "asgi-2016"]
    assert check.rho_same is None  # two pairs: too few for a rho
    wsgi = next(p for p in check.pairs if p.test == "wsgi")
    assert wsgi.reason == "prefork (gunicorn) on Python 2.7.18 here, meinheld there"
    django = next(p for p in check.pairs if p.test == "django")
    assert django.reason.startswith("the same server; ")


def test_the_now_edition_is_ranked_where_both_point_at_one_test() -> None:
    reference = techempower.Reference.parse(REFERENCE)
    check = techempower.cross_check(
        ranked({"flask-2010": 50, "flask-2010-now": 40, "asgi-2016": 30, "wsgi-2003": 20}),
        reference)
    assert check is not None
    assert sorted(p.target.id for p in check.pairs) == ["asgi-2016", "flask-2010-now",
                                                        "wsgi-2003"]


def test_the_level_compared_is_the_nearest_measured() -> None:
    reference = techempower.Reference.parse(REFERENCE)
    assert techempower.level_to_compare(reference, (1, 16, 64, 256)) == 64
    assert techempower.level_to_compare(reference, (1, 4)) == 4
    assert techempower.level_to_compare(reference, (32, 96)) == 96


def test_a_reference_pointing_at_a_test_without_a_figure_is_refused() -> None:
    with pytest.raises(MuseumError, match="no json figure or no server: bottle"):
        techempower.Reference.parse(REFERENCE + "  bottle-2009: {now: bottle}\n")
    with pytest.raises(MuseumError, match="not a TechEmpower reference"):
        techempower.Reference.parse("test: json\n")


def test_the_museums_reference_names_real_exhibits_and_editions() -> None:
    reference = techempower.Reference.load(ROOT)
    assert reference.test == "json" and reference.level == 64
    exhibits = {e.id for e in TIMELINE.exhibits}
    for (exhibit, edition), test in reference.editions.items():
        assert exhibit in exhibits and edition in ("then", "now"), (exhibit, edition)
        assert test in reference.figures and test in reference.servers
    # the servers are spelled as timeline.yaml spells the museum's
    spelled = {e.server.name for e in TIMELINE.editions}
    assert {"uvicorn", "gunicorn", "Hypercorn", "TornadoServer"} <= spelled
    assert reference.figures["wsgi"] == 1559748 and reference.figures["django"] == 30137


# What docs/bench/README.md quotes of each committed run against TechEmpower: the pairs, rho
# over all and over those sharing a server, which share one, and the ranks more than 2 apart.
QUOTED = {
    # today's releases: the server sets the order; uWSGI and bare WSGI differ most in theirs
    "results-2026-11-25.json": (11, 0.709, 1.0, [
        "asgi-2016", "django-2005", "fastapi-2018", "quart-2018", "starlette-2018",
        "tornado-2009"], [("uwsgi-2008", 4, 8), ("wsgi-2003", 7, 1)]),
    # the period editions: 2009's releases rank apart from today's
    "results.json": (10, 0.152, 0.4, [
        "fastapi-2018", "quart-2018", "starlette-2018", "tornado-2009"],
        [("tornado-2009", 2, 8), ("pyramid-2010", 8, 5), ("wsgi-2003", 10, 1)]),
}


@pytest.mark.parametrize("name", sorted(QUOTED))
def test_the_committed_results_against_techempower(name: str) -> None:
    pairs, rho, rho_same, same, divergent = QUOTED[name]
    check = techempower.cross_check(Results.load(ROOT / "docs/bench" / name),
                                    techempower.Reference.load(ROOT))
    assert check is not None and check.level == 64 and len(check.pairs) == pairs
    assert check.rho == pytest.approx(rho, abs=0.001)
    assert check.rho_same == pytest.approx(rho_same)
    assert sorted(p.target.id for p in check.same) == same
    assert [(p.target.id, p.our_rank, p.their_rank) for p in check.divergent] == divergent


def test_a_run_of_one_exhibit_has_no_cross_check() -> None:
    reference = techempower.Reference.load(ROOT)
    scaled = Results.load(ROOT / "docs/bench/scale-flask-2010.json")
    assert techempower.cross_check(scaled, reference) is None
    assert techempower.cross_check(replace(sample(), mode="then-and-now"), reference) is None


# ---- report -------------------------------------------------------------------------------

def test_table_aligns_columns() -> None:
    text = report.table(["target", "req/s"], [["asgi-2016", "4,481"], ["cgi-1991", "9.0"]])
    lines = text.splitlines()
    assert lines[0] == "target     req/s"
    assert lines[1] == "---------  -----"
    assert lines[2] == "asgi-2016  4,481"
    assert lines[3] == "cgi-1991     9.0"


def test_report_is_a_table_with_the_machine_and_legend() -> None:
    results = sample()
    check = techempower.cross_check(results, techempower.Reference.parse(REFERENCE))
    text = report.render(results, check)
    assert "2 cores (test)" in text and "1.0 CPU and 1g memory" in text
    assert "req/s c=64" in text and "idle conns" in text and "210.0ms ±" in text
    rows = {line.split()[0]: line for line in text.splitlines() if line.startswith(
        ("flask", "asgi", "bench"))}
    assert " then 2.7.18 " in rows["flask-2010"] and " now 3.11 " in rows["flask-2010-now"]
    assert rows["flask-2010"].split()[-4] == "100" and rows["asgi-2016"].split()[-4] == "1000"
    assert "incomplete" in rows["asgi-2016"]
    assert "held open while GET /hello still answered within 1 s" in text
    assert "TechEmpower cross-check: GET /hello at 64 connections" in text
    assert "too few for a rank correlation" in text  # two frameworks only


def test_report_of_converted_results_says_so_and_has_no_idle_column() -> None:
    results = Results.load(ROOT / "docs/bench/results-2026-11-25.json")
    text = report.render(results, techempower.cross_check(results,
                                                          techempower.Reference.load(ROOT)))
    assert legacy.NOTE in text and "idle conns" not in text
    assert "Spearman's rho 0.71 over 11 frameworks; 1.00 over the 6" in text
    assert "wsgi-2003: 7th here, 1st there (wsgi): prefork (gunicorn) on Python 3.11" in text


def test_scale_report_names_the_knob_not_techempower() -> None:
    text = report.render(Results.load(ROOT / "docs/bench/scale-flask-2010.json"))
    assert "flask-2010-x4" in text and "TechEmpower" not in text
    assert "at 1, 2, 4 workers side by side, its own setting being 4" in text


# ---- charts -------------------------------------------------------------------------------

def svg(path: Path) -> str:
    assert ET.parse(path).getroot().tag.endswith("svg")
    return path.read_text()


def test_the_charts_are_written_with_then_and_now(tmp_path: Path) -> None:
    written = charts.draw(sample(), tmp_path)
    assert [p.name for p in written] == [
        f"{name}.{kind}" for name in ("throughput", "latency", "slow", "memory",
                                      "then-and-now-flask-2010") for kind in ("png", "svg")]
    assert all(p.read_bytes().startswith(b"\x89PNG") for p in written if p.suffix == ".png")
    assert "flask-2010 (then)" in svg(tmp_path / "throughput.svg")


def test_the_then_and_now_chart_sets_the_two_editions_side_by_side(tmp_path: Path) -> None:
    results = sample()
    then, now = next(results.then_and_now())
    written = charts.draw_then_and_now(results, then, now, tmp_path)
    assert [p.name for p in written] == ["then-and-now-flask-2010.png",
                                         "then-and-now-flask-2010.svg"]
    text = svg(written[1])
    assert "then: flask-2010 on Python 2.7.18" in text and "now: flask-2010 on Python 3.11" in text
    assert "flask-2010, then and now" in text
    for panel in ("GET /hello, requests per second", "concurrent /slow?ms=200",
                  "resident memory, MiB"):
        assert panel in text
    assert "51,200" in text and "64,000" in text  # throughput at 64 connections, then and now


def test_a_then_and_now_run_draws_only_its_chart(tmp_path: Path) -> None:
    results = replace(sample(), mode="then-and-now")
    assert [p.name for p in charts.draw_any(results, tmp_path)] == [
        "then-and-now-flask-2010.png", "then-and-now-flask-2010.svg"]


def test_the_scale_chart_is_written(tmp_path: Path) -> None:
    results = Results.load(ROOT / "docs/bench/scale-flask-2010.json")
    written = charts.draw_any(results, tmp_path)
    assert [p.name for p in written] == ["scale-flask-2010.png", "scale-flask-2010.svg"]
    assert "one at a time per worker" in svg(written[1])


def test_a_run_that_did_not_finish_is_labelled_not_drawn_as_zero(tmp_path: Path) -> None:
    results = sample()
    asgi = results.entry("asgi-2016")
    silent = replace(asgi, hello=(asgi.hello[0], replace(asgi.hello[1],
                                                         rps=Summary(0.0, 0.0, 0.0, 3))))
    charts.draw(replace(results, entries=(*results.entries[:3], silent)), tmp_path)
    slow = svg(tmp_path / "slow.svg")
    assert slow.count("not all answered") == 1 and "0.21" in slow
    assert svg(tmp_path / "throughput.svg").count("none answered") == 1


# ---- the command line ---------------------------------------------------------------------

def test_charts_and_report_are_redrawn_from_a_results_file(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sample().dump(tmp_path / "results.json")
    assert cli.main(["bench", "--redraw", str(tmp_path / "results.json")], cwd=ROOT) == 0
    assert (tmp_path / "slow.svg").exists() and (tmp_path / "then-and-now-flask-2010.png").exists()
    assert "flask-2010-now" in capsys.readouterr().out
    (tmp_path / "old.json").write_text(json.dumps(first_format()))
    out = tmp_path / "charts"
    out.mkdir()
    assert cli.main(["bench", "--redraw", str(tmp_path / "old.json"), "--out", str(out)],
                    cwd=ROOT) == 0
    assert (out / "throughput.svg").exists()
    assert cli.main(["bench", "--redraw", str(tmp_path / "missing.json")], cwd=ROOT) != 0
    assert "missing.json: cannot read bench results" in capsys.readouterr().err


def test_the_command_refuses_a_second_exhibit_with_scale(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["bench", "--scale", "flask-2010", "asgi-2016"], cwd=ROOT) != 0
    assert "--scale measures one exhibit" in capsys.readouterr().err


def test_the_arguments_become_the_request() -> None:
    parser = argparse.ArgumentParser()
    bench.add_arguments(parser)
    request = bench.request_from(parser.parse_args(
        ["flask-2010", "--editions", "all", "--idle", "10,100", "--levels", "1,4"]))
    assert request == plan.Request(ids=("flask-2010",), editions="all", idle="10,100",
                                   levels="1,4")
    with pytest.raises(SystemExit):
        parser.parse_args(["--editions", "both"])
