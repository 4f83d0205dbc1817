"""`museum pack` and `museum unpack`: a museum brought back on a machine with its images
removed, and run with nothing fetched (`museum up --no-build`)."""

from __future__ import annotations

import io
import os
import tarfile
from dataclasses import replace
from pathlib import Path

import pytest
from museum import cli
from museum.compose import render
from museum.docker import Docker, answers, image_exists, image_id, remove_image
from museum.pack import MANIFEST, read_manifest
from museum.site import Site

from tests.stage import ROOT, TIMELINE, require_docker

CHOSEN = TIMELINE.editions[-1]  # the newest edition: one small image is enough to prove it


@pytest.mark.xdist_group(CHOSEN.id)  # with that edition's own tests: it untags its image
def test_pack_remove_unpack_and_run_offline(site: Site, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    require_docker()
    docker = Docker.for_site(site)
    docker.build([CHOSEN.id])
    packed = tmp_path / "museum-images.tar"
    environ = {**os.environ, "MUSEUM_ROOT": str(ROOT)}
    assert cli.main(["pack", "--only", CHOSEN.id, "--out", str(packed)], environ=environ) == 0
    with tarfile.open(packed) as archive:
        names = archive.getnames()
    assert MANIFEST in names and "manifest.json" in names
    manifest = read_manifest(packed)
    [image] = manifest.images
    assert image.tag == CHOSEN.image and image.id == image_id(CHOSEN.image)
    assert image.framework == str(CHOSEN.framework) and image.python == CHOSEN.python

    remove_image(CHOSEN.image)
    assert not image_exists(CHOSEN.image)
    assert cli.main(["unpack", str(packed)], environ=environ) == 0
    assert image_id(CHOSEN.image) == image.id

    host = "127.252." + site.host.split(".", 2)[2]
    compose_file = tmp_path / "pack.compose.yaml"
    compose_file.write_text(render(TIMELINE, bind=host))
    offline = Docker(replace(site, project=f"{site.project}pack", host=host,
                             compose_file=compose_file), docker.command)
    try:
        offline.up([CHOSEN], build=False)
        assert answers(offline.site.url(CHOSEN))
    finally:
        offline.down(volumes=True)


def test_a_pack_that_disagrees_with_the_timeline_is_refused(tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]
                                                            ) -> None:
    require_docker()
    fake = tmp_path / "pack.tar"
    text = ('{"format": 1, "created": "now", "timeline_sha256": "x", "images": [{"tag": '
            f'"{CHOSEN.image}", "id": "sha256:0", "size": 1, "role": "edition", "edition": '
            f'"{CHOSEN.id}", "framework": "Something 0.1", "server": "{CHOSEN.server}", '
            f'"python": "{CHOSEN.python}"}}]}}').encode()
    with tarfile.open(fake, "w") as archive:
        info = tarfile.TarInfo(MANIFEST)
        info.size = len(text)
        archive.addfile(info, io.BytesIO(text))
    assert cli.main(["unpack", str(fake)], environ={**os.environ,
                                                   "MUSEUM_ROOT": str(ROOT)}) == 1
    said = capsys.readouterr().err
    assert f"{CHOSEN.id}: the pack holds framework Something 0.1" in said
