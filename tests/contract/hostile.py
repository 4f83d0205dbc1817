"""The museum's hostile corpus (contract rule 13): requests a careless or malicious client
sends, grouped by class. Each case says what a correct server does with it:

- `error`: the client is wrong. A 4xx, a 501 or a 505, or the connection closed without an
  answer where the server's parser refuses the message outright.
- `any`: a request a server may take or refuse, but never with a 5xx.
Every answer, whatever the case, carries no traceback and no file path, comes within the
read timeout, and stores nothing unless it says so (201 or 303). Some cases check more: a
HEAD answered without a body, markup escaped, no header injected, no file disclosed.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from rawhttp import Answer, request

CLASSES = ("request-line", "headers", "framing", "encoding", "numbers", "json",
           "content-type", "sizes", "methods", "markup", "injection", "traversal")
ERROR_STATUSES = frozenset({400, 404, 405, 408, 411, 413, 414, 415, 416, 422, 431, 501, 505})
TRACEBACK_SIGNS = ("Traceback (most recent call last)", '.py", line ', "site-packages/",
                   "/usr/lib/python", "dist-packages/")
PASSWD = b"root:x:0:0:"

Check = Callable[[Answer], str | None]


@dataclass(frozen=True)
class Case:
    id: str
    build: Callable[[str], bytes]      # the Host header's value -> the request's bytes
    expect: str                         # "error" or "any"
    half_close: bool = False
    head: bool = False
    check: Check | None = None

    @property
    def kind(self) -> str:
        return self.id.split(".", 1)[0]

    @property
    def posts(self) -> bool:
        return self.build("h").startswith(b"POST ")


def raw(text: str | bytes) -> Callable[[str], bytes]:
    data = text.encode("latin-1") if isinstance(text, str) else text
    return lambda host: data.replace(b"{host}", host.encode("latin-1"))


def get(target: str, headers: list[tuple[str, str]] | None = None) -> Callable[[str], bytes]:
    return lambda host: request("GET", target, host, headers)


def post(body: bytes | str, kind: str | None = "application/json",
         headers: list[tuple[str, str]] | None = None,
         target: str = "/guestbook") -> Callable[[str], bytes]:
    data = body.encode("utf-8") if isinstance(body, str) else body
    extra = ([("Content-Type", kind)] if kind is not None else []) + (headers or [])
    return lambda host: request("POST", target, host, extra, data)


def chunked(chunks: bytes, kind: str = "application/json") -> Callable[[str], bytes]:
    return raw(b"POST /guestbook HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n"
               b"Content-Type: " + kind.encode() + b"\r\nTransfer-Encoding: chunked\r\n\r\n"
               + chunks)


def entry(name: object = "Ada", message: object = "Hello") -> str:
    return json.dumps({"name": name, "message": message})


# ---- extra checks ---------------------------------------------------------------------------

def no_body_after_head(answer: Answer) -> str | None:
    if answer.trailing:
        return f"{len(answer.trailing)} bytes after a HEAD response: {answer.trailing[:60]!r}"
    return None


def no_header(name: str) -> Check:
    def check(answer: Answer) -> str | None:
        if answer.header(name) is not None:
            return f"the URL injected a {name} header: {answer.header(name)!r}"
        return None
    return check


def not_disclosed(answer: Answer) -> str | None:
    if PASSWD in answer.body:
        return "the answer discloses /etc/passwd"
    for sign in (b"def application(", b"#!/usr/bin/python", b"import guestbook",
                 b"[uwsgi]", b"<VirtualHost", b"MUSEUM_BASE_IMAGE"):
        if sign in answer.body:
            return f"the answer discloses a file of the exhibit ({sign.decode()!r})"
    return None


def not_reflected(markup: bytes) -> Check:
    def check(answer: Answer) -> str | None:
        kind = (answer.header("content-type") or "").lower()
        if "html" in kind and markup in answer.body:
            return f"markup reflected into HTML unescaped: {markup!r}"
        return None
    return check


# ---- the corpus -----------------------------------------------------------------------------

def request_line() -> list[Case]:
    bad = {
        "no-version": "GET /hello\r\nHost: {host}\r\n\r\n",
        "http-9": "GET /hello HTTP/9.9\r\nHost: {host}\r\nConnection: close\r\n\r\n",
        "http-2-in-1": "GET /hello HTTP/2.0\r\nHost: {host}\r\nConnection: close\r\n\r\n",
        "version-garbage": "GET /hello HTTP/1.x\r\nHost: {host}\r\nConnection: close\r\n\r\n",
        "lower-protocol": "GET /hello http/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n",
        "three-spaces": "GET  /hello  HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n",
        "tab-separated": "GET\t/hello\tHTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n",
        "empty-target": "GET  HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n",
        "nul-in-target": "GET /hel\x00lo HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n",
        "space-in-target": "GET /hello world HTTP/1.1\r\nHost: {host}\r\nConnection: close"
                           "\r\n\r\n",
        "control-in-target": "GET /hello\x7f HTTP/1.1\r\nHost: {host}\r\nConnection: close"
                             "\r\n\r\n",
        "garbage-line": "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n",
        "only-crlf": "\r\n\r\n\r\n\r\n",
        "binary-junk": "\xff\xfe\xfd\xfc\r\n\r\n",
        "target-without-slash": "GET hello HTTP/1.1\r\nHost: {host}\r\nConnection: close"
                                "\r\n\r\n",
    }
    fine = {
        "absolute-form": "GET http://{host}/hello HTTP/1.1\r\nHost: {host}\r\n"
                         "Connection: close\r\n\r\n",
        "http-10": "GET /hello HTTP/1.0\r\n\r\n",
        "http-10-keepalive": "GET /hello HTTP/1.0\r\nConnection: close\r\n\r\n",
        "bare-lf": "GET /hello HTTP/1.1\nHost: {host}\nConnection: close\n\n",
        "leading-crlf": "\r\nGET /hello HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n",
        "asterisk-get": "GET * HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n",
        "double-slash": "GET //hello HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n",
        "fragment": "GET /hello#top HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n",
    }
    return ([Case(f"request-line.{k}", raw(v), "error", half_close=True) for k, v in bad.items()]
            + [Case(f"request-line.{k}", raw(v), "any", half_close=True)
               for k, v in fine.items()])


def headers() -> list[Case]:
    base = "GET /hello HTTP/1.1\r\nConnection: close\r\n"
    bad = {
        "no-host-11": "GET /hello HTTP/1.1\r\nConnection: close\r\n\r\n",
        "two-hosts": base + "Host: {host}\r\nHost: example.org\r\n\r\n",
        "nul-in-value": base + "Host: {host}\r\nX-Museum: a\x00b\r\n\r\n",
        "no-colon": base + "Host: {host}\r\nThis line has no colon\r\n\r\n",
        "space-before-colon": base + "Host: {host}\r\nX-Museum : 1\r\n\r\n",
        "empty-name": base + "Host: {host}\r\n: value\r\n\r\n",
        "cr-in-value": base + "Host: {host}\r\nX-Museum: a\rb\r\n\r\n",
        "bad-name-char": base + "Host: {host}\r\nX(Museum): 1\r\n\r\n",
        "host-with-path": "GET /hello HTTP/1.1\r\nHost: a/b\r\nConnection: close\r\n\r\n",
    }
    fine = {
        "obs-fold": base + "Host: {host}\r\nX-Museum: one\r\n two\r\n\r\n",
        "many-headers": base + "Host: {host}\r\n" + "".join(
            f"X-Museum-{i}: {i}\r\n" for i in range(60)) + "\r\n",
        "utf8-value": base + "Host: {host}\r\nX-Museum: Zo\xc3\xab\r\n\r\n",
        "latin1-value": base + "Host: {host}\r\nX-Museum: Zo\xeb\r\n\r\n",
        "empty-value": base + "Host: {host}\r\nX-Museum:\r\n\r\n",
        "tab-in-value": base + "Host: {host}\r\nX-Museum: a\tb\r\n\r\n",
        "underscore-name": base + "Host: {host}\r\nX_Museum: 1\r\n\r\n",
        "proxy-header": base + "Host: {host}\r\nProxy: http://evil.example/\r\n\r\n",
        "expect-100": "POST /guestbook HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n"
                      "Content-Type: text/plain\r\nExpect: 100-continue\r\nContent-Length: 2"
                      "\r\n\r\nhi",
        "expect-unknown": base + "Host: {host}\r\nExpect: telepathy\r\n\r\n",
        "upgrade-nonsense": base + "Host: {host}\r\nUpgrade: tls/9\r\n"
                                   "Connection: Upgrade\r\n\r\n",
    }
    return ([Case(f"headers.{k}", raw(v), "error", half_close=True) for k, v in bad.items()]
            + [Case(f"headers.{k}", raw(v), "any", half_close=True) for k, v in fine.items()])


def framing() -> list[Case]:
    good = entry("Chunky", "sent in chunks").encode()
    part1, part2 = good[:10], good[10:]
    cases = [
        Case("framing.chunked-valid",
             chunked(b"%x\r\n%s\r\n%x\r\n%s\r\n0\r\n\r\n" % (len(part1), part1, len(part2),
                                                            part2)), "any",
             check=lambda a: None if a.status in (201, 411) else
             f"a well-formed chunked POST got {a.outcome}: read it (201) or refuse it (411)"),
    ]
    bad_chunks = {
        "hex-prefix": b"0x10\r\n" + b"a" * 16 + b"\r\n0\r\n\r\n",
        "negative-size": b"-5\r\nabcde\r\n0\r\n\r\n",
        "plus-size": b"+5\r\nabcde\r\n0\r\n\r\n",
        "underscore-size": b"1_0\r\n" + b"a" * 16 + b"\r\n0\r\n\r\n",
        "space-in-size": b"1 0\r\n" + b"a" * 16 + b"\r\n0\r\n\r\n",
        "huge-size": b"FFFFFFFFFFFFFFFFFFFFFFFF\r\nabc\r\n0\r\n\r\n",
        "not-hex": b"zz\r\nabc\r\n0\r\n\r\n",
        "control-in-extension": b"5;\x01x=1\r\nabcde\r\n0\r\n\r\n",
        "data-longer-than-size": b"3\r\nabcdefgh\r\n0\r\n\r\n",
        "missing-terminator": b"5\r\nabcde\r\n",
        "bare-lf-chunks": b"5\nabcde\n0\n\n",
        "empty-size-line": b"\r\nabcde\r\n0\r\n\r\n",
    }
    cases += [Case(f"framing.chunked-{k}", chunked(v), "error", half_close=True)
              for k, v in bad_chunks.items()]
    head = "POST /guestbook HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n" \
           "Content-Type: application/json\r\n"
    body = entry("Framed", "twice").encode()
    others = {
        "two-lengths-differ": ((head + f"Content-Length: {len(body)}\r\nContent-Length: 3\r\n"
                                "\r\n").encode() + body, "error"),
        "length-not-number": ((head + "Content-Length: ten\r\n\r\n").encode() + body, "error"),
        "length-negative": ((head + "Content-Length: -1\r\n\r\n").encode() + body, "error"),
        "length-plus": ((head + f"Content-Length: +{len(body)}\r\n\r\n").encode() + body,
                        "error"),
        "length-hex": ((head + "Content-Length: 0x10\r\n\r\n").encode() + body, "error"),
        "length-list": ((head + f"Content-Length: {len(body)}, {len(body)}\r\n\r\n").encode()
                        + body, "any"),
        "length-and-chunked": ((head + f"Content-Length: {len(body)}\r\n"
                                "Transfer-Encoding: chunked\r\n\r\n").encode()
                               + b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body), "any"),
        "unknown-coding": ((head + "Transfer-Encoding: gzip\r\n\r\n").encode() + body, "error"),
        "chunked-not-last": ((head + "Transfer-Encoding: chunked, gzip\r\n\r\n").encode()
                             + body, "error"),
        "xchunked": ((head + "Transfer-Encoding: xchunked\r\n\r\n").encode() + body, "error"),
        "body-shorter-than-length": ((head + "Content-Length: 100\r\n\r\n").encode() + body,
                                     "error"),
        "get-with-body": ((f"GET /hello HTTP/1.1\r\nHost: {{host}}\r\nConnection: close\r\n"
                           f"Content-Length: {len(body)}\r\n\r\n").encode() + body, "any"),
    }
    # Half-closing tells a server that waits for more body that none comes; a request that may
    # be taken keeps its connection whole, so that its answer cannot be lost on the way.
    cases += [Case(f"framing.{k}", raw(v), expect, half_close=expect == "error")
              for k, (v, expect) in others.items()]
    return cases


def encoding() -> list[Case]:
    bad_paths = {
        "path-ff": "/hello/%ff", "path-fffe": "/hello/%ff%fe", "path-overlong": "/hello/%c0%af",
        "path-surrogate": "/hello/%ed%a0%80", "path-truncated": "/hello/%e6%97",
        "path-lone-continuation": "/hello/%80", "entry-ff": "/guestbook/%ff",
    }
    bad_queries = {
        "query-name-ff": "/hello?name=%ff", "query-name-surrogate": "/hello?name=%ed%a0%80",
        "query-limit-ff": "/guestbook?limit=%ff",
        "query-offset-overlong": "/guestbook?offset=%c0%b0",
        "query-ms-ff": "/slow?ms=%ff", "query-chunks-ff": "/stream?chunks=%ff",
    }
    fine = {
        "path-bad-escape": "/hello/%zz", "path-lone-percent": "/hello/100%",
        "path-encoded-slash": "/hello/a%2fb", "path-nul": "/hello/a%00b",
        "path-plus": "/hello/a+b", "query-bad-escape": "/hello?name=%zz",
        "query-empty-name": "/hello?name=", "query-twice": "/hello?name=a&name=b",
        "query-semicolon": "/hello?name=a;b", "query-no-value": "/hello?name",
        "path-emoji": "/hello/%F0%9F%8E%89", "query-raw-utf8": "/hello?name=Zo\xc3\xab",
        "path-raw-utf8": "/hello/Zo\xc3\xab", "path-raw-latin1": "/hello/Zo\xeb",
        "entry-encoded-digits": "/guestbook/%31",
    }
    return ([Case(f"encoding.{k}", get(v), "error") for k, v in bad_paths.items()]
            + [Case(f"encoding.{k}", get(v), "error") for k, v in bad_queries.items()]
            + [Case(f"encoding.{k}", get(v), "any") for k, v in fine.items()])


def numbers() -> list[Case]:
    targets = {
        "limit-zero": "/guestbook?limit=0", "limit-101": "/guestbook?limit=101",
        "limit-negative": "/guestbook?limit=-1", "limit-plus": "/guestbook?limit=%2B5",
        "limit-float": "/guestbook?limit=5.0", "limit-exponent": "/guestbook?limit=1e1",
        "limit-hex": "/guestbook?limit=0x10",
        "limit-arabic-digit": "/guestbook?limit=%D9%A3",
        "limit-superscript": "/guestbook?limit=%C2%B2",
        "limit-huge": "/guestbook?limit=" + "9" * 30, "limit-5000-digits": "/guestbook?limit="
        + "1" * 5000, "limit-empty": "/guestbook?limit=",
        "offset-negative": "/guestbook?offset=-1", "offset-2-63": "/guestbook?offset="
        + str(2**63), "offset-2-64": "/guestbook?offset=" + str(2**64),
        "offset-huge": "/guestbook?offset=" + "9" * 40, "offset-float": "/guestbook?offset=1.5",
        "entry-zero": "/guestbook/0", "entry-negative": "/guestbook/-1",
        "entry-2-63": "/guestbook/" + str(2**63), "entry-23-digits": "/guestbook/" + "9" * 23,
        "entry-exponent": "/guestbook/1e3", "entry-word": "/guestbook/first",
        "entry-leading-zeros": "/guestbook/000000000000000000000000000000",
        "slow-negative": "/slow?ms=-1", "slow-too-long": "/slow?ms=10001",
        "slow-huge": "/slow?ms=" + "9" * 25, "slow-float": "/slow?ms=1.5",
        "stream-zero": "/stream?chunks=0", "stream-101": "/stream?chunks=101",
        "stream-delay-negative": "/stream?delay_ms=-1", "stream-delay-too-long":
        "/stream?delay_ms=5001",
    }
    return [Case(f"numbers.{k}", get(v), "error") for k, v in targets.items()]


def json_cases() -> list[Case]:
    nested = "[" * 5000 + "]" * 5000  # deeper than any JSON parser's recursion limit
    bad = {
        "not-json": "this is not json", "truncated": '{"name": "Ada", "message": "Hel',
        "array": "[1, 2, 3]", "string": '"Ada"', "number": "42", "null": "null",
        "true": "true", "empty": "", "trailing-garbage": entry() + "garbage",
        "name-missing": json.dumps({"message": "hi"}),
        "message-missing": json.dumps({"name": "Ada"}),
        "name-null": entry(None), "name-number": entry(42), "name-list": entry(["Ada"]),
        "name-object": entry({"first": "Ada"}), "name-bool": entry(True),
        "message-number": entry("Ada", 3.14), "name-empty": entry(""),
        "name-spaces": entry("   "), "message-newlines": entry("Ada", "\n\n\t"),
        "name-65": entry("x" * 65), "message-1001": entry("Ada", "m" * 1001),
        "name-65-accented": entry("é" * 65),
        "name-lone-surrogate": '{"name": "\\ud800", "message": "hi"}',
        "message-lone-surrogate": '{"name": "Ada", "message": "a\\udfffb"}',
        "name-high-surrogate-end": '{"name": "Ada\\ud83d", "message": "hi"}',
        "bad-utf8": b'{"name": "Zo\xff", "message": "hi"}'.decode("latin-1"),
        "deep-nesting": '{"name": ' + nested + ', "message": "hi"}',
        "nan": '{"name": NaN, "message": "hi"}',
        "single-quotes": "{'name': 'Ada', 'message': 'hi'}",
        "comment": '{"name": "Ada", /* hi */ "message": "hi"}',
        "utf16": entry().encode("utf-16").decode("latin-1"),
    }
    fine = {
        "name-64-accented": entry("é" * 64), "extra-fields": json.dumps(
            {"name": "Ada", "message": "hi", "id": 1, "created": "now"}),
        "duplicate-keys": '{"name": "Eve", "name": "Ada", "message": "hi"}',
        "surrogate-pair": '{"name": "Party \\ud83c\\udf89", "message": "hi"}',
        "escaped-nul": '{"name": "A\\u0000da", "message": "hi"}',
        "bom": "\ufeff" + entry(), "huge-number-elsewhere": '{"name": "Ada", "message": "hi",'
        ' "x": 1e999999}',
    }
    cases = [Case(f"json.{k}", post(v.encode("latin-1") if k in ("bad-utf8", "utf16")
                                    else v.encode("utf-8")), "error")
             for k, v in bad.items()]
    cases += [Case(f"json.{k}", post(v.encode("utf-8")), "any") for k, v in fine.items()]
    return cases


def content_types() -> list[Case]:
    body = entry("Typed", "content type case").encode()
    form_latin1 = b"name=Zo%EB&message=caf%E9"
    bad = {
        "none": (body, None), "text-plain": (body, "text/plain"),
        "json-seq": (body, "application/json-seq"), "xml": (b"<entry/>", "application/xml"),
        "multipart": (b"--x\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nAda\r\n"
                      b"--x--\r\n", "multipart/form-data; boundary=x"),
        "octet-stream": (body, "application/octet-stream"),
        "empty-type": (body, ""), "garbage-type": (body, "////"),
        "form-latin1-declared": (form_latin1, "application/x-www-form-urlencoded; "
                                              "charset=latin-1"),
        "form-latin1-undeclared": (form_latin1, "application/x-www-form-urlencoded"),
        "form-missing-message": (b"name=Ada", "application/x-www-form-urlencoded"),
    }
    fine = {
        "json-uppercase": (body, "Application/JSON"),
        "json-charset": (body, "application/json; charset=utf-8"),
        "json-charset-latin1": (body, "application/json; charset=latin-1"),
        "json-params-junk": (body, "application/json;;; x"),
        "form-bad-percent": (b"name=%zz%&message=%", "application/x-www-form-urlencoded"),
        "form-utf8-charset": (b"name=Zo%C3%AB&message=form",
                              "application/x-www-form-urlencoded; charset=UTF-8"),
    }
    return ([Case(f"content-type.{k}", post(b, t), "error") for k, (b, t) in bad.items()]
            + [Case(f"content-type.{k}", post(b, t), "any") for k, (b, t) in fine.items()])


def sizes() -> list[Case]:
    big = entry("Big", "m" * 65536).encode()
    return [
        Case("sizes.body-over-64k", post(big), "error"),
        Case("sizes.length-huge-no-body", raw(
            "POST /guestbook HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n"
            "Content-Type: application/json\r\nContent-Length: 1000000000\r\n\r\n"),
            "error", half_close=True),
        Case("sizes.length-beyond-int64", raw(
            "POST /guestbook HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n"
            "Content-Type: application/json\r\nContent-Length: 99999999999999999999999\r\n\r\n"),
            "error", half_close=True),
        Case("sizes.chunked-over-64k", chunked(b"%x\r\n%s\r\n0\r\n\r\n" % (len(big), big)),
             "error"),
        Case("sizes.url-16k", get("/hello/" + "a" * 16384), "any"),
        Case("sizes.url-100k", get("/hello/" + "a" * 100000), "error", half_close=True),
        Case("sizes.query-100k", get("/hello?name=" + "a" * 100000), "error", half_close=True),
        Case("sizes.header-16k", get("/hello", [("X-Museum", "a" * 16384)]), "any",
             half_close=True),
        Case("sizes.header-100k", get("/hello", [("X-Museum", "a" * 100000)]), "error",
             half_close=True),
        Case("sizes.headers-1000", get("/hello", [(f"X-M{i}", "1") for i in range(1000)]),
             "any", half_close=True),
        Case("sizes.name-huge", post(entry("n" * 60000)), "error"),
        Case("sizes.form-over-64k", post(b"name=a&message=" + b"m" * 65536,
                                         "application/x-www-form-urlencoded"), "error"),
    ]


def methods() -> list[Case]:
    cases = [
        ("patch-root", "PATCH", "/", "error"), ("put-hello", "PUT", "/hello", "error"),
        ("delete-root", "DELETE", "/", "error"), ("delete-guestbook", "DELETE", "/guestbook",
                                                  "error"),
        ("put-entry", "PUT", "/guestbook/1", "error"), ("post-hello", "POST", "/hello/x",
                                                        "error"),
        ("post-inspect", "POST", "/inspect", "error"), ("post-root", "POST", "/", "any"),
        ("unknown-token", "BREW", "/", "error"), ("unknown-on-hello", "FROBNICATE", "/hello",
                                                  "error"),
        ("lowercase-get", "get", "/hello", "any"), ("trace", "TRACE", "/", "error"),
        ("options-hello", "OPTIONS", "/hello", "any"), ("options-star", "OPTIONS", "*", "any"),
        ("propfind", "PROPFIND", "/", "error"), ("long-token", "X" * 200, "/", "error"),
    ]
    found = [Case(f"methods.{name}", lambda host, m=method, t=target: request(m, t, host),
                  expect, half_close=True) for name, method, target, expect in cases]
    found.append(Case("methods.connect", raw("CONNECT {host} HTTP/1.1\r\nHost: {host}\r\n\r\n"),
                      "error", half_close=True))
    heads = {"root": "/", "hello": "/hello/Zo%C3%AB", "guestbook": "/guestbook",
             "guestbook-limit": "/guestbook?limit=1", "inspect": "/inspect", "missing": "/nope"}
    for name, path in heads.items():
        found.append(Case(f"methods.head-{name}", lambda host, t=path: request("HEAD", t, host),
                          "any", head=True, check=no_body_after_head))
    return found


def markup() -> list[Case]:
    script = "<script>alert('museum')</script>"
    attr = '"><img src=x onerror=alert(1)>'
    return [
        Case("markup.hello-script", get("/hello/%3Cscript%3Ealert(1)%3C/script%3E"), "any",
             check=not_reflected(b"<script>alert(1)</script>")),
        Case("markup.query-script", get("/hello?name=%3Cscript%3Ealert(1)%3C/script%3E"),
             "any", check=not_reflected(b"<script>alert(1)</script>")),
        Case("markup.not-found-script", get("/%3Cscript%3Ealert(1)%3C/script%3E"), "error",
             check=not_reflected(b"<script>alert(1)</script>")),
        Case("markup.not-found-raw", get("/<script>alert(1)</script>"), "any",
             check=not_reflected(b"<script>alert(1)</script>")),
        Case("markup.error-field-script", get("/guestbook?limit=%3Cscript%3E"), "error",
             check=not_reflected(b"<script>")),
        Case("markup.stored-name", post(entry(script, "stored markup")), "any"),
        Case("markup.stored-message", post(entry("Mallory", attr)), "any"),
        Case("markup.stored-form", post(f"name={script}&message={attr}".replace(
            "<", "%3C").replace(">", "%3E").replace('"', "%22").replace("'", "%27")
            .replace(" ", "+"), "application/x-www-form-urlencoded"), "any"),
    ]


def injection() -> list[Case]:
    return [
        Case("injection.crlf-in-path", get("/hello/a%0d%0aX-Injected:%20yes"), "any",
             check=no_header("X-Injected")),
        Case("injection.crlf-in-query", get("/hello?name=a%0d%0aX-Injected:%20yes"), "any",
             check=no_header("X-Injected")),
        Case("injection.lf-in-query", get("/hello?name=a%0aX-Injected:%20yes"), "any",
             check=no_header("X-Injected")),
        Case("injection.set-cookie", get("/hello/a%0d%0aSet-Cookie:%20museum=1"), "any",
             check=no_header("Set-Cookie")),
        Case("injection.location-split", get("/guestbook/1%0d%0aLocation:%20http://evil/"),
             "any", check=no_header("X-Injected")),
        Case("injection.response-split", get("/hello/a%0d%0a%0d%0aHTTP/1.1%20200%20OK"), "any",
             check=no_header("X-Injected")),
        Case("injection.post-name-crlf", post(entry("a\r\nX-Injected: yes", "crlf name")),
             "any", check=no_header("X-Injected")),
    ]


def traversal() -> list[Case]:
    targets = {
        "dotdot": "/../../../../etc/passwd", "encoded-dotdot": "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "double-encoded": "/%252e%252e/%252e%252e/etc/passwd", "slash-encoded":
        "/..%2f..%2f..%2fetc%2fpasswd", "backslash": "/..\\..\\..\\etc\\passwd",
        "hello-dotdot": "/hello/../../../etc/passwd", "guestbook-dotdot":
        "/guestbook/../../../../etc/passwd", "cgi-bin": "/cgi-bin/../../../../etc/passwd",
        "static": "/static/../../../../etc/passwd", "absolute": "//etc/passwd",
        "overlong-dot": "/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd", "env-file": "/.env",
        "dockerfile": "/Dockerfile", "requirements": "/requirements.txt", "app-source":
        "/app.py", "app-folder": "/app/", "proc-environ": "/../../proc/self/environ",
        "data-db": "/data/guestbook.sqlite3", "git": "/.git/config",
    }
    return [Case(f"traversal.{k}", get(v), "any", half_close=True, check=not_disclosed)
            for k, v in targets.items()]


def corpus() -> list[Case]:
    return [*request_line(), *headers(), *framing(), *encoding(), *numbers(), *json_cases(),
            *content_types(), *sizes(), *methods(), *markup(), *injection(), *traversal()]


def problems(case: Case, answer: Answer) -> list[str]:
    """What is wrong with an answer to a case, by the rule's letter; empty when it is right."""
    found: list[str] = []
    if answer.hung:
        return ["no answer within the read timeout, and the connection stayed open"]
    status = answer.status
    if status is not None and status >= 500 and status not in (501, 505):
        found.append(f"a {status} to a client's request")
    if case.expect == "error" and status is not None and status not in ERROR_STATUSES:
        found.append(f"{status} where the client was wrong: a 4xx, 501 or 505, or a close")
    text = answer.body.decode("latin-1") + answer.trailing.decode("latin-1")
    for sign in TRACEBACK_SIGNS:
        if sign in text:
            found.append(f"the body shows a traceback or a file path ({sign!r})")
            break
    if case.check is not None:
        said = case.check(answer)
        if said:
            found.append(said)
    return found
