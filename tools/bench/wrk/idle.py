"""N idle keep-alive connections to URL, then one GET /hello on a connection of its own.

Each of the N connections sends one GET /hello (HTTP/1.1, so kept alive unless the server
says otherwise), reads its answer and then stays open and silent: an idle visitor. After
SETTLE seconds at most, with the N still held, one more GET /hello is timed on a fresh
connection, with LIMIT seconds to answer. Prints, as JSON, how many of the N connected, were
answered and were still open, and the probe's time (null when it was not answered in time).

    python3 idle.py URL N [LIMIT=1] [SETTLE=2]
"""

import json
import resource
import selectors
import socket
import sys
import time
import urllib.parse

# as museum bench sends it: Django's ALLOWED_HOSTS holds no service name
HOST = "127.0.0.1:8000"
REQUEST = f"GET /hello HTTP/1.1\r\nHost: {HOST}\r\n\r\n".encode()

url, n = sys.argv[1], int(sys.argv[2])
limit = float(sys.argv[3]) if len(sys.argv) > 3 else 1.0
settle = float(sys.argv[4]) if len(sys.argv) > 4 else 2.0
parts = urllib.parse.urlsplit(url)
address = socket.getaddrinfo(parts.hostname, parts.port or 80, socket.AF_INET,
                             socket.SOCK_STREAM)[0][4]

# one descriptor a connection: as many as the container allows
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))

selector = selectors.DefaultSelector()
state = {}  # socket -> "connecting", "waiting", "answered", "closed", "failed"
for _ in range(n):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setblocking(False)
    sock.connect_ex(address)
    state[sock] = "connecting"
    selector.register(sock, selectors.EVENT_WRITE)

opened = 0
deadline = time.monotonic() + settle
while time.monotonic() < deadline:
    if all(s in ("answered", "closed", "failed") for s in state.values()):
        break
    for key, _ in selector.select(timeout=0.05):
        sock = key.fileobj
        if state[sock] == "connecting":
            if sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR):
                state[sock] = "failed"
                selector.unregister(sock)
                continue
            opened += 1
            try:
                sock.sendall(REQUEST)
            except OSError:
                state[sock] = "failed"
                selector.unregister(sock)
                continue
            state[sock] = "waiting"
            selector.modify(sock, selectors.EVENT_READ)
            continue
        try:
            data = sock.recv(65536)
        except OSError:
            data = b""
        if not data:
            if state[sock] == "waiting":
                state[sock] = "failed"
            else:
                state[sock] = "closed"
            selector.unregister(sock)
        elif state[sock] == "waiting":
            state[sock] = "answered"

# A server that declines keep-alive closes right after its answer: look once more.
for key, _ in selector.select(timeout=0.1):
    sock = key.fileobj
    try:
        if not sock.recv(65536):
            state[sock] = "closed" if state[sock] == "answered" else "failed"
            selector.unregister(sock)
    except OSError:
        pass

answered = sum(1 for s in state.values() if s in ("answered", "closed"))
still_open = sum(1 for s in state.values() if s in ("answered", "waiting"))

probe = None
began = time.monotonic()
try:
    with socket.create_connection(address, timeout=limit) as sock:
        sock.sendall(REQUEST)
        reply = b""
        while b"\r\n\r\n" not in reply and time.monotonic() - began < limit:
            chunk = sock.recv(65536)
            if not chunk:
                break
            reply += chunk
        if reply.startswith(b"HTTP/1.") and b" 200 " in reply.split(b"\r\n", 1)[0]:
            probe = time.monotonic() - began
except OSError:
    pass
if probe is not None and probe > limit:
    probe = None

for sock in state:
    sock.close()
print(json.dumps({"connections": n, "opened": opened, "answered": answered,
                  "open": still_open, "probe": probe}))
