"""Large, high-contrast, width-aware output for a terminal on stage (or a plain 80x24)."""

from __future__ import annotations

import json
import shutil
import sys
import textwrap
from collections.abc import Iterable
from typing import Any

# Keys that tell how a request flows, shown first whichever interface names them.
TELLING = (
    "__class__", "GATEWAY_INTERFACE", "SERVER_SOFTWARE", "REQUEST_METHOD", "SCRIPT_NAME",
    "PATH_INFO", "QUERY_STRING", "SERVER_PROTOCOL", "REMOTE_ADDR", "wsgi.version",
    "wsgi.url_scheme", "wsgi.multithread", "wsgi.multiprocess", "wsgi.run_once", "type", "asgi",
    "http_version", "method", "uri", "path", "raw_path", "query_string", "clientproto", "client",
    "server", "headers",
)
RESET, BOLD, DIM = "\033[0m", "\033[1m", "\033[2m"
YELLOW, CYAN, GREEN, RED, WHITE_ON_BLUE = ("\033[93m", "\033[96m", "\033[92m", "\033[91m",
                                           "\033[1;97;44m")


class Screen:
    def __init__(self, width: int | None = None, color: bool | None = None) -> None:
        self.width = max(40, width or shutil.get_terminal_size((80, 24)).columns)
        self.color = sys.stdout.isatty() if color is None else color
        self.out: list[str] = []

    def paint(self, text: str, *styles: str) -> str:
        return f"{''.join(styles)}{text}{RESET}" if self.color and styles else text

    def line(self, text: str = "", *styles: str) -> None:
        self.out.append(self.paint(self.clip(text), *styles))

    def clip(self, text: str, width: int | None = None) -> str:
        width = width or self.width
        return text if len(text) <= width else text[:width - 1] + "…"

    def banner(self, text: str) -> None:
        self.out.append(self.paint(f" {text} ".ljust(self.width)[:self.width], WHITE_ON_BLUE))

    def rule(self, title: str) -> None:
        self.line(f"── {title} ".ljust(self.width, "─"), CYAN)

    def para(self, text: str, *styles: str) -> None:
        for piece in textwrap.wrap(" ".join(text.split()), self.width - 1) or [""]:
            self.line(piece, *styles)

    def code(self, lines: Iterable[str], first: int) -> None:
        for number, text in enumerate(lines, first):
            self.out.append(self.paint(f"{number:>4} ", DIM) +
                            self.paint(self.clip(text.replace("\t", "    "), self.width - 5),
                                       YELLOW))

    def mapping(self, value: Any, most: int = 16, width: int | None = None) -> list[str]:
        """A native structure as `key: value` lines, one per top-level entry."""
        width = width or self.width
        if not isinstance(value, dict):
            return [self.clip(json.dumps(value, ensure_ascii=False), width)]
        shown = []
        rank = {key: index for index, key in enumerate(TELLING)}
        items = sorted(value.items(), key=lambda kv: rank.get(kv[0], len(rank)))
        for key, item in items[:most]:
            text = item if isinstance(item, str) else json.dumps(item, ensure_ascii=False)
            text = text.replace("\r", "\\r").replace("\n", "\\n")
            shown.append(self.clip(f"{key}: {text}", width))
        if len(items) > most:
            shown.append(f"… {len(items) - most} more")
        return shown

    def keyed(self, lines: Iterable[str]) -> None:
        for text in lines:
            key, sep, rest = text.partition(": ")
            self.out.append(self.paint(key + sep, BOLD, GREEN) + rest if sep else text)

    def columns(self, left: list[str], right: list[str], titles: tuple[str, str]) -> None:
        half = (self.width - 3) // 2
        self.out.append(self.paint(titles[0][:half].ljust(half), BOLD) + " │ " +
                        self.paint(titles[1][:half], BOLD))
        for index in range(max(len(left), len(right))):
            a = self.clip(left[index], half) if index < len(left) else ""
            b = self.clip(right[index], half) if index < len(right) else ""
            self.out.append(a.ljust(half) + " │ " + b)

    def flush(self) -> str:
        text = "\n".join(self.out)
        self.out = []
        return text
