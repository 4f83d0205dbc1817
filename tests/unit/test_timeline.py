from __future__ import annotations

from pathlib import Path

import pytest
from museum.errors import MuseumError
from museum.timeline import ManifestError, load, parse

ROOT = Path(__file__).resolve().parents[2]

ERA = """\
lobby: {port: 8100}
eras:
  - id: cgi
    title: CGI
    years: "1993-2004"
    story: A program per request.
"""


def edition(name: str = "now", port: int = 8101, capabilities: str = "[streaming]",
            extra: str = "", python: str = "3.11") -> str:
    released = '        released: 2010\n' if name == "then" else ""
    return f"""\
      {name}:
        framework: {{name: none, version: "1"}}
        server: {{name: Apache, version: "2.4"}}
        python: "{python}"
{released}        interface: "CGI/1.1"
        concurrency: process-per-request
        port: {port}
        capabilities: {capabilities}
        storage: SQLite
        heart: {{file: app/museum.py, start: "print(", lines: 2}}
        differs: Today's Python.
{extra}"""


def exhibit(exhibit_id: str = "cgi-1991", year: int = 1991, editions: str | None = None,
            extra: str = "") -> str:
    return f"""\
  - id: {exhibit_id}
    era: cgi
    year: {year}
    title: A CGI script
    sources:
      - {{title: RFC 3875, url: "https://www.rfc-editor.org/rfc/rfc3875"}}
    notes: A note.
{extra}    editions:
{editions if editions is not None else edition()}"""


def manifest(*exhibits: str) -> str:
    return ERA + "exhibits:\n" + "".join(exhibits)


def error_of(text: str) -> str:
    with pytest.raises(ManifestError) as caught:
        parse(text)
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_a_good_manifest_loads() -> None:
    timeline = parse(manifest(exhibit()))
    [only] = timeline.exhibits
    [now] = only.editions
    assert only.id == "cgi-1991" and now.id == "cgi-1991" and now.port == 8101
    assert now.has("streaming") and not now.has("websocket")
    assert str(now.folder) == "exhibits/cgi-1991/now" and now.image == "museum/cgi-1991:latest"
    assert timeline.era("cgi").title == "CGI"
    assert timeline.editions == (now,)


def test_then_is_served_under_the_id_and_now_beside_it() -> None:
    both = edition("then", 8101, python="2.7.18") + edition("now", 8201)
    timeline = parse(manifest(exhibit(editions=both)))
    then, now = timeline.editions
    assert (then.id, then.name, then.python, then.released) == ("cgi-1991", "then", "2.7.18", 2010)
    assert (now.id, now.name, now.port) == ("cgi-1991-now", "now", 8201)
    assert then.period and not now.period
    assert timeline.exhibits[0].main is then
    assert timeline.edition("cgi-1991-now") is now
    assert then.label == "none 1 on Python 2.7.18"


def test_a_then_edition_names_its_release_year() -> None:
    text = manifest(exhibit(editions=edition("then", python="2.7.18").replace(
        "        released: 2010\n", "")))
    assert "editions.then.released: a then edition names its release's year" in error_of(text)


def test_unknown_key_names_key_and_line() -> None:
    text = manifest(exhibit(editions=edition(extra="        capabilites: [sse]\n")))
    message = error_of(text)
    assert message.startswith("timeline.yaml:27: ")
    assert "exhibits[0] (cgi-1991).editions.now.capabilites: unknown key" in message


def test_duplicate_id() -> None:
    message = error_of(manifest(exhibit(), exhibit(editions=edition(port=8102))))
    assert "duplicate exhibit id 'cgi-1991'" in message


def test_duplicate_port() -> None:
    message = error_of(manifest(exhibit(), exhibit("cgi-1993", 1993)))
    assert "exhibits[1] (cgi-1993).editions.now.port: port 8101 is already used by " \
           "cgi-1991" in message
    both = edition("then", 8101, python="2.7.18") + edition("now", 8101)
    assert "port 8101 is already used by cgi-1991" in error_of(manifest(exhibit(editions=both)))


def test_unknown_capability() -> None:
    message = error_of(manifest(exhibit(editions=edition(capabilities="[streaming, telepathy]"))))
    assert "editions.now.capabilities[1]: unknown value 'telepathy'" in message


def test_year_must_match_id_and_order() -> None:
    assert "does not match the id" in error_of(manifest(exhibit(year=1992)))
    text = manifest(exhibit("cgi-1995", 1995), exhibit("cgi-1991", 1991,
                                                       editions=edition(port=8102)))
    assert "keep exhibits in timeline order" in error_of(text)


def test_unknown_era_and_missing_key() -> None:
    assert "unknown era 'wsgi'" in error_of(manifest(exhibit()).replace("era: cgi", "era: wsgi"))
    assert "notes: missing required key" in error_of(
        manifest(exhibit()).replace("    notes: A note.\n", ""))
    assert "editions.now.python: missing required key" in error_of(
        manifest(exhibit()).replace('        python: "3.11"\n', ""))
    assert "python: expected a version like 2.7.18, got 'latest'" in error_of(
        manifest(exhibit(editions=edition(python="latest"))))


def test_not_runnable_exhibits_have_no_editions() -> None:
    text = ERA + "exhibits:\n" + exhibit().split("    editions:")[0] + (
        "    not_runnable: {reason: needs Python 2, tried: pip install on 3.11}\n")
    [only] = parse(text).exhibits
    assert not only.runnable and only.editions == ()
    with pytest.raises(MuseumError, match="cgi-1991 is not runnable: needs Python 2"):
        parse(text).edition("cgi-1991")
    neither = ERA + "exhibits:\n" + exhibit().split("    editions:")[0]
    assert "editions, or a not_runnable record, never both or neither" in error_of(neither)


def test_tls_port_is_optional_and_unique() -> None:
    [only] = parse(manifest(exhibit(editions=edition(
        capabilities="[http2]", extra="        tls_port: 8199\n")))).editions
    assert only.tls_port == 8199 and only.has("http2")
    message = error_of(manifest(exhibit(editions=edition(extra="        tls_port: 8101\n"))))
    assert "editions.now.tls_port: port 8101 is already used by cgi-1991" in message
    message = error_of(manifest(exhibit(editions=edition(extra="        tls_port: 8199\n")),
                                exhibit("cgi-1993", 1993, editions=edition(port=8199))))
    assert "port 8199 is already used by cgi-1991 (TLS)" in message


def test_scale_names_the_servers_knob() -> None:
    knob = ('        scale: {unit: workers, default: 4, env: {GUNICORN_CMD_ARGS: '
            '"--workers {n}", WEB_CONCURRENCY: "{n}"}}\n')
    [only] = parse(manifest(exhibit(editions=edition(extra=knob)))).editions
    assert only.scale is not None and only.scale.unit == "workers"
    assert only.scale.default == 4
    assert only.scale.environment(2) == {"GUNICORN_CMD_ARGS": "--workers 2",
                                         "WEB_CONCURRENCY": "2"}
    assert [only.scale.count(n) for n in (1, 2)] == ["1 worker", "2 workers"]


@pytest.mark.parametrize(("knob", "message"), [
    ('{unit: fibres, default: 1, env: {N: "{n}"}}', "scale.unit: unknown value 'fibres'"),
    ('{unit: threads, default: 0, env: {N: "{n}"}}', "scale.default: 0 is outside 1..1000"),
    ('{unit: threads, default: 2, env: {N: "4"}}', "scale.env.N: the value must hold {n}"),
    ('{unit: threads, default: 2, env: {bad-name: "{n}"}}',
     "scale.env.bad-name: not an environment variable name"),
    ("{unit: threads, default: 2, env: {}}", "scale.env: expected a mapping"),
    ('{unit: threads, env: {N: "{n}"}}', "scale.default: missing required key"),
])
def test_a_bad_scale_is_named(knob: str, message: str) -> None:
    assert message in error_of(manifest(exhibit(editions=edition(
        extra=f"        scale: {knob}\n"))))


def test_containment_has_defaults_and_overrides() -> None:
    text = ERA.replace("eras:", "containment: {memory: 256m, pids: 64, cpus: \"0.5\", "
                                "scratch: [/tmp]}\neras:") + "exhibits:\n" + exhibit(
        editions=edition(extra="        limits: {memory: 1g, scratch: [/run/apache2], "
                               "cap_add: [NET_BIND_SERVICE]}\n"))
    [only] = parse(text).editions
    assert only.limits.memory == "1g" and only.limits.pids == 64 and only.limits.cpus == "0.5"
    assert only.limits.scratch == ("/tmp", "/run/apache2")
    assert only.limits.cap_add == ("NET_BIND_SERVICE",)
    assert "expected an absolute path, got 'run'" in error_of(text.replace("/run/apache2", "run"))
    assert "memory: expected a size like 512m" in error_of(text.replace("1g", "lots"))


def test_quirks_and_additions() -> None:
    quirk = ("        quirks:\n          - {case: framing.negative-chunk, answer: \"close\", "
             "reason: the parser refuses it}\n        additions: [pitfalls]\n")
    [only] = parse(manifest(exhibit(editions=edition(extra=quirk)))).editions
    found = only.quirk("framing.negative-chunk")
    assert found is not None and found.answer == "close"
    assert only.quirk("nothing") is None and "pitfalls" in only.additions
    twice = quirk.replace("        additions: [pitfalls]\n", "").replace(
        "          - {", "          - {case: a, answer: b, reason: c}\n          - {", 1)
    twice = twice.replace("case: framing.negative-chunk", "case: a")
    assert "a quirk case is listed twice" in error_of(manifest(exhibit(
        editions=edition(extra=twice))))


def test_invalid_yaml_names_line() -> None:
    assert error_of("eras: [\n  - : :\n").startswith("timeline.yaml:")


def test_the_museums_own_timeline_loads() -> None:
    timeline = load(ROOT / "timeline.yaml")
    ids = [e.id for e in timeline.editions]
    assert timeline.exhibits[0].id == "cgi-1991"
    assert len(ids) == len(set(ids))
    assert all(e.runnable or e.not_runnable for e in timeline.exhibits)
