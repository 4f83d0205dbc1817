from __future__ import annotations

import httpx
import pytest
from museum.timeline import Edition
from support import lacks, needs
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from tests.stage import Live


def ws_url(live: Live) -> str:
    return live.base_url.replace("http://", "ws://", 1) + "/ws"


@needs("websocket")
def test_websocket_echoes_text_and_binary(edition: Edition, live: Live) -> None:
    """9.1 /ws echoes text and binary messages and answers the close."""
    with connect(ws_url(live), open_timeout=10, close_timeout=10) as ws:
        for message in ("hello", "Zoë 日本 🎉", "x" * 20000):
            ws.send(message)
            assert ws.recv(timeout=10) == message
        for data in (b"\x00\xffbinary", bytes(range(256))):
            ws.send(data)
            assert ws.recv(timeout=10) == data
        ws.close(1000)
        assert ws.protocol.close_rcvd is not None, "the server did not answer the close"
        assert ws.protocol.close_rcvd.code == 1000


@lacks("websocket")
def test_websocket_absent_is_404(edition: Edition, live: Live, client: httpx.Client) -> None:
    """9.2 Without the capability, /ws is a 404, to GET and to a handshake."""
    assert client.get("/ws").status_code == 404
    with pytest.raises(InvalidStatus) as refused:
        connect(ws_url(live), open_timeout=10)
    assert refused.value.response.status_code == 404
