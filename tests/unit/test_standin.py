from __future__ import annotations

from pathlib import Path

from museum.site import MODERN, PERIOD
from museum.standin import (
    debootstrap_failed,
    host_apt_settings,
    host_mirror,
    import_changes,
    prepare_rootfs,
    sources_text,
    write_env_file,
)


def test_mirror_comes_from_the_hosts_sources(tmp_path: Path) -> None:
    (tmp_path / "sources.list.d").mkdir()
    assert host_mirror(tmp_path) == "http://deb.debian.org/debian"
    (tmp_path / "sources.list.d" / "debian.sources").write_text(
        "Types: deb\nURIs: http://mirror.example/debian/\nSuites: bookworm\n")
    assert host_mirror(tmp_path) == "http://mirror.example/debian"
    text = sources_text("http://mirror.example/debian", "bookworm")
    assert "Suites: bookworm bookworm-updates" in text
    assert "URIs: http://mirror.example/debian-security" in text


def test_only_network_settings_are_copied(tmp_path: Path) -> None:
    (tmp_path / "99proxy").write_text('Acquire::http::Proxy "http://proxy:3128";\n')
    (tmp_path / "70debconf").write_text('DPkg::Pre-Install-Pkgs {"x";};\n')
    assert host_apt_settings(tmp_path) == {"99proxy": 'Acquire::http::Proxy "http://proxy:3128";\n'}


def test_rootfs_gets_the_hosts_ca_bundle(tmp_path: Path) -> None:
    root = tmp_path / "root"
    for folder in ("etc/apt/sources.list.d", "etc/apt/apt.conf.d", "etc/ssl/certs",
                   "var/cache/apt/archives", "var/lib/apt/lists"):
        (root / folder).mkdir(parents=True)
    (root / "var/cache/apt/archives/python3.deb").write_bytes(b"x")
    bundle = tmp_path / "bundle.crt"
    bundle.write_text("-----BEGIN CERTIFICATE-----\nhost\n-----END CERTIFICATE-----\n")
    prepare_rootfs(root, "http://deb.debian.org/debian", "bullseye", bundle)
    assert (root / "etc/ssl/certs/ca-certificates.crt").read_text() == bundle.read_text()
    kept = root / "usr/local/share/ca-certificates/museum-host-bundle.crt"
    assert kept.read_text() == bundle.read_text()
    assert not (root / "var/cache/apt/archives/python3.deb").exists()
    assert "bullseye-security" in (root / "etc/apt/sources.list.d/debian.sources").read_text()


def test_image_settings_point_pip_at_the_bundle() -> None:
    changes = import_changes(MODERN)
    assert "ENV PIP_CERT=/etc/ssl/certs/ca-certificates.crt" in changes
    assert changes[-1] == 'CMD ["python3"]'
    assert import_changes(PERIOD)[-1] == 'CMD ["python2.7"]'


def test_env_file_keeps_other_settings(tmp_path: Path) -> None:
    env = tmp_path / ".env"
    env.write_text("COMPOSE_PARALLEL_LIMIT=2\nMUSEUM_BASE_IMAGE=old\n")
    write_env_file(env, "MUSEUM_BASE_IMAGE", "museum/base:new")
    write_env_file(env, "MUSEUM_PERIOD_BASE_IMAGE", "museum/base:old")
    assert env.read_text() == ("COMPOSE_PARALLEL_LIMIT=2\nMUSEUM_BASE_IMAGE=museum/base:new\n"
                               "MUSEUM_PERIOD_BASE_IMAGE=museum/base:old\n")


def test_a_suite_gone_from_the_mirror_is_explained() -> None:
    said = debootstrap_failed(PERIOD, "http://deb.debian.org/debian",
                              "W: cannot fetch\nE: Failed getting release file\n")
    assert "bullseye" in said and "E: Failed getting release file" in said
    assert "archive.debian.org" in said and "Images already built keep working" in said
