"""Build a stand-in for the official Python image on machines with no image registry.

Debian bookworm from debootstrap (minbase, python3, python3-venv, ca-certificates), with the
host's CA bundle and package-mirror settings inside, so that `docker build` reaches PyPI and
the Debian mirror exactly as the host does.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from museum import docker
from museum.errors import ExitStatus, MuseumError
from museum.paths import repo_root

TAG = "museum/base:bookworm-python3"
SUITE = "bookworm"
PACKAGES = ("python3", "python3-venv", "ca-certificates")
DEFAULT_MIRROR = "http://deb.debian.org/debian"
HOST_CA_BUNDLE = Path("/etc/ssl/certs/ca-certificates.crt")
IMAGE_ENV = {
    "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    "LANG": "C.UTF-8",
    "SSL_CERT_FILE": "/etc/ssl/certs/ca-certificates.crt",
    "PIP_CERT": "/etc/ssl/certs/ca-certificates.crt",
    "REQUESTS_CA_BUNDLE": "/etc/ssl/certs/ca-certificates.crt",
    "PIP_DISABLE_PIP_VERSION_CHECK": "1",
}


def host_mirror(sources_dir: Path = Path("/etc/apt")) -> str:
    """The Debian mirror the host's apt uses, so the image reaches it the same way."""
    candidates = sorted((sources_dir / "sources.list.d").glob("*.sources"))
    for path in candidates:
        for line in path.read_text().splitlines():
            if line.startswith("URIs:"):
                for uri in line.split()[1:]:
                    if uri.rstrip("/").endswith("/debian"):
                        return uri.rstrip("/")
    listing = sources_dir / "sources.list"
    if listing.exists():
        for line in listing.read_text().splitlines():
            parts = line.split()
            if len(parts) >= 3 and parts[0] == "deb" and parts[1].rstrip("/").endswith("/debian"):
                return parts[1].rstrip("/")
    return DEFAULT_MIRROR


def sources_text(mirror: str) -> str:
    security = mirror.rsplit("/", 1)[0] + "/debian-security"
    return (
        f"Types: deb\nURIs: {mirror}\nSuites: {SUITE} {SUITE}-updates\nComponents: main\n"
        "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n\n"
        f"Types: deb\nURIs: {security}\nSuites: {SUITE}-security\nComponents: main\n"
        "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n"
    )


def host_apt_settings(conf_dir: Path = Path("/etc/apt/apt.conf.d")) -> dict[str, str]:
    """The host's apt settings about reaching the mirror (proxies, validity checks)."""
    found: dict[str, str] = {}
    if not conf_dir.is_dir():
        return found
    for path in sorted(conf_dir.iterdir()):
        if not path.is_file():
            continue
        try:
            text = path.read_text()
        except (OSError, UnicodeDecodeError):
            continue
        lines = [ln for ln in text.splitlines() if ln.strip().startswith("Acquire::")]
        lines = [ln for ln in lines if "IndexTargets" not in ln]
        if lines:
            found[path.name] = "\n".join(lines) + "\n"
    return found


def prepare_rootfs(root: Path, mirror: str, ca_bundle: Path) -> None:
    (root / "etc/apt/sources.list").write_text("")
    (root / "etc/apt/sources.list.d/debian.sources").write_text(sources_text(mirror))
    for name, text in host_apt_settings().items():
        (root / "etc/apt/apt.conf.d" / name).write_text(text)
    # The bundle goes where update-ca-certificates keeps it, so a later
    # `apt-get install ca-certificates` inside a build does not drop it.
    local = root / "usr/local/share/ca-certificates/museum-host-bundle.crt"
    local.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(ca_bundle, local)
    shutil.copyfile(ca_bundle, root / "etc/ssl/certs/ca-certificates.crt")
    for leftover in ("var/cache/apt/archives", "var/lib/apt/lists"):
        for item in (root / leftover).glob("*"):
            if item.is_file():
                item.unlink()


def import_changes() -> list[str]:
    changes = [f"ENV {key}={value}" for key, value in IMAGE_ENV.items()]
    return [*changes, 'CMD ["python3"]']


def build(tag: str, mirror: str, ca_bundle: Path) -> None:
    if shutil.which("debootstrap") is None:
        raise MuseumError("debootstrap is not installed: apt-get install debootstrap")
    if not ca_bundle.exists():
        raise MuseumError(f"no CA bundle at {ca_bundle}: pass --ca-bundle")
    with tempfile.TemporaryDirectory(prefix="museum-base-") as tmp:
        root = Path(tmp) / "rootfs"
        print(f"debootstrap {SUITE} from {mirror} (about a minute) ...", file=sys.stderr)
        subprocess.run(
            [
                "debootstrap", "--variant=minbase", f"--include={','.join(PACKAGES)}",
                SUITE, str(root), mirror,
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        prepare_rootfs(root, mirror, ca_bundle)
        print(f"docker import as {tag} ...", file=sys.stderr)
        tar = subprocess.Popen(["tar", "-C", str(root), "-c", "."], stdout=subprocess.PIPE)
        command = ["docker", "import"]
        for change in import_changes():
            command += ["--change", change]
        subprocess.run([*command, "-", tag], stdin=tar.stdout, check=True,
                       stdout=subprocess.DEVNULL)
        if tar.wait() != 0:
            raise MuseumError("tar of the debootstrap tree failed")


def write_env_file(path: Path, tag: str) -> None:
    """Record the image in compose's .env, so plain `docker compose` builds use it too."""
    lines = path.read_text().splitlines() if path.exists() else []
    lines = [ln for ln in lines if not ln.startswith("MUSEUM_BASE_IMAGE=")]
    lines.append(f"MUSEUM_BASE_IMAGE={tag}")
    path.write_text("\n".join(lines) + "\n")


def main(args: argparse.Namespace) -> ExitStatus:
    docker.require_engine()
    tag: str = args.tag
    if args.rebuild or not docker.image_exists(tag):
        if os.geteuid() != 0:
            raise MuseumError("debootstrap needs root: run `sudo museum base-image`")
        build(tag, args.mirror or host_mirror(), Path(args.ca_bundle))
    else:
        print(f"{tag} exists; --rebuild makes it anew", file=sys.stderr)
    if not args.no_env_file:
        write_env_file(repo_root() / ".env", tag)
    print(f"MUSEUM_BASE_IMAGE={tag}")
    return ExitStatus.OK


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--tag", default=TAG, help=f"image tag (default {TAG})")
    parser.add_argument("--rebuild", action="store_true", help="build even if the tag exists")
    parser.add_argument("--mirror", help="Debian mirror (default: the host's)")
    parser.add_argument("--ca-bundle", default=str(HOST_CA_BUNDLE), help="CA bundle to copy in")
    parser.add_argument("--no-env-file", action="store_true",
                        help="do not record the tag in the project's .env")
