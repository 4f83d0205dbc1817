"""The museum in one file, for a stage with no network: every image it needs (`docker save`)
and a manifest of what they are, checked against timeline.yaml when they are loaded again.

The file is the tar `docker save` writes, with `museum-manifest.json` appended: `docker load`
reads it as it is, and ignores the manifest.
"""

from __future__ import annotations

import hashlib
import io
import json
import sys
import tarfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from museum import docker
from museum.errors import MuseumError
from museum.site import BASES, Site
from museum.timeline import Edition, Timeline

MANIFEST = "museum-manifest.json"
FORMAT = 1
SERVICES = ("museum/lobby:latest", "museum/bench-baseline:latest", "museum/bench-wrk:latest")


@dataclass(frozen=True)
class Packed:
    tag: str
    id: str
    size: int
    role: str                     # edition, lobby, bench or base
    edition: str = ""
    framework: str = ""
    server: str = ""
    python: str = ""


@dataclass(frozen=True)
class Manifest:
    format: int
    created: str
    timeline_sha256: str
    images: tuple[Packed, ...]

    def to_json(self) -> str:
        return json.dumps({**asdict(self), "images": [asdict(i) for i in self.images]},
                          indent=2) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        data = json.loads(text)
        if data.get("format") != FORMAT:
            raise MuseumError(f"{MANIFEST}: format {data.get('format')!r}, this museum reads "
                              f"{FORMAT}")
        return cls(FORMAT, str(data["created"]), str(data["timeline_sha256"]),
                   tuple(Packed(**image) for image in data["images"]))


def timeline_hash(site: Site) -> str:
    return hashlib.sha256((site.root / "timeline.yaml").read_bytes()).hexdigest()


def wanted(site: Site, editions: Sequence[Edition], *, everything: bool) -> list[Packed]:
    """What a pack holds: the editions' images and, for the whole museum, the lobby's, the
    bench's and the base images (to rebuild an edition after an edit on stage)."""
    found = [Packed(e.image, "", 0, "edition", e.id, str(e.framework), str(e.server), e.python)
             for e in editions]
    if everything:
        found += [Packed(tag, "", 0, "bench" if "bench" in tag else "lobby") for tag in SERVICES]
        found += [Packed(site.base_image(base), "", 0, "base") for base in BASES]
    return found


def describe(packed: list[Packed]) -> list[Packed]:
    missing = [p.tag for p in packed if not docker.image_exists(p.tag)]
    if missing:
        raise MuseumError(f"not built here: {', '.join(missing)}; build them first "
                          "(`museum up`, `museum bench --quick`), then pack")
    return [Packed(**{**asdict(p), "id": docker.image_id(p.tag),
                      "size": docker.image_size(p.tag)}) for p in packed]


def pack(site: Site, editions: Sequence[Edition], out: Path, *,
         everything: bool = True) -> Manifest:
    images = describe(wanted(site, editions, everything=everything))
    manifest = Manifest(FORMAT, datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                        timeline_hash(site), tuple(images))
    total = sum(image.size for image in images)
    print(f"saving {len(images)} images (about {total / 2**30:.1f} GiB before sharing "
          f"layers) to {out} ...", file=sys.stderr)
    watch(out, total, lambda: docker.save([i.tag for i in images], out))
    text = manifest.to_json().encode()
    with tarfile.open(out, "a") as archive:
        info = tarfile.TarInfo(MANIFEST)
        info.size, info.mtime = len(text), int(time.time())
        archive.addfile(info, io.BytesIO(text))
    return manifest


def watch(path: Path, total: int, work: Callable[[], None]) -> None:
    """Run work() and show how far the file it writes has grown."""
    done = threading.Event()
    errors: list[BaseException] = []

    def target() -> None:
        try:
            work()
        except BaseException as error:  # handed to the caller below
            errors.append(error)
        finally:
            done.set()

    threading.Thread(target=target, daemon=True).start()
    while not done.wait(1.0):
        size = path.stat().st_size if path.exists() else 0
        print(f"\r  {size / 2**20:8.0f} MiB written ({min(99, 100 * size // max(total, 1))}%)",
              end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    if errors:
        raise errors[0]


def read_manifest(path: Path) -> Manifest:
    try:
        with tarfile.open(path) as archive:
            member = archive.extractfile(MANIFEST)
            if member is None:
                raise KeyError(MANIFEST)
            return Manifest.from_json(member.read().decode())
    except (OSError, tarfile.TarError, KeyError, ValueError) as error:
        raise MuseumError(f"{path} is not a museum pack ({error})") from None


def disagreements(manifest: Manifest, timeline: Timeline) -> list[str]:
    """Where the pack and timeline.yaml differ: editions missing, or other versions."""
    packed = {image.edition: image for image in manifest.images if image.role == "edition"}
    found = []
    for edition in timeline.editions:
        image = packed.get(edition.id)
        if image is None:
            continue
        for what, here, there in (("framework", str(edition.framework), image.framework),
                                  ("server", str(edition.server), image.server),
                                  ("python", edition.python, image.python)):
            if here != there:
                found.append(f"{edition.id}: the pack holds {what} {there}, timeline.yaml "
                             f"says {here}")
    unknown = sorted(set(packed) - {e.id for e in timeline.editions})
    found += [f"{name}: in the pack, not in timeline.yaml" for name in unknown]
    return found


def unpack(site: Site, path: Path) -> Manifest:
    manifest = read_manifest(path)
    problems = disagreements(manifest, site.timeline)
    if problems:
        raise MuseumError("the pack does not match timeline.yaml: " + "; ".join(problems))
    print(f"loading {len(manifest.images)} images from {path} ...", file=sys.stderr)
    docker.load(path)
    wrong = [f"{i.tag} ({docker.image_id(i.tag) if docker.image_exists(i.tag) else 'absent'})"
             for i in manifest.images
             if not docker.image_exists(i.tag) or docker.image_id(i.tag) != i.id]
    if wrong:
        raise MuseumError(f"loaded, but these differ from the manifest: {', '.join(wrong)}")
    return manifest
