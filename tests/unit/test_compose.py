from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from museum.compose import render
from museum.errors import MuseumError
from museum.timeline import Timeline, load

from tests.stage import require_docker

ROOT = Path(__file__).resolve().parents[2]
TIMELINE = load(ROOT / "timeline.yaml")


def test_compose_yaml_is_generated_from_timeline() -> None:
    committed = (ROOT / "compose.yaml").read_text()
    assert committed == render(TIMELINE), (
        "compose.yaml has drifted from timeline.yaml: run `museum compose`")


def test_every_edition_is_a_confined_service() -> None:
    document = yaml.safe_load(render(TIMELINE))
    services = document["services"]
    assert list(services) == ["lobby", *(e.id for e in TIMELINE.editions), "bench-baseline",
                              "bench-wrk"]
    assert services["lobby"]["ports"] == [f"127.0.0.1:{TIMELINE.lobby_port}:8000"]
    for edition in TIMELINE.editions:
        service = services[edition.id]
        tls = [f"127.0.0.1:{edition.tls_port}:8443"] if edition.tls_port is not None else []
        assert service["ports"] == [f"127.0.0.1:{edition.port}:8000", *tls]
        assert service["init"] is True and service["stop_grace_period"] == "10s"
        assert service["healthcheck"]["test"][:2] == (
            ["CMD", "python2.7"] if edition.period else ["CMD", "python3"])
        assert service["volumes"] == [f"{edition.volume}:/data"]
        assert edition.volume in document["volumes"]
        assert service["build"]["dockerfile"] == str(edition.dockerfile)
        assert service["build"]["args"]["BASE_IMAGE"] == (
            "${MUSEUM_PERIOD_BASE_IMAGE:-debian:bullseye-slim}" if edition.period
            else "${MUSEUM_BASE_IMAGE:-python:3.11-slim-bookworm}")
        assert service["environment"]["MUSEUM_EXHIBIT_ID"] == edition.id
        assert service["environment"]["MUSEUM_EXHIBIT_EDITION"] == edition.name
        assert service["read_only"] is True and "/tmp" in service["tmpfs"]
        assert service["cap_drop"] == ["ALL"]
        assert service["security_opt"] == ["no-new-privileges:true"]
        assert service["mem_limit"] == edition.limits.memory
        assert service["pids_limit"] == edition.limits.pids
        assert service["labels"] == {"museum.exhibit": edition.exhibit,
                                     "museum.edition": edition.name}


def test_dollar_signs_are_escaped_for_compose() -> None:
    exhibit = TIMELINE.runnable[0]
    first = replace(exhibit.editions[0], title="Costs $5")
    changed = Timeline(TIMELINE.eras, (replace(exhibit, editions=(first,)),))
    assert 'MUSEUM_EXHIBIT_TITLE: "Costs $$5"' in render(changed)


def test_compose_v1_accepts_the_file() -> None:
    """Debian's docker-compose 1.29 parses compose.yaml (Compose v2 reads the same spec)."""
    if shutil.which("docker-compose") is None:
        require_docker()
        pytest.skip("docker-compose is not installed")
    done = subprocess.run(["docker-compose", "-f", str(ROOT / "compose.yaml"), "config"],
                          capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "MUSEUM_BASE_IMAGE": "museum/base:test"})
    assert done.returncode == 0, done.stderr
    parsed = yaml.safe_load(done.stdout)
    first = parsed["services"][TIMELINE.editions[-1].id]
    assert first["build"]["args"]["BASE_IMAGE"] == "museum/base:test"


def test_bench_services_run_only_with_the_bench_profile() -> None:
    services = yaml.safe_load(render(TIMELINE))["services"]
    for name in ("bench-baseline", "bench-wrk"):
        assert services[name]["profiles"] == ["bench"]
        assert "ports" not in services[name]
        assert services[name]["build"]["dockerfile"] == f"tools/bench/{name[6:]}/Dockerfile"


def test_a_tls_port_is_published_on_loopback_too() -> None:
    exhibit = TIMELINE.runnable[0]
    first = replace(exhibit.editions[0], tls_port=8999)
    changed = Timeline(TIMELINE.eras, (replace(exhibit, editions=(first,)),))
    service = yaml.safe_load(render(changed, bind="127.0.0.9"))["services"][first.id]
    assert service["ports"] == [f"127.0.0.9:{first.port}:8000", "127.0.0.9:8999:8443"]


def test_scaled_copies_set_the_knob_and_publish_nothing() -> None:
    flask = next(e for e in TIMELINE.editions if e.exhibit == "flask-2010" and e.scale)
    document = yaml.safe_load(render(TIMELINE, scale=(flask, (1, 2, 4))))
    assert flask.scale is not None
    name = next(iter(flask.scale.env))[0]
    for n in (1, 2, 4):
        copy = document["services"][f"{flask.id}-x{n}"]
        assert copy["image"] == flask.image and "build" not in copy
        assert "ports" not in copy and copy["profiles"] == ["bench"]
        assert copy["environment"][name] == flask.scale.environment(n)[name]
        assert copy["environment"]["MUSEUM_EXHIBIT_ID"] == flask.id
        assert copy["volumes"] == [f"{flask.id}-x{n}-data:/data"]
        assert copy["read_only"] is True
        assert f"{flask.id}-x{n}-data" in document["volumes"]
    assert name not in document["services"][flask.id]["environment"]


def test_an_edition_without_a_knob_cannot_be_scaled() -> None:
    cgi = TIMELINE.exhibit("cgi-1991").main
    with pytest.raises(MuseumError, match=f"{cgi.id} has no scale knob"):
        render(TIMELINE, scale=(cgi, (1, 2)))
