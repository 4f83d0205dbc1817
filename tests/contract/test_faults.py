"""Rule 14: the guestbook keeps what it promised through a SIGKILL mid-write and a full disk."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

import httpx
import yaml
from museum.compose import render
from museum.docker import Docker, execute, inspect, kill, run, wait_until_answering
from museum.timeline import Edition
from support import unique

from tests.stage import TIMELINE, TLS, Live

BURST = 80
FULL_DATA = "4m"  # the size of the data volume the full-disk test gives an edition


def every_entry(client: httpx.Client) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = []
    offset = 0
    while True:
        page = client.get("/guestbook", params={"limit": "100", "offset": str(offset)})
        assert page.status_code == 200, page.text[:300]
        found = page.json()["entries"]
        entries += found
        if len(found) < 100:
            return entries
        offset += 100


def test_a_kill_mid_write_loses_no_acknowledged_post(edition: Edition, live: Live) -> None:
    """14.1 SIGKILL during a burst of posts: every post answered 201 is there after the
    restart, whole; no entry of the burst is half-written."""
    prefix = unique("killed")
    acknowledged: dict[str, int] = {}
    lock = threading.Lock()

    def sign(index: int) -> None:
        name = f"{prefix}-{index}"
        try:
            answer = poster.post("/guestbook",
                                 json={"name": name, "message": f"message of {name}"})
        except httpx.HTTPError:
            return
        if answer.status_code == 201:
            with lock:
                acknowledged[name] = int(answer.json()["id"])

    container = live.container()
    with live.client(timeout=15) as poster, ThreadPoolExecutor(max_workers=8) as pool:
        futures = [pool.submit(sign, i) for i in range(BURST)]
        deadline = time.monotonic() + 60
        while len(acknowledged) < 5 and time.monotonic() < deadline:
            time.sleep(0.02)
        kill(container)
        for future in futures:
            future.result()
    live.docker.start_again(edition.id)  # first: the edition's other tests need it
    live.wait_answering()
    assert len(acknowledged) >= 5, "the burst was not under way when the kill came"
    with live.client() as client:
        for name, entry_id in acknowledged.items():
            stored = client.get(f"/guestbook/{entry_id}")
            assert stored.status_code == 200, f"{name} (id {entry_id}) was lost"
            assert stored.json()["name"] == name
            assert stored.json()["message"] == f"message of {name}"
        burst = [e for e in every_entry(client) if str(e["name"]).startswith(prefix)]
    for entry in burst:
        assert entry["message"] == f"message of {entry['name']}", f"half-written: {entry}"
    assert {e["name"] for e in burst} >= set(acknowledged)


@contextmanager
def on_a_small_disk(live: Live) -> Iterator[tuple[str, str, Docker]]:
    """A copy of the edition whose /data is a tmpfs of FULL_DATA: (its URL, its container,
    its Docker), in a compose file of the test's own."""
    edition = live.edition
    document = yaml.safe_load(render(TIMELINE, bind=live.site.host))
    service = dict(document["services"][edition.id])
    name = f"{edition.id}-smalldisk"
    service.pop("build", None)
    service.pop("ports", None)
    service["volumes"] = []
    # A tmpfs takes the mode of the folder it covers but not its owner: give it the uid of
    # the image's user, so that the server can write its store there.
    uid = run(["run", "--rm", "--entrypoint", "id", edition.image, "-u"]).stdout.strip()
    service["tmpfs"] = [*service.get("tmpfs", []), f"/data:size={FULL_DATA},uid={uid}"]
    document["services"] = {name: service}
    document["volumes"] = {}
    compose_file = live.site.compose_path.with_name(f"{live.site.project}-{name}.compose.yaml")
    compose_file.write_text(yaml.safe_dump(document))
    docker = Docker(replace(live.site, compose_file=compose_file), live.docker.command)
    docker.compose(["up", "-d", "--no-build", name])
    try:
        container = docker.container(name)
        address = inspect(container, "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}")
        url = f"http://{address}:8000"
        wait_until_answering(url, 120, lambda: docker.why_gone(name))
        yield url, container, docker
    finally:
        docker.remove([name])
        compose_file.unlink(missing_ok=True)


def test_a_full_disk_refuses_posts_and_loses_nothing(edition: Edition, live: Live) -> None:
    """14.2 On a full data volume a post gets 507 (or 503) with a JSON error; every entry
    stored before is still there; once space returns, posts are accepted again."""
    prefix = unique("full")
    with on_a_small_disk(live) as (url, container, _), httpx.Client(
            base_url=url, timeout=30, verify=TLS) as client:
        stored = []
        for index in range(3):
            answer = client.post("/guestbook", json={"name": f"{prefix}-{index}",
                                                     "message": "before the disk filled"})
            assert answer.status_code == 201, answer.text[:300]
            stored.append(answer.json())
        execute(container, "sh", "-c", "cat /dev/zero > /data/filler 2>/dev/null; true")
        refused = None
        for index in range(200):
            answer = client.post("/guestbook", json={"name": f"{prefix}-late-{index}",
                                                     "message": "m" * 1000})
            if answer.status_code != 201:
                refused = answer
                break
            stored.append(answer.json())
        assert refused is not None, "200 posts were accepted on a full disk"
        assert refused.status_code in (507, 503), (
            f"a post on a full disk got {refused.status_code}: {refused.text[:300]}")
        assert refused.headers.get("content-type", "").startswith("application/json")
        assert isinstance(refused.json().get("error"), str)
        for entry in stored:
            again = client.get(f"/guestbook/{entry['id']}")
            assert again.status_code == 200 and again.json() == entry, f"lost {entry}"
        execute(container, "rm", "-f", "/data/filler")
        answer = client.post("/guestbook", json={"name": f"{prefix}-after",
                                                 "message": "space returned"})
        assert answer.status_code == 201, answer.text[:300]
