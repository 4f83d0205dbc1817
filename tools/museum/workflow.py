"""The GitHub Actions workflow that contract-tests every edition of every exhibit in a fork,
one job per exhibit in parallel, rendered from timeline.yaml; `museum check` fails on drift.

Where a registry answers (GitHub's runners), the Dockerfiles start from the official base
images: no stand-in is built there.
"""

from __future__ import annotations

from museum.timeline import Timeline

TARGET = ".github/workflows/contract.yml"
PYTHON = "3.11"
RUNNER = "ubuntu-latest"


def setup() -> list[str]:
    return [
        "      - uses: actions/checkout@v4",
        "      - uses: actions/setup-python@v5",
        "        with:",
        f'          python-version: "{PYTHON}"',
        "      - name: the museum command",
        "        run: python -m pip install -e '.[test]'",
    ]


def render(timeline: Timeline) -> str:
    exhibits = [e.id for e in timeline.runnable]
    matrix = "\n".join(f"          - {exhibit}" for exhibit in exhibits)
    lines = [
        "# Generated from timeline.yaml by `museum workflow`: edit timeline.yaml, not this file.",
        "# Every edition of every exhibit, contract-tested in real containers, one job per",
        "# exhibit; lint, unit tests and the lobby in a browser in a job of their own.",
        "name: contract",
        "",
        "on:",
        "  push:",
        "  pull_request:",
        "  workflow_dispatch:",
        "",
        "permissions:",
        "  contents: read",
        "",
        "env:",
        '  MUSEUM_REQUIRE_DOCKER: "1"',
        "",
        "jobs:",
        "  checks:",
        "    name: lint, unit tests, the lobby in a browser",
        f"    runs-on: {RUNNER}",
        "    timeout-minutes: 30",
        "    env:",
        "      MUSEUM_CHROMIUM: /usr/bin/google-chrome",
        "    steps:",
        *setup(),
        "      - name: lint",
        "        run: |",
        "          ruff check .",
        "          mypy",
        "          museum check",
        "      - name: unit tests",
        "        run: pytest tests/unit",
        "      - name: the lobby in a browser",
        f"        run: pytest tests/live/test_lobby_browser.py --exhibit {exhibits[0]}",
        "",
        "  contract:",
        "    name: contract ${{ matrix.exhibit }}",
        f"    runs-on: {RUNNER}",
        "    timeout-minutes: 60",
        "    strategy:",
        "      fail-fast: false",
        "      matrix:",
        "        exhibit:",
        matrix,
        "    steps:",
        *setup(),
        "      - name: every edition of ${{ matrix.exhibit }}, the whole contract",
        "        run: pytest tests/contract --exhibit ${{ matrix.exhibit }}",
    ]
    return "\n".join(lines) + "\n"
