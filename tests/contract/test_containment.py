"""Rule 15: every edition runs confined, as timeline.yaml and compose.yaml say, and the engine
really enforces it on the running container."""

from __future__ import annotations

from museum.docker import host_config, top
from museum.timeline import Edition

from tests.stage import Live


def test_the_container_is_confined(edition: Edition, live: Live) -> None:
    """15.1 Read-only root, tmpfs only where the server writes scratch files, no capabilities
    but those listed, no new privileges, memory, process and CPU limits, nothing as root."""
    container = live.container()
    config = host_config(container)
    assert config.get("ReadonlyRootfs") is True, "the root filesystem is writable"
    assert set(config.get("Tmpfs") or {}) == set(edition.limits.scratch), config.get("Tmpfs")
    assert [c.upper() for c in config.get("CapDrop") or []] == ["ALL"], config.get("CapDrop")
    assert sorted(config.get("CapAdd") or []) == sorted(edition.limits.cap_add)
    assert "no-new-privileges:true" in (config.get("SecurityOpt") or [])
    assert config.get("Memory", 0) > 0, "no memory limit"
    assert (config.get("PidsLimit") or 0) > 0, "no process limit"
    assert config.get("NanoCpus", 0) > 0, "no CPU limit"
    processes = top(container)
    assert processes, "docker top shows no process"
    as_root = [p for p in processes if p["user"] in ("root", "0")]
    assert not as_root, f"processes running as root: {as_root}"
