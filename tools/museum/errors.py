from __future__ import annotations

from enum import IntEnum


class ExitStatus(IntEnum):
    OK = 0
    ERROR = 1
    USAGE = 2


class MuseumError(Exception):
    """An error the command reports as one line, with a non-zero exit."""
