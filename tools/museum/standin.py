"""Build stand-ins for the official base images on machines with no image registry.

Two bases: Debian bookworm with Python 3.11 for the exhibits' `now` editions, and Debian
bullseye with CPython 2.7.18 for the `then` editions. Each comes from debootstrap with the
host's CA bundle and package-mirror settings inside, so that `docker build` reaches PyPI and
the Debian mirror exactly as the host does.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from museum import docker
from museum.errors import MuseumError
from museum.site import Base

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


def sources_text(mirror: str, suite: str) -> str:
    security = mirror.rsplit("/", 1)[0] + "/debian-security"
    return (
        f"Types: deb\nURIs: {mirror}\nSuites: {suite} {suite}-updates\nComponents: main\n"
        "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n\n"
        f"Types: deb\nURIs: {security}\nSuites: {suite}-security\nComponents: main\n"
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


def prepare_rootfs(root: Path, mirror: str, suite: str, ca_bundle: Path) -> None:
    (root / "etc/apt/sources.list").write_text("")
    (root / "etc/apt/sources.list.d/debian.sources").write_text(sources_text(mirror, suite))
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


def import_changes(base: Base) -> list[str]:
    changes = [f"ENV {key}={value}" for key, value in IMAGE_ENV.items()]
    return [*changes, f'CMD ["{base.python}"]']


def build(base: Base, tag: str, mirror: str, ca_bundle: Path) -> None:
    if shutil.which("debootstrap") is None:
        raise MuseumError("debootstrap is not installed: apt-get install debootstrap")
    if not ca_bundle.exists():
        raise MuseumError(f"no CA bundle at {ca_bundle}: pass --ca-bundle")
    with tempfile.TemporaryDirectory(prefix="museum-base-") as tmp:
        root = Path(tmp) / "rootfs"
        print(f"debootstrap {base.suite} from {mirror} (about a minute) ...", file=sys.stderr)
        done = subprocess.run(
            [
                "debootstrap", "--variant=minbase", f"--include={','.join(base.packages)}",
                base.suite, str(root), mirror,
            ],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )
        if done.returncode != 0:
            raise MuseumError(debootstrap_failed(base, mirror, done.stderr))
        prepare_rootfs(root, mirror, base.suite, ca_bundle)
        print(f"docker import as {tag} ...", file=sys.stderr)
        tar = subprocess.Popen(["tar", "-C", str(root), "-c", "."], stdout=subprocess.PIPE)
        assert tar.stdout is not None
        docker.import_image(tar.stdout, tag, import_changes(base))
        if tar.wait() != 0:
            raise MuseumError("tar of the debootstrap tree failed")


def write_env_file(path: Path, variable: str, tag: str) -> None:
    """Record the image in compose's .env, so plain `docker compose` builds use it too."""
    lines = path.read_text().splitlines() if path.exists() else []
    lines = [ln for ln in lines if not ln.startswith(f"{variable}=")]
    lines.append(f"{variable}={tag}")
    path.write_text("\n".join(lines) + "\n")


def debootstrap_failed(base: Base, mirror: str, stderr: str) -> str:
    """What to tell the user when Debian no longer serves a suite from its main mirror."""
    lines = [ln for ln in stderr.strip().splitlines() if ln.strip()]
    said = lines[-1] if lines else "no message"
    advice = ""
    if base.suite == "bullseye":
        advice = (" Debian moves old releases to archive.debian.org once their support ends; "
                  "try --mirror http://archive.debian.org/debian. Images already built keep "
                  "working without it.")
    return f"debootstrap of Debian {base.suite} from {mirror} failed: {said}.{advice}"
