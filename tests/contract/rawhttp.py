"""HTTP/1.1 over a bare socket: the hostile corpus sends bytes no client library would, and
reads whatever comes back, or notices that nothing does."""

from __future__ import annotations

import contextlib
import socket
import time
from dataclasses import dataclass, field

READ_TIMEOUT = 10.0


@dataclass
class Answer:
    """What the server did with one request: a response, a closed connection, or nothing."""

    status: int | None = None          # None: no status line came back
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    closed: bool = False               # the server closed without a status line
    hung: bool = False                 # nothing, and the connection stayed open
    trailing: bytes = b""              # bytes after a HEAD response's headers
    seconds: float = 0.0

    def header(self, name: str) -> str | None:
        wanted = name.lower()
        return next((v for k, v in self.headers if k.lower() == wanted), None)

    @property
    def outcome(self) -> str:
        """"404", "close" or "hang": what a quirk in timeline.yaml records."""
        if self.hung:
            return "hang"
        if self.status is None:
            return "close"
        return str(self.status)


def exchange(host: str, port: int, request: bytes, *, half_close: bool = False,
             head: bool = False, timeout: float = READ_TIMEOUT) -> Answer:
    """Send `request` as is; read one response. `half_close` shuts the writing side after
    sending, so that a server waiting for more body sees the end of the stream."""
    started = time.monotonic()
    answer = Answer()
    with socket.create_connection((host, port), timeout=timeout) as sock:
        try:
            sock.sendall(request)
            if half_close:
                sock.shutdown(socket.SHUT_WR)
        except OSError:
            pass  # the server may refuse and close while we still send: read what it said
        data = b""
        try:
            data = read_response(sock, head, timeout)
        except TimeoutError:
            answer.hung = not data
        except OSError:
            pass
    parse(answer, data, head)
    answer.seconds = time.monotonic() - started
    return answer


def read_response(sock: socket.socket, head: bool, timeout: float) -> bytes:
    """Until the response is complete (by Content-Length or the chunked terminator) or the
    server closes; for HEAD, a little more, to catch bytes a HEAD response must not carry."""
    deadline = time.monotonic() + timeout
    data = b""
    while True:
        sock.settimeout(max(0.1, deadline - time.monotonic()))
        try:
            chunk = sock.recv(65536)
        except TimeoutError:
            if complete(data, head) is not None or data:
                return data
            raise
        if not chunk:
            return data
        data += chunk
        end = complete(data, head)
        if end is not None:
            if head:
                sock.settimeout(1.0)
                with contextlib.suppress(TimeoutError, OSError):
                    data += sock.recv(65536)
            return data


def complete(data: bytes, head: bool) -> int | None:
    """The length of a whole response in data, or None while more is to come."""
    split = data.find(b"\r\n\r\n")
    if split < 0:
        return None
    start = split + 4
    head_text = data[:split].decode("latin-1").lower()
    status = head_text.split(" ", 2)[1:2]
    if head or (status and status[0] in ("204", "304")) or (status and status[0].startswith("1")):
        return start
    for line in head_text.split("\r\n")[1:]:
        name, _, value = line.partition(":")
        if name.strip() == "content-length" and value.strip().isdigit():
            end = start + int(value.strip())
            return end if len(data) >= end else None
        if name.strip() == "transfer-encoding" and "chunked" in value:
            return start + len(data[start:]) if data.endswith(b"0\r\n\r\n") else None
    return None  # no length: the body ends when the server closes


def parse(answer: Answer, data: bytes, head: bool) -> None:
    if not data.startswith(b"HTTP/"):
        answer.closed = not answer.hung
        answer.body = data
        return
    split = data.find(b"\r\n\r\n")
    head_bytes, rest = (data, b"") if split < 0 else (data[:split], data[split + 4:])
    lines = head_bytes.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ", 2)
    answer.status = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
    for line in lines[1:]:
        name, _, value = line.partition(":")
        answer.headers.append((name.strip(), value.strip()))
    if head:
        answer.trailing = rest
        return
    if "chunked" in (answer.header("transfer-encoding") or "").lower():
        answer.body = dechunk(rest)
    else:
        length = answer.header("content-length")
        answer.body = rest[:int(length)] if length and length.isdigit() else rest


def dechunk(raw: bytes) -> bytes:
    body, rest = b"", raw
    while rest:
        line, _, rest = rest.partition(b"\r\n")
        try:
            size = int(line.split(b";")[0], 16)
        except ValueError:
            return body + rest
        if size == 0:
            break
        body, rest = body + rest[:size], rest[size + 2:]
    return body


def request(method: str, target: str, host: str, headers: list[tuple[str, str]] | None = None,
            body: bytes = b"", *, length: bool = True) -> bytes:
    """A well-formed request with `Connection: close`, for the cases that break one part."""
    lines = [f"{method} {target} HTTP/1.1", f"Host: {host}", "Connection: close"]
    lines += [f"{k}: {v}" for k, v in headers or []]
    if length and (body or method in ("POST", "PUT", "PATCH")):
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body
