"""period/guestbook27.py, the `then` editions' shared module in Python 2.7: its own unittest
suite in the period image, and the same answers as guestbook (Python 3) for the same inputs,
so that the rules and the page cannot drift apart between the two dialects."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from guestbook import events, page, rules, store
from guestbook.exhibit import Identity
from guestbook.rules import Entry, Invalid

ROOT = Path(__file__).resolve().parents[2]
IMAGE = "museum/period-python:latest"
VARIABLE = "MUSEUM_PERIOD_BASE_IMAGE"
OFFICIAL = "debian:bullseye-slim"


def base_image() -> str:
    """The period base image: from the environment, else the project's .env (where
    `museum base-image` records a stand-in), else the official one."""
    if os.environ.get(VARIABLE):
        return os.environ[VARIABLE]
    env_file = ROOT / ".env"
    if env_file.is_file():
        for line in env_file.read_text().splitlines():
            name, sep, value = line.partition("=")
            if sep and name.strip() == VARIABLE and value.strip():
                return value.strip()
    return OFFICIAL


def engine_available() -> bool:
    if shutil.which("docker") is None:
        return False
    try:
        done = subprocess.run(["docker", "info", "--format", "{{.ServerVersion}}"],
                              capture_output=True, text=True, timeout=20)
    except subprocess.TimeoutExpired:
        return False
    return done.returncode == 0


@pytest.fixture(scope="module")
def image() -> str:
    if not engine_available():
        if os.environ.get("MUSEUM_REQUIRE_DOCKER") == "1":
            pytest.fail("no Docker engine (MUSEUM_REQUIRE_DOCKER=1)", pytrace=False)
        pytest.skip("no Docker engine")
    base = base_image()
    done = subprocess.run(
        ["docker", "build", "-f", "period/Dockerfile", "--build-arg", f"BASE_IMAGE={base}",
         "-t", IMAGE, "."],
        cwd=ROOT, capture_output=True, text=True, errors="replace")
    if done.returncode != 0:
        pytest.fail(f"could not build {IMAGE} from {base} (where no registry answers, set "
                    f"{VARIABLE} to the stand-in `museum base-image` builds):\n"
                    f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}", pytrace=False)
    return IMAGE


@pytest.mark.docker
def test_the_period_suite_passes_on_python_2_7(image: str) -> None:
    done = subprocess.run(["docker", "run", "--rm", image], capture_output=True, text=True,
                          errors="replace", timeout=300)
    output = done.stdout + done.stderr
    if done.returncode != 0:
        pytest.fail(f"the Python 2.7 suite failed:\n{output}", pytrace=False)
    assert re.search(r"Ran [1-9]\d* tests", output) and output.rstrip().endswith("OK"), output


# ---------------------------------------------------------------------------------------
# The cases both dialects answer. A case is (function, arguments, wire): with wire set,
# Python 2.7 gets every str argument as UTF-8 bytes, as a WSGI environ or a form hands it over.

Case = tuple[str, list[Any], bool]

EXHIBIT = ["tornado-2009", 'Tornado <1.0> & "friends" \'then\'', "2009",
           "Tornado 1.0 & <friends>"]
ENTRIES = [
    [4, "<script>alert('x')</script>", 'Tom & "Jerry" <b>bold</b>', "2010-01-02T03:04:05.678Z"],
    [3, "Zoë", "日本語のメッセージ", "2010-01-01T12:00:00.000Z"],
    [2, "a&amp;b", "it's \"quoted\"\nand\ttabbed", "2009-12-31T23:59:59.999Z"],
    [1, "😀", "> & <", "2009-06-01T00:00:00.000Z"],
]


def case(function: str, *args: Any, wire: bool = False) -> Case:
    return (function, list(args), wire)


CASES: list[Case] = [
    # check_entry: trimming, lengths in characters, non-strings, surrogates
    case("check_entry", "Ada", "hello"),
    case("check_entry", "  Ada \t", "\n hi \u3000"),
    case("check_entry", "é" * 64, "m"),
    case("check_entry", "é" * 65, "m"),
    case("check_entry", "a", "x" * 1000),
    case("check_entry", "a", "x" * 1001),
    case("check_entry", "😀" * 64, "m"),
    case("check_entry", "😀" * 65, "m"),
    case("check_entry", None, "m"),
    case("check_entry", "a", None),
    case("check_entry", "", "m"),
    case("check_entry", " \t\r\n ", "m"),
    case("check_entry", 5, "m"),
    case("check_entry", 1.5, "m"),
    case("check_entry", True, "m"),
    case("check_entry", ["a"], "m"),
    case("check_entry", {"a": 1}, "m"),
    case("check_entry", "a", 7),
    case("check_entry", "\ud800", "m"),
    case("check_entry", "a", "x\udfffy"),
    case("check_entry", " \ud83d ", "m"),
    case("check_entry", "\u180e", "\x1c m \x85"),
    case("check_entry", "\u200b", "\xa0\u2028m\u205f"),
    case("check_entry", "\u3000日本\u3000", "<script>"),
    case("check_entry", " Zoë ", " 日本 ", wire=True),
    case("check_entry", "é" * 65, "m", wire=True),
    # whole_number and check_paging
    case("check_paging", None, None),
    case("check_paging", "1", "0"),
    case("check_paging", "0", None),
    case("check_paging", "101", None),
    case("check_paging", "x", None),
    case("check_paging", "100", str(2**62)),
    case("check_paging", "1", str(2**62 + 1)),
    case("check_paging", "-1", None),
    case("check_paging", None, "-1"),
    case("check_paging", "1.5", None),
    case("check_paging", " 5", None),
    case("check_paging", "5\n", None),
    case("check_paging", "٣", None),
    case("check_paging", "", None),
    case("check_paging", "007", "00"),
    case("check_paging", "20", "3", wire=True),
    case("check_paging", "101", None, wire=True),
    case("whole_number", 5, "n", 0, 10, 1),
    case("whole_number", ["1"], "limit", 1, 100, 20),
    case("whole_number", None, "n", 0, 10, 7),
    case("whole_number", "10", "n", 0, 9, 1),
    # content_kind
    case("content_kind", "application/json"),
    case("content_kind", "Application/JSON; charset=utf-8"),
    case("content_kind", "application/x-www-form-urlencoded"),
    case("content_kind", " application/x-www-form-urlencoded ; charset=UTF-8"),
    case("content_kind", "text/plain"),
    case("content_kind", None),
    case("content_kind", ""),
    case("content_kind", "multipart/form-data; boundary=x"),
    case("content_kind", "application/jsonx"),
    case("content_kind", "\x1capplication/json\x1f", wire=True),
    # entry_from_json
    case("entry_from_json", b'{"name": "Ada", "message": "hi"}'),
    case("entry_from_json", '{"name": " Zoë ", "message": "日本"}'.encode()),
    case("entry_from_json", b'{"name": "\\u00e9\\ud83d\\ude00", "message": "m"}'),
    case("entry_from_json", b'{"name": "\\ud800", "message": "m"}'),
    case("entry_from_json", b'{"name": "\xed\xa0\x80", "message": "m"}'),
    case("entry_from_json", b"\xff"),
    case("entry_from_json", b"[1, 2]"),
    case("entry_from_json", b'"text"'),
    case("entry_from_json", b"null"),
    case("entry_from_json", b""),
    case("entry_from_json", b'{"name": 5, "message": "m"}'),
    case("entry_from_json", b'{"message": "m"}'),
    case("entry_from_json", b'{"name": "a", "message": "b"} x'),
    case("entry_from_json", b'\xef\xbb\xbf{"name": "a", "message": "b"}'),
    case("entry_from_json", b'{"name": "a\\u0000", "message": "b"}'),
    case("entry_from_json", b'{"name": NaN, "message": "b"}'),
    case("entry_from_json", b'{"name": "a", "name": "b", "message": "c"}'),
    # entry_from_form
    case("entry_from_form", b"name=Ada&message=hello+there"),
    case("entry_from_form", b"name=Zo%C3%AB&message=%E6%97%A5%E6%9C%AC"),
    case("entry_from_form", b"name=%FF&message=x"),
    case("entry_from_form", b"name=\xc3\xa9&message=x"),
    case("entry_from_form", b"name=a;message=b"),
    case("entry_from_form", b"name=&message=x"),
    case("entry_from_form", b"message=x"),
    case("entry_from_form", b"name=a&name=b&message=c"),
    case("entry_from_form", b"name=%ED%A0%80&message=x"),
    case("entry_from_form", b"name=a&message=b&junk=%C3"),
    case("entry_from_form", b"name=%zz&message=%"),
    case("entry_from_form", b"name&message=x"),
    case("entry_from_form", b"name=" + b"%C3%A9" * 65 + b"&message=m"),
    case("entry_from_form", b"name=+a+&message=%20b%20&&"),
    case("entry_from_form", b"name=%3Cscript%3E&message=%26%22%27"),
    case("entry_from_form", b""),
    # entry_from_body
    case("entry_from_body", "application/json", b'{"name": "a", "message": "b"}'),
    case("entry_from_body", "application/x-www-form-urlencoded; charset=utf-8",
         b"name=a&message=b"),
    case("entry_from_body", "application/json", b"name=a&message=b"),
    case("entry_from_body", "APPLICATION/JSON", b"{}"),
    # stream_params, slow_param, stream_line
    case("stream_params", None, None),
    case("stream_params", "100", "5000"),
    case("stream_params", "1", "0"),
    case("stream_params", "0", None),
    case("stream_params", "101", None),
    case("stream_params", None, "5001"),
    case("stream_params", "3", "0", wire=True),
    case("slow_param", None),
    case("slow_param", "10000"),
    case("slow_param", "10001"),
    case("slow_param", "abc"),
    case("slow_param", "250", wire=True),
    case("stream_line", 1, 5),
    case("stream_line", 100, 100),
    # errors, entries, events
    case("error_body", "the body is not valid JSON", None),
    case("error_body", "limit must be from 1 to 100", "limit"),
    case("error_body", 'é 日本 😀 "quoted" \\ \x7f', "name"),
    case("to_json", 1, "Ada", "hi", "2026-11-25T04:50:00.000Z"),
    case("to_json", 7, "Zoë <b>", '日本 "quoted" \\ \n\t\x01 😀 \u2028',
         "2010-01-01T00:00:00.000Z"),
    case("as_dict", 9, "n", "m", "c"),
    case("location", 42, "n", "m", "c"),
    case("event", 3, "Zoë", "hi\nthere", "2010-01-01T00:00:00.000Z"),
    # the page
    case("escape", "<a href=\"x\">Tom & 'Jerry'</a>", True),
    case("escape", "<a href=\"x\">Tom & 'Jerry'</a>", False),
    case("render_page", EXHIBIT, ENTRIES, 4),
    case("render_page", EXHIBIT, ENTRIES[:1], 12345),
    case("render_page", ["x", "Plain", "1991", "httpd"], [], 0),
    # what both share as data: limits, SQL, event lines, style, the shape of `created`
    case("constants"),
    case("sql"),
    case("now_shape"),
]


def modern(function: str, args: list[Any]) -> dict[str, Any]:
    """What guestbook (Python 3) answers for one case, in agree.py's shapes."""
    functions: dict[str, Callable[..., object]] = {
        "check_entry": rules.check_entry,
        "check_paging": rules.check_paging,
        "whole_number": rules.whole_number,
        "content_kind": rules.content_kind,
        "entry_from_json": rules.entry_from_json,
        "entry_from_form": rules.entry_from_form,
        "entry_from_body": rules.entry_from_body,
        "stream_params": rules.stream_params,
        "slow_param": rules.slow_param,
        "stream_line": rules.stream_line,
        "error_body": rules.error_body,
        "escape": lambda text, quote: html.escape(text, quote=quote),
        "to_json": lambda *fields: Entry(*fields).to_json(),
        "as_dict": lambda *fields: Entry(*fields).as_dict(),
        "location": lambda *fields: Entry(*fields).location,
        "event": lambda *fields: events.event(Entry(*fields)),
        "render_page": lambda exhibit, entries, total: page.render(
            Identity(*exhibit), [Entry(*e) for e in entries], total),
        "constants": lambda: [rules.MAX_BODY, rules.NAME_MAX, rules.MESSAGE_MAX,
                              rules.LIMIT_DEFAULT, rules.LIMIT_MAX, events.LISTENING,
                              events.KEEPALIVE, events.CONTENT_TYPE, page.STYLE],
        "sql": lambda: [store.SCHEMA, store.JOURNAL, store.INSERT, store.SELECT_ONE,
                        store.SELECT_PAGE, store.SELECT_AFTER, store.COUNT, store.LAST_ID],
        "now_shape": lambda: re.sub(r"\d", "0", store.now()),
    }
    try:
        value = functions[function](*args)
    except Invalid as error:
        return {"invalid": [error.message, error.field]}
    except Exception as error:
        return {"raised": type(error).__name__}
    return {"ok": json.loads(json.dumps(value))}


def to_wire(value: Any, wire: bool) -> Any:
    """A case's argument as agree.py reads it: bytes as {"b": their latin-1 text}."""
    if isinstance(value, bytes):
        return {"b": value.decode("latin-1")}
    if wire and isinstance(value, str):
        return {"b": value.encode("utf-8").decode("latin-1")}
    if isinstance(value, list):
        return [to_wire(item, wire) for item in value]
    return value


def period(image: str, cases: list[Case]) -> list[dict[str, Any]]:
    sent = json.dumps([{"fn": f, "args": to_wire(args, wire)} for f, args, wire in cases])
    done = subprocess.run(["docker", "run", "--rm", "-i", image, "python2.7", "period/agree.py"],
                          input=sent, capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        pytest.fail(f"period/agree.py failed:\n{done.stderr}", pytrace=False)
    answers: list[dict[str, Any]] = json.loads(done.stdout)
    return answers


def test_enough_cases_of_every_kind() -> None:
    assert len(CASES) >= 40
    kinds = {function for function, _, _ in CASES}
    assert {"check_entry", "check_paging", "whole_number", "content_kind", "entry_from_json",
            "entry_from_form", "entry_from_body", "stream_params", "slow_param", "stream_line",
            "error_body", "to_json", "render_page"} <= kinds
    outcomes = {next(iter(modern(f, args))) for f, args, _ in CASES}
    assert outcomes == {"ok", "invalid"}


@pytest.mark.docker
def test_the_two_dialects_agree(image: str) -> None:
    answers = period(image, CASES)
    assert len(answers) == len(CASES)
    drift = [f"{function}{tuple(args)!r}{' as bytes' if wire else ''}:\n"
             f"  guestbook   {expected!r}\n  guestbook27 {got!r}"
             for (function, args, wire), got in zip(CASES, answers, strict=True)
             if got != (expected := modern(function, args))]
    assert not drift, f"{len(drift)} of {len(CASES)} cases differ:\n" + "\n".join(drift)
