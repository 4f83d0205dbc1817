"""Who this exhibit is, as Compose tells it from timeline.yaml."""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Identity:
    id: str
    title: str
    year: str
    server: str


def identity() -> Identity:
    env = os.environ
    return Identity(
        id=env.get("MUSEUM_EXHIBIT_ID", "unnamed-exhibit"),
        title=env.get("MUSEUM_EXHIBIT_TITLE", "An exhibit outside the museum"),
        year=env.get("MUSEUM_EXHIBIT_YEAR", "?"),
        server=env.get("MUSEUM_EXHIBIT_SERVER", "?"),
    )
