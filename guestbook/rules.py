"""The contract's rules for input, and the shapes of entries and errors."""

from __future__ import annotations

import json
import re
import urllib.parse
from dataclasses import dataclass
from typing import Any, Literal

MAX_BODY = 64 * 1024
NAME_MAX = 64
MESSAGE_MAX = 1000
LIMIT_DEFAULT = 20
LIMIT_MAX = 100
_DIGITS = re.compile(r"[0-9]+")


class Invalid(ValueError):
    """Bad input: a 400 whose JSON body names the field, when there is one."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def body(self) -> str:
        return error_body(self.message, self.field)


def error_body(message: str, field: str | None = None) -> str:
    document: dict[str, str] = {"error": message}
    if field is not None:
        document["field"] = field
    return json.dumps(document)


@dataclass(frozen=True)
class Entry:
    id: int
    name: str
    message: str
    created: str

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "message": self.message,
                "created": self.created}

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), ensure_ascii=False)

    @property
    def location(self) -> str:
        return f"/guestbook/{self.id}"


def whole_number(raw: str | None, field: str, low: int, high: int, default: int) -> int:
    if raw is None:
        return default
    if not isinstance(raw, str) or not _DIGITS.fullmatch(raw):  # CherryPy: a list if repeated
        raise Invalid(f"{field} must be a whole number from {low} to {high}", field)
    if len(raw.lstrip("0")) > len(str(high)):  # int() refuses over 4300 digits
        raise Invalid(f"{field} must be from {low} to {high}", field)
    value = int(raw)
    if not low <= value <= high:
        raise Invalid(f"{field} must be from {low} to {high}", field)
    return value


def check_paging(limit: str | None, offset: str | None) -> tuple[int, int]:
    return (whole_number(limit, "limit", 1, LIMIT_MAX, LIMIT_DEFAULT),
            whole_number(offset, "offset", 0, 2**62, 0))


def _check_text(value: object, field: str, most: int) -> str:
    if value is None:
        raise Invalid(f"{field} is required", field)
    if not isinstance(value, str):
        raise Invalid(f"{field} must be a string", field)
    text = value.strip()
    if any("\ud800" <= char <= "\udfff" for char in text):  # valid JSON, not valid text
        raise Invalid(f"{field} must be Unicode text: it holds a lone surrogate", field)
    if not 1 <= len(text) <= most:
        raise Invalid(f"{field} must be 1 to {most} characters", field)
    return text


def check_entry(name: object, message: object) -> tuple[str, str]:
    """The trimmed name and message, or Invalid naming the first bad field."""
    return _check_text(name, "name", NAME_MAX), _check_text(message, "message", MESSAGE_MAX)


def content_kind(content_type: str | None) -> Literal["json", "form"] | None:
    media = (content_type or "").split(";", 1)[0].strip().lower()
    if media == "application/json":
        return "json"
    if media == "application/x-www-form-urlencoded":
        return "form"
    return None


def entry_from_json(body: bytes) -> tuple[str, str]:
    try:
        document = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):  # nested deeper than the stack
        raise Invalid("the body is not valid JSON") from None
    if not isinstance(document, dict):
        raise Invalid("the body must be a JSON object")
    return check_entry(document.get("name"), document.get("message"))


def entry_from_form(body: bytes) -> tuple[str, str]:
    try:
        fields = urllib.parse.parse_qs(body.decode("ascii"), encoding="utf-8",
                                       errors="strict", keep_blank_values=True)
    except (UnicodeDecodeError, ValueError):
        raise Invalid("the form is not valid UTF-8 urlencoded data") from None
    return check_entry(fields.get("name", [None])[0], fields.get("message", [None])[0])


def entry_from_body(content_type: str | None, body: bytes) -> tuple[str, str]:
    """Parse a POST body of either kind; the caller has already answered 415 and 413."""
    if content_kind(content_type) == "json":
        return entry_from_json(body)
    return entry_from_form(body)


def stream_params(chunks: str | None, delay_ms: str | None) -> tuple[int, int]:
    return (whole_number(chunks, "chunks", 1, 100, 5),
            whole_number(delay_ms, "delay_ms", 0, 5000, 200))


def slow_param(ms: str | None) -> int:
    return whole_number(ms, "ms", 0, 10000, 0)


def stream_line(index: int, total: int) -> str:
    return f"chunk {index}/{total}\n"
