from __future__ import annotations

import json
import uuid
from typing import Any

import httpx
import pytest
from museum.timeline import Edition
from support import assert_media

QUERY = "probe=1&word=%C3%A9t%C3%A9"


@pytest.fixture
def probe() -> str:
    return f"probe-{uuid.uuid4().hex}"


@pytest.fixture
def inspected(client: httpx.Client, probe: str) -> dict[str, Any]:
    response = client.get(f"/inspect?{QUERY}", headers={"X-Museum-Probe": probe})
    assert response.status_code == 200, response.text[:300]
    assert_media(response, "application/json", charset=None)
    document: dict[str, Any] = response.json()
    return document


def test_inspect_names_interface_and_server(edition: Edition, inspected: dict[str, Any]) -> None:
    """5.1 interface and server agree with timeline.yaml."""
    assert {"interface", "server", "request", "process", "native"} <= set(inspected)
    assert inspected["interface"] == edition.interface
    server = inspected["server"]
    assert str(server["software"]).lower() == edition.server.name.lower(), server
    version, wanted = str(server["version"]), edition.server.version
    assert version == wanted or version.startswith(wanted + "."), (
        f"the server reports {version}, timeline.yaml says {wanted}")


def test_inspect_request(inspected: dict[str, Any], probe: str) -> None:
    """5.2 The request: method, path, raw query, lower-cased headers, version, scheme, client."""
    request = inspected["request"]
    assert set(request) >= {"method", "path", "query", "headers", "http_version", "scheme",
                            "client"}
    assert request["method"] == "GET"
    assert request["path"] == "/inspect"
    assert request["query"] == QUERY
    headers = request["headers"]
    assert all(name == name.lower() for name in headers), list(headers)
    assert headers.get("x-museum-probe") == probe
    assert request["http_version"] == "1.1"
    assert request["scheme"] == "http"
    assert isinstance(request["client"], str) and request["client"]


def test_inspect_process(edition: Edition, inspected: dict[str, Any]) -> None:
    """5.3 process is {pid, thread, python}, the interpreter timeline.yaml names."""
    process = inspected["process"]
    assert isinstance(process["pid"], int) and process["pid"] > 0
    assert isinstance(process["thread"], str) and process["thread"]
    python = str(process["python"])
    assert python == edition.python or python.startswith(edition.python + "."), (
        f"the app runs on Python {python}, timeline.yaml says {edition.python}")


def test_inspect_native_is_what_the_app_received(inspected: dict[str, Any], probe: str) -> None:
    """5.4 native is the structure the app received, carrying the probe header."""
    native = inspected["native"]
    assert isinstance(native, dict) and native
    assert probe in json.dumps(native)
