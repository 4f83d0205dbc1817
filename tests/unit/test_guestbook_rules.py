from __future__ import annotations

import pytest

from guestbook import scope
from guestbook.rules import (
    Invalid,
    check_entry,
    check_paging,
    content_kind,
    entry_from_form,
    entry_from_json,
    whole_number,
)


def field_of(error: pytest.ExceptionInfo[Invalid]) -> str | None:
    return error.value.field


def test_paging_defaults_and_bounds() -> None:
    assert check_paging(None, None) == (20, 0)
    assert check_paging("100", "5") == (100, 5)
    for bad in ("0", "101", "1.5", "", "-1", " 3", "+3", "٣"):
        with pytest.raises(Invalid) as caught:
            check_paging(bad, None)
        assert field_of(caught) == "limit"
    with pytest.raises(Invalid) as caught:
        whole_number("-1", "offset", 0, 10, 0)
    assert field_of(caught) == "offset"


def test_entries_are_trimmed_and_counted_in_characters() -> None:
    assert check_entry("  Ada ", "\thi\n") == ("Ada", "hi")
    assert check_entry("é" * 64, "x") == ("é" * 64, "x")
    for name, message, field in [("é" * 65, "x", "name"), ("", "x", "name"), (None, "x", "name"),
                                 (3, "x", "name"), ("a", " ", "message"),
                                 ("a", "x" * 1001, "message")]:
        with pytest.raises(Invalid) as caught:
            check_entry(name, message)
        assert field_of(caught) == field


def test_bodies() -> None:
    assert entry_from_json(b'{"name": "Zo\\u00eb", "message": "m"}') == ("Zoë", "m")
    assert entry_from_form(b"name=Zo%C3%AB&message=a+b") == ("Zoë", "a b")
    for raw in (b"{", b"[]", b"\xff", b"[" * 5000 + b"]" * 5000):
        with pytest.raises(Invalid) as caught:
            entry_from_json(raw)
        assert field_of(caught) is None
    with pytest.raises(Invalid):
        entry_from_form(b"name=%FF&message=x")


def test_content_kinds() -> None:
    assert content_kind("application/json; charset=utf-8") == "json"
    assert content_kind("Application/X-WWW-Form-Urlencoded") == "form"
    assert content_kind("text/plain") is None and content_kind(None) is None


def test_huge_and_hostile_numbers_are_invalid_not_errors() -> None:
    for raw in ("1" * 5000, "9" * 30, "٣", "²", "+5", "-1", " 5"):
        with pytest.raises(Invalid) as caught:
            check_paging(raw, None)
        assert field_of(caught) == "limit"


def test_a_lone_surrogate_is_invalid_text() -> None:
    with pytest.raises(Invalid) as caught:
        entry_from_json(b'{"name": "\\ud800", "message": "m"}')
    assert field_of(caught) == "name"
    assert entry_from_json(b'{"name": "\\ud83c\\udf89", "message": "m"}')[0] == "\U0001f389"


def scope_of(version: str = "1.1", headers: list[tuple[bytes, bytes]] | None = None,
             raw_path: bytes = b"/hello", query: bytes = b"") -> dict[str, object]:
    return {"http_version": version, "raw_path": raw_path, "query_string": query,
            "headers": [(b"host", b"localhost:8000")] if headers is None else headers}


def test_a_scope_is_refused_from_its_raw_bytes() -> None:
    assert scope.refusal(scope_of()) is None
    assert scope.refusal(scope_of(query=b"name=Ada+L%C3%B6")) is None
    assert scope.refusal(scope_of("2"))[0] == 505  # type: ignore[index]
    assert scope.refusal(scope_of(headers=[]))[0] == 400  # type: ignore[index]
    assert scope.refusal(scope_of("1.0", headers=[])) is None
    two = [(b"host", b"a"), (b"host", b"b")]
    assert scope.refusal(scope_of(headers=two))[0] == 400  # type: ignore[index]
    assert scope.refusal(scope_of(headers=[(b"host", b"a b")]))[0] == 400  # type: ignore[index]
    big = [(b"host", b"a"), (b"x", b"y" * scope.HEADERS_MAX)]
    assert scope.refusal(scope_of(headers=big))[0] == 431  # type: ignore[index]
    assert scope.refusal(scope_of(raw_path=b"/hello/%ff")) == (
        400, "the path is not valid UTF-8", None)
    assert scope.refusal(scope_of(query=b"limit=1&na%ffme=x")) == (
        400, "the query string is not valid UTF-8", "na%ffme")
