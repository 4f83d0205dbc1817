"""Live requests against a running exhibit, short and bounded, for the stage."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

GREETING = "/hello/Zo%C3%AB"


@dataclass(frozen=True)
class Reply:
    path: str
    status: int
    content_type: str
    body: bytes
    seconds: float

    def json(self) -> Any:
        return json.loads(self.body)


def get(base: str, path: str, timeout: float = 5.0) -> Reply | None:
    """The reply, or None when the server at `base` does not answer at all."""
    request = urllib.request.Request(f"{base}{path}",
                                     headers={"User-Agent": "museum-tour"})
    start = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
            status, headers = response.status, response.headers
    except urllib.error.HTTPError as error:
        body, status, headers = error.read(), error.code, error.headers
    except (OSError, urllib.error.URLError):
        return None
    return Reply(path, status, headers.get("Content-Type", ""), body, time.monotonic() - start)
