"""N idle keep-alive connections to URL, then one GET /hello on a connection of its own.

Each of the N connections sends one GET /hello (HTTP/1.1, so kept alive unless the server
says otherwise), reads its answer and then stays open and silent, as an idle browser does; a
connection the server closes is closed at once, as a browser would. Once every one of the N
has been answered (SETTLE seconds at most), with the N still held, one more GET /hello is
timed on a fresh connection, with LIMIT seconds to answer. Prints, as JSON, how many of the N
connected, were answered and were still open when the probe began, and the probe's time in
seconds (null when it was not answered within the limit).

    python3 idle.py URL N [LIMIT=1] [SETTLE=5]
"""

import json
import resource
import selectors
import socket
import sys
import threading
import time
import urllib.parse

# as museum bench sends it: Django's ALLOWED_HOSTS holds no service name
HOST = "127.0.0.1:8000"
REQUEST = f"GET /hello HTTP/1.1\r\nHost: {HOST}\r\n\r\n".encode()
DONE = ("answered", "closed", "failed")

url, n = sys.argv[1], int(sys.argv[2])
limit = float(sys.argv[3]) if len(sys.argv) > 3 else 1.0
settle = float(sys.argv[4]) if len(sys.argv) > 4 else 5.0
parts = urllib.parse.urlsplit(url)
address = socket.getaddrinfo(parts.hostname, parts.port or 80, socket.AF_INET,
                             socket.SOCK_STREAM)[0][4]

# one descriptor a connection: as many as the container allows
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))

selector = selectors.DefaultSelector()
state = {}  # socket -> connecting, waiting, answered, closed, failed
opened = 0


def drop(sock, to):
    state[sock] = to
    selector.unregister(sock)
    sock.close()


def pump(until):
    """Serve the N connections' events until `until()` says stop."""
    global opened
    while not until():
        for key, _ in selector.select(timeout=0.02):
            sock = key.fileobj
            if state[sock] == "connecting":
                if sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR):
                    drop(sock, "failed")
                    continue
                opened += 1
                try:
                    sock.sendall(REQUEST)
                except OSError:
                    drop(sock, "failed")
                    continue
                state[sock] = "waiting"
                selector.modify(sock, selectors.EVENT_READ)
                continue
            try:
                data = sock.recv(65536)
            except OSError:
                data = b""
            if not data:
                drop(sock, "failed" if state[sock] == "waiting" else "closed")
            elif state[sock] == "waiting":
                state[sock] = "answered"


for _ in range(n):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setblocking(False)
    sock.connect_ex(address)
    state[sock] = "connecting"
    selector.register(sock, selectors.EVENT_WRITE)

deadline = time.monotonic() + settle
pump(lambda: time.monotonic() > deadline or all(s in DONE for s in state.values()))
# a server that declines keep-alive closes right after its answer: a moment to see it
moment = time.monotonic() + 0.1
pump(lambda: time.monotonic() > moment)
answered = sum(1 for s in state.values() if s in ("answered", "closed"))
still_open = sum(1 for s in state.values() if s in ("answered", "waiting"))

probe = []


def ask():
    began = time.monotonic()
    try:
        with socket.create_connection(address, timeout=limit) as sock:
            sock.sendall(REQUEST)
            reply = b""
            while b"\r\n" not in reply and time.monotonic() - began < limit:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                reply += chunk
            status = reply.split(b"\r\n", 1)[0].split()
            if len(status) > 1 and status[1] == b"200":
                probe.append(time.monotonic() - began)
    except OSError:
        pass


# The probe on a thread of its own, while this one goes on serving the N as clients would.
asking = threading.Thread(target=ask)
asking.start()
pump(lambda: not asking.is_alive())
asking.join()

for sock in state:
    sock.close()
took = probe[0] if probe and probe[0] <= limit else None
print(json.dumps({"connections": n, "opened": opened, "answered": answered,
                  "open": still_open, "probe": took}))
