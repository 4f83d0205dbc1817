from __future__ import annotations

import os
from pathlib import Path

from museum.errors import MuseumError


def repo_root() -> Path:
    """The museum checkout: $MUSEUM_ROOT, or the nearest folder above with timeline.yaml."""
    if env := os.environ.get("MUSEUM_ROOT"):
        return Path(env)
    here = Path.cwd()
    for folder in (here, *here.parents):
        if (folder / "timeline.yaml").is_file():
            return folder
    raise MuseumError("no timeline.yaml here or above: run museum inside the museum's checkout")
