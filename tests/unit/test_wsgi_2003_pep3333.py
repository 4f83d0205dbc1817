"""wsgi-2003 keeps its PEP in both editions. The now edition is PEP 3333-compliant: every
contract route, run in-process under the stdlib's wsgiref.validate.validator, which raises
AssertionError on any violation of the spec. The then edition is PEP 333-compliant: its own
Python 2.7 suite (exhibits/wsgi-2003/then/app/test_pep333.py) runs every route under Python
2.7's validator, inside the edition's image."""

from __future__ import annotations

import importlib.util
import io
import json
import os
import re
import subprocess
import sys
import wsgiref.util
import wsgiref.validate
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from museum.docker import engine_available
from museum.site import PERIOD, Site

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # guestbook/, as PYTHONPATH=/opt/museum gives it in the image
THEN_IMAGE = "museum/wsgi-2003-pep333:latest"  # the then edition, built for this test alone


def load_app() -> ModuleType:
    app = ROOT / "exhibits" / "wsgi-2003" / "now" / "app" / "app.py"
    spec = importlib.util.spec_from_file_location("wsgi_2003_app", app)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@dataclass
class Result:
    status: str
    headers: list[tuple[str, str]]
    body: bytes
    chunks: list[bytes] = field(default_factory=list)

    @property
    def code(self) -> int:
        return int(self.status.split()[0])

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)

    def json(self) -> Any:
        return json.loads(self.body)


WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Any]


def call(app: WSGIApp, method: str, path: str, query: str = "", body: bytes = b"",
         content_type: str | None = None, headers: dict[str, str] | None = None,
         chunked: bool = False) -> Result:
    """One request through validator(app), the way a server would drive it."""
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",
        # PEP 3333: the raw bytes of the path, percent-decoded, as a latin-1 str.
        "PATH_INFO": path.encode("utf-8", "surrogateescape").decode("latin-1"),
        "QUERY_STRING": query,
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": io.StringIO(),
    }
    if (body or method == "POST") and not chunked:
        environ["CONTENT_LENGTH"] = str(len(body))
    if content_type is not None:
        environ["CONTENT_TYPE"] = content_type
    for name, value in (headers or {}).items():
        environ["HTTP_" + name.upper().replace("-", "_")] = value
    wsgiref.util.setup_testing_defaults(environ)
    started: list[tuple[str, list[tuple[str, str]]]] = []

    def start_response(status: str, response_headers: list[tuple[str, str]],
                       exc_info: Any = None) -> Callable[[bytes], None]:
        started.append((status, response_headers))
        return lambda data: None

    iterable = wsgiref.validate.validator(app)(environ, start_response)
    # The validator wraps what the app returns; this proves it is really in the way.
    assert isinstance(iterable, wsgiref.validate.IteratorWrapper)
    try:
        chunks = list(iterable)
    finally:
        iterable.close()
    assert len(started) == 1
    status, response_headers = started[0]
    return Result(status, response_headers, b"".join(chunks), chunks)


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[WSGIApp]:
    monkeypatch.setenv("GUESTBOOK_DB", str(tmp_path / "guestbook.sqlite3"))
    monkeypatch.setenv("MUSEUM_EXHIBIT_ID", "wsgi-2003")
    yield load_app().application


def sign(app: WSGIApp, name: str, message: str) -> dict[str, Any]:
    result = call(app, "POST", "/guestbook", body=json.dumps(
        {"name": name, "message": message}).encode(), content_type="application/json")
    assert result.code == 201
    entry: dict[str, Any] = result.json()
    return entry


def test_the_validator_catches_a_broken_app() -> None:
    """The harness can fail: a str body is a PEP 3333 violation the validator rejects."""
    def broken(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[Any]:
        start_response("200 OK", [("Content-Type", "text/plain")])
        return ["a str, not bytes"]

    with pytest.raises(AssertionError):
        call(broken, "GET", "/")


def test_front_page_and_head(app: WSGIApp) -> None:
    sign(app, "<script>", "hi")
    got = call(app, "GET", "/")
    assert got.code == 200 and got.header("Content-Type") == "text/html; charset=utf-8"
    assert b"&lt;script&gt;" in got.body and b'action="/guestbook"' in got.body
    head = call(app, "HEAD", "/")
    assert head.code == 200 and head.body == b""
    assert head.header("Content-Length") == got.header("Content-Length")


@pytest.mark.parametrize(("path", "query", "text"), [
    ("/hello", "", "Hello, World!"),
    ("/hello/Zoë", "", "Hello, Zoë!"),
    ("/hello", "name=Ada+Lovelace", "Hello, Ada Lovelace!"),
    ("/hello", "name=Zo%C3%AB", "Hello, Zoë!"),
])
def test_hello(app: WSGIApp, path: str, query: str, text: str) -> None:
    got = call(app, "GET", path, query)
    assert got.code == 200 and got.body.decode("utf-8") == text
    assert got.header("Content-Type") == "text/plain; charset=utf-8"


def test_guestbook_read_and_paging(app: WSGIApp) -> None:
    first, second = sign(app, "Ada", "one"), sign(app, "Bob", "two")
    got = call(app, "GET", "/guestbook").json()
    assert got == {"entries": [second, first], "total": 2}
    assert call(app, "GET", "/guestbook", "limit=1&offset=1").json()["entries"] == [first]
    assert call(app, "GET", f"/guestbook/{first['id']}").json() == first
    missing = call(app, "GET", "/guestbook/999")
    assert missing.code == 404 and "error" in missing.json()


@pytest.mark.parametrize(("query", "field"), [
    ("limit=0", "limit"), ("limit=101", "limit"), ("limit=x", "limit"), ("offset=-1", "offset"),
])
def test_guestbook_bad_paging(app: WSGIApp, query: str, field: str) -> None:
    got = call(app, "GET", "/guestbook", query)
    assert got.code == 400 and got.json()["field"] == field


def test_post_form_redirects(app: WSGIApp) -> None:
    got = call(app, "POST", "/guestbook", body=b"name=Zo%C3%AB&message=+hi+",
               content_type="application/x-www-form-urlencoded")
    assert got.code == 303 and got.header("Location") == "/"
    entry = call(app, "GET", "/guestbook").json()["entries"][0]
    assert (entry["name"], entry["message"]) == ("Zoë", "hi")


@pytest.mark.parametrize(("body", "status", "field"), [
    (b'{"name": "", "message": "hi"}', 400, "name"),
    (b'{"name": "Ada", "message": 42}', 400, "message"),
    (b"{not json", 400, None),
    (b"[1, 2]", 400, None),
    (b'{"name": "Ada", "message": "' + b"x" * (64 * 1024) + b'"}', 413, None),
], ids=["empty-name", "number-message", "not-json", "not-an-object", "over-64KiB"])
def test_post_rejections(app: WSGIApp, body: bytes, status: int, field: str | None) -> None:
    got = call(app, "POST", "/guestbook", body=body, content_type="application/json")
    assert got.code == status and got.json().get("field") == field
    assert call(app, "GET", "/guestbook").json()["total"] == 0


@pytest.mark.parametrize("content_type", [None, "text/plain"])
def test_post_other_content_type_is_415(app: WSGIApp, content_type: str | None) -> None:
    got = call(app, "POST", "/guestbook", body=b"name=a&message=b", content_type=content_type)
    assert got.code == 415


def test_inspect(app: WSGIApp) -> None:
    got = call(app, "GET", "/inspect", "probe=1", headers={"X-Museum-Probe": "here"})
    document = got.json()
    assert document["interface"] == "WSGI"
    assert document["request"]["headers"]["x-museum-probe"] == "here"
    assert document["request"]["path"] == "/inspect" and document["request"]["query"] == "probe=1"
    assert document["native"]["HTTP_X_MUSEUM_PROBE"] == "here"
    assert document["native"]["wsgi.version"] == [1, 0]


def test_stream_is_a_generator_of_bytes(app: WSGIApp) -> None:
    got = call(app, "GET", "/stream", "chunks=3&delay_ms=0")
    assert got.code == 200 and got.chunks == [b"chunk 1/3\n", b"chunk 2/3\n", b"chunk 3/3\n"]
    assert call(app, "GET", "/stream", "chunks=0").json()["field"] == "chunks"


def test_slow(app: WSGIApp) -> None:
    got = call(app, "GET", "/slow", "ms=10").json()
    assert got["ms"] == 10 and isinstance(got["pid"], int)
    assert call(app, "GET", "/slow", "ms=soon").json()["field"] == "ms"


def test_boom_raises_through_the_validator(app: WSGIApp) -> None:
    with pytest.raises(RuntimeError):
        call(app, "GET", "/boom")


@pytest.mark.parametrize(("method", "path", "allow"), [
    ("POST", "/hello/x", "GET, HEAD"), ("DELETE", "/guestbook", "GET, POST, HEAD"),
    ("PUT", "/inspect", "GET, HEAD"),
])
def test_wrong_method_is_405(app: WSGIApp, method: str, path: str, allow: str) -> None:
    got = call(app, method, path)
    assert got.code == 405 and got.header("Allow") == allow


@pytest.mark.parametrize("path", ["/nowhere", "/events", "/ws"])
def test_unknown_paths_are_404(app: WSGIApp, path: str) -> None:
    got = call(app, "GET", path)
    assert got.code == 404 and got.header("Content-Type") == "application/json"


def test_post_without_content_length(app: WSGIApp) -> None:
    """A chunked request has no CONTENT_LENGTH: the app reads at most 64 KiB + 1 and decides."""
    small = call(app, "POST", "/guestbook", body=b'{"name": "Ada", "message": "chunked"}',
                 content_type="application/json", chunked=True)
    assert small.code == 201
    big = call(app, "POST", "/guestbook", body=b"name=Ada&message=" + b"x" * (64 * 1024),
               content_type="application/x-www-form-urlencoded", chunked=True)
    assert big.code == 413
    assert call(app, "GET", "/guestbook").json()["total"] == 1


def test_path_that_is_not_utf8_is_400(app: WSGIApp) -> None:
    got = call(app, "GET", "/hello/\udcff")  # the byte 0xFF, which no UTF-8 text contains
    assert got.code == 400 and got.json()["error"]


# ---- the then edition: PEP 333 on Python 2.7, inside its own image ------------------------------

@pytest.fixture(scope="module")
def then_image() -> str:
    if not engine_available():
        if os.environ.get("MUSEUM_REQUIRE_DOCKER") == "1":
            pytest.fail("no Docker engine (MUSEUM_REQUIRE_DOCKER=1)", pytrace=False)
        pytest.skip("no Docker engine")
    base = Site.from_environment(os.environ, ROOT).base_image(PERIOD)
    done = subprocess.run(
        ["docker", "build", "-f", "exhibits/wsgi-2003/then/Dockerfile", "--build-arg",
         f"BASE_IMAGE={base}", "-t", THEN_IMAGE, "."],
        cwd=ROOT, capture_output=True, text=True, errors="replace")
    if done.returncode != 0:
        pytest.fail(f"could not build {THEN_IMAGE} from {base}:\n{done.stdout[-3000:]}\n"
                    f"{done.stderr[-3000:]}", pytrace=False)
    return THEN_IMAGE


@pytest.mark.docker
def test_the_then_edition_keeps_pep_333_on_python_2_7(then_image: str) -> None:
    """Every route of the Python 2.7 application under Python 2.7's wsgiref.validate."""
    done = subprocess.run(["docker", "run", "--rm", then_image, "python2.7", "-m", "unittest",
                           "-v", "test_pep333"], capture_output=True, text=True,
                          errors="replace", timeout=300)
    output = done.stdout + done.stderr
    if done.returncode != 0:
        pytest.fail(f"the Python 2.7 suite failed:\n{output}", pytrace=False)
    ran = re.search(r"Ran (\d+) tests", output)
    assert ran and int(ran.group(1)) >= 10 and output.rstrip().endswith("OK"), output
    assert re.search(r"test_the_validator_catches_a_broken_app \(.*\) \.\.\. ok", output), output
