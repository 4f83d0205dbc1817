from __future__ import annotations

from pathlib import Path

import pytest
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


def exhibit(exhibit_id: str = "cgi-1991", year: int = 1991, port: int = 8101,
            capabilities: str = "[streaming]", extra: str = "") -> str:
    return f"""\
  - id: {exhibit_id}
    era: cgi
    year: {year}
    title: A CGI script
    framework: {{name: none, version: "1"}}
    server: {{name: Apache, version: "2.4"}}
    interface: "CGI/1.1"
    concurrency: process-per-request
    port: {port}
    capabilities: {capabilities}
    storage: SQLite
    sources:
      - {{title: RFC 3875, url: "https://www.rfc-editor.org/rfc/rfc3875"}}
    notes: A note.
{extra}"""


def manifest(*exhibits: str) -> str:
    return ERA + "exhibits:\n" + "".join(exhibits)


def error_of(text: str, exhibits_dir: Path | None = None) -> str:
    with pytest.raises(ManifestError) as caught:
        parse(text, exhibits_dir=exhibits_dir)
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_a_good_manifest_loads() -> None:
    timeline = parse(manifest(exhibit()))
    [only] = timeline.exhibits
    assert only.id == "cgi-1991" and only.port == 8101 and only.has("streaming")
    assert not only.has("websocket")
    assert timeline.era("cgi").title == "CGI"


def test_unknown_key_names_key_and_line() -> None:
    text = manifest(exhibit(extra="    capabilites: [sse]\n"))
    message = error_of(text)
    assert message.startswith("timeline.yaml:22: ")
    assert "exhibits[0] (cgi-1991).capabilites: unknown key" in message


def test_duplicate_id() -> None:
    message = error_of(manifest(exhibit(), exhibit(port=8102)))
    assert message.startswith("timeline.yaml:22: ")
    assert "duplicate exhibit id 'cgi-1991'" in message


def test_duplicate_port() -> None:
    message = error_of(manifest(exhibit(), exhibit("cgi-1993", 1993)))
    assert message.startswith("timeline.yaml:30: ")
    assert "exhibits[1] (cgi-1993).port: port 8101 is already used by cgi-1991" in message


def test_unknown_capability() -> None:
    message = error_of(manifest(exhibit(capabilities="[streaming, telepathy]")))
    assert message.startswith("timeline.yaml:17: ")
    assert "capabilities[1]: unknown value 'telepathy'" in message


def test_missing_exhibit_folder(tmp_path: Path) -> None:
    message = error_of(manifest(exhibit()), exhibits_dir=tmp_path / "exhibits")
    assert message.startswith("timeline.yaml:8: ")
    assert "no exhibit folder file exhibits/cgi-1991/Dockerfile" in message


def test_year_must_match_id_and_order() -> None:
    assert "does not match the id" in error_of(manifest(exhibit(year=1992)))
    text = manifest(exhibit("cgi-1995", 1995), exhibit("cgi-1991", 1991, port=8102))
    assert "keep exhibits in timeline order" in error_of(text)


def test_unknown_era_and_missing_key() -> None:
    assert "unknown era 'wsgi'" in error_of(manifest(exhibit()).replace("era: cgi", "era: wsgi"))
    assert "notes: missing required key" in error_of(
        manifest(exhibit()).replace("    notes: A note.\n", ""))


def test_not_runnable_entries_need_no_port() -> None:
    entry = exhibit().replace("    port: 8101\n", "") + (
        "    not_runnable: {reason: needs Python 2, tried: pip install on 3.11}\n")
    [only] = parse(manifest(entry)).exhibits
    assert not only.runnable
    assert "port: missing required key" in error_of(manifest(exhibit().replace(
        "    port: 8101\n", "")))


def test_tls_port_is_optional_and_unique() -> None:
    [only] = parse(manifest(exhibit(capabilities="[http2]",
                                    extra="    tls_port: 8199\n"))).exhibits
    assert only.tls_port == 8199 and only.has("http2")
    assert parse(manifest(exhibit())).exhibits[0].tls_port is None
    message = error_of(manifest(exhibit(extra="    tls_port: 8101\n")))
    assert "(cgi-1991).tls_port: port 8101 is already used by cgi-1991" in message
    message = error_of(manifest(exhibit(), exhibit("cgi-1993", 1993, 8102,
                                                   extra="    tls_port: 8100\n")))
    assert "(cgi-1993).tls_port: port 8100 is already used by the lobby" in message
    message = error_of(manifest(exhibit(extra="    tls_port: 8199\n"),
                                exhibit("cgi-1993", 1993, 8199)))
    assert "(cgi-1993).port: port 8199 is already used by cgi-1991 (TLS)" in message


def test_scale_names_the_servers_knob() -> None:
    knob = ('    scale: {unit: workers, default: 4, env: {GUNICORN_CMD_ARGS: "--workers {n}", '
            'WEB_CONCURRENCY: "{n}"}}\n')
    [only] = parse(manifest(exhibit(extra=knob))).exhibits
    assert only.scale is not None and only.scale.unit == "workers"
    assert only.scale.default == 4
    assert only.scale.environment(2) == {"GUNICORN_CMD_ARGS": "--workers 2",
                                         "WEB_CONCURRENCY": "2"}
    assert parse(manifest(exhibit())).exhibits[0].scale is None
    assert [only.scale.count(n) for n in (1, 2)] == ["1 worker", "2 workers"]
    processes = parse(manifest(exhibit(extra=knob.replace("workers", "processes", 1))))
    assert processes.exhibits[0].scale and processes.exhibits[0].scale.count(1) == "1 process"


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
    assert message in error_of(manifest(exhibit(extra=f"    scale: {knob}\n")))


def test_invalid_yaml_names_line() -> None:
    assert error_of("eras: [\n  - : :\n").startswith("timeline.yaml:")


def test_the_museums_own_timeline_loads() -> None:
    timeline = load(ROOT / "timeline.yaml")
    ids = [e.id for e in timeline.exhibits]
    assert ids[0] == "cgi-1991"
    assert len(ids) == len(set(ids))
