from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from museum.compose import render
from museum.errors import MuseumError
from museum.timeline import load

ROOT = Path(__file__).resolve().parents[2]


def test_compose_yaml_is_generated_from_timeline() -> None:
    committed = (ROOT / "compose.yaml").read_text()
    assert committed == render(load(ROOT / "timeline.yaml", check_folders=False)), (
        "compose.yaml has drifted from timeline.yaml: run `museum compose`")


def test_every_service_follows_the_rules() -> None:
    timeline = load(ROOT / "timeline.yaml", check_folders=False)
    document = yaml.safe_load(render(timeline))
    services = document["services"]
    assert list(services) == ["lobby", *(e.id for e in timeline.runnable), "bench-baseline",
                              "bench-wrk"]
    assert services["lobby"]["ports"] == [f"127.0.0.1:{timeline.lobby_port}:8000"]
    assert services["lobby"]["init"] is True
    for exhibit in timeline.runnable:
        service = services[exhibit.id]
        tls = [f"127.0.0.1:{exhibit.tls_port}:8443"] if exhibit.tls_port is not None else []
        assert service["ports"] == [f"127.0.0.1:{exhibit.port}:8000", *tls]
        assert service["init"] is True
        assert service["healthcheck"]["test"][0] == "CMD"
        assert service["stop_grace_period"] == "10s"
        volume = f"{exhibit.id}-data"
        assert service["volumes"] == [f"{volume}:/data"] and volume in document["volumes"]
        assert service["build"]["dockerfile"] == f"exhibits/{exhibit.id}/Dockerfile"
        assert service["build"]["args"]["BASE_IMAGE"] == (
            "${MUSEUM_BASE_IMAGE:-python:3.11-slim-bookworm}")
        assert service["environment"]["MUSEUM_EXHIBIT_ID"] == exhibit.id


def test_dollar_signs_are_escaped_for_compose() -> None:
    timeline = load(ROOT / "timeline.yaml", check_folders=False)
    first = timeline.runnable[0]
    changed = type(timeline)(timeline.eras, (
        type(first)(**{**first.__dict__, "title": "Costs $5"}),))
    assert 'MUSEUM_EXHIBIT_TITLE: "Costs $$5"' in render(changed)


def test_compose_v1_accepts_the_file() -> None:
    """Debian's docker-compose 1.29 parses compose.yaml (Compose v2 reads the same spec)."""
    if shutil.which("docker-compose") is None:
        if os.environ.get("MUSEUM_REQUIRE_DOCKER") == "1":
            pytest.fail("docker-compose is not installed")
        pytest.skip("docker-compose is not installed")
    done = subprocess.run(["docker-compose", "-f", str(ROOT / "compose.yaml"), "config"],
                          capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "MUSEUM_BASE_IMAGE": "museum/base:test"})
    assert done.returncode == 0, done.stderr
    parsed = yaml.safe_load(done.stdout)
    first = next(iter(parsed["services"].values()))
    assert first["build"]["args"]["BASE_IMAGE"] == "museum/base:test"


def test_bench_services_run_only_with_the_bench_profile() -> None:
    services = yaml.safe_load(render(load(ROOT / "timeline.yaml", check_folders=False)))[
        "services"]
    for name in ("bench-baseline", "bench-wrk"):
        assert services[name]["profiles"] == ["bench"]
        assert "ports" not in services[name]
        assert services[name]["build"]["dockerfile"] == f"tools/bench/{name[6:]}/Dockerfile"


def test_a_tls_port_is_published_on_loopback_too() -> None:
    timeline = load(ROOT / "timeline.yaml", check_folders=False)
    first = timeline.runnable[0]
    changed = type(timeline)(timeline.eras, (
        type(first)(**{**first.__dict__, "tls_port": 8999}),))
    service = yaml.safe_load(render(changed, bind="127.0.0.9"))["services"][first.id]
    assert service["ports"] == [f"127.0.0.9:{first.port}:8000", "127.0.0.9:8999:8443"]


def test_scaled_copies_set_the_knob_and_publish_nothing() -> None:
    timeline = load(ROOT / "timeline.yaml", check_folders=False)
    flask = timeline.exhibit("flask-2010")
    document = yaml.safe_load(render(timeline, scale=(flask, (1, 2, 4))))
    for n in (1, 2, 4):
        copy = document["services"][f"flask-2010-x{n}"]
        assert copy["image"] == "museum/flask-2010:latest" and "build" not in copy
        assert "ports" not in copy and copy["profiles"] == ["bench"]
        assert copy["environment"]["GUNICORN_CMD_ARGS"] == f"--workers {n}"
        assert copy["environment"]["MUSEUM_EXHIBIT_ID"] == "flask-2010"
        assert copy["volumes"] == [f"flask-2010-x{n}-data:/data"]
        assert f"flask-2010-x{n}-data" in document["volumes"]
    assert "GUNICORN_CMD_ARGS" not in document["services"]["flask-2010"]["environment"]


def test_an_exhibit_without_a_knob_cannot_be_scaled() -> None:
    timeline = load(ROOT / "timeline.yaml", check_folders=False)
    with pytest.raises(MuseumError, match="cgi-1991 has no scale knob"):
        render(timeline, scale=(timeline.exhibit("cgi-1991"), (1, 2)))
