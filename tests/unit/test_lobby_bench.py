from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from museum.lobby import Lobby

ROOT = Path(__file__).resolve().parents[2]
SVG = '<svg xmlns="http://www.w3.org/2000/svg"><title>chart</title></svg>'


def lobby_in(tmp_path: Path, charts: dict[str, str]) -> Lobby:
    shutil.copy(ROOT / "timeline.yaml", tmp_path / "timeline.yaml")
    folder = tmp_path / "docs" / "bench"
    folder.mkdir(parents=True)
    for name, text in charts.items():
        (folder / name).write_text(text)
    return Lobby(tmp_path, "host", "127.0.0.1")


def get(app: Lobby, path: str) -> tuple[str, dict[str, str], str]:
    seen: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        seen["status"], seen["headers"] = status, dict(headers)

    body = b"".join(app({"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": ""},
                        start_response))
    return seen["status"], seen["headers"], body.decode()


def test_the_bench_page_shows_the_committed_charts(tmp_path: Path) -> None:
    results = {"measured": "2026-11-25T10:00:00Z", "machine": {
        "cores": 2, "cpu": "AMD EPYC", "kernel": "6.18", "docker": "20.10.24"}}
    app = lobby_in(tmp_path, {"throughput.svg": SVG, "slow.svg": SVG,
                              "scale-flask-2010.svg": SVG,
                              "results.json": json.dumps(results),
                              "scale-flask-2010.json": json.dumps(results)})
    status, headers, page = get(app, "/bench")
    assert status == "200 OK" and headers["Content-Type"].startswith("text/html")
    assert page.index('src="/bench/throughput.svg"') < page.index('src="/bench/slow.svg"')
    assert 'src="/bench/scale-flask-2010.svg"' in page
    assert "Workers or threads: flask-2010" in page
    assert page.count("Measured 2026-11-25T10:00:00Z on 2 cores (AMD EPYC)") == 3
    assert 'src="/bench/memory.svg"' not in page

    status, headers, body = get(app, "/bench/scale-flask-2010.svg")
    assert status == "200 OK" and headers["Content-Type"].startswith("image/svg+xml")
    assert body == SVG


def test_only_the_charts_are_served(tmp_path: Path) -> None:
    app = lobby_in(tmp_path, {"throughput.svg": SVG, "results.json": "{}"})
    for path in ("/bench/results.json", "/bench/../../timeline.yaml", "/bench/nothing.svg"):
        assert get(app, path)[0] == "404 Not Found"


def test_without_charts_the_page_says_how_to_make_them(tmp_path: Path) -> None:
    status, _, page = get(lobby_in(tmp_path, {}), "/bench")
    assert status == "200 OK" and "museum bench --out docs/bench" in page


def test_the_museums_own_charts_are_on_the_page() -> None:
    page = get(Lobby(ROOT, "host", "127.0.0.1"), "/bench")[2]
    for name in ("throughput", "slow", "latency", "memory"):
        assert f'src="/bench/{name}.svg"' in page
