"""The guestbook as ASGI 1 consumers: functions that each take one message from a channel.

daphne, the interface server, turns every HTTP request into a message on the `http.request`
channel and every WebSocket event into one on `websocket.connect`, `websocket.receive` or
`websocket.disconnect`. A worker process takes the message and calls the consumer for its
channel; the consumer answers by sending messages to the request's `reply_channel`, which
daphne reads and writes to the socket. There is no callable application and no event loop in
the worker: the client, daphne and the app meet only through the channel layer.

    {"reply_channel": "daphne.response.Xf...!Qa...", "method": "GET", "path": "/hello",
     "query_string": b"name=Ada", "headers": [[b"host", b"..."]], "body": b"", ...}
"""
import json
import logging
import re
import time
from urllib.parse import unquote_to_bytes

import daphne

from asgi import channel_layer
from guestbook import MAX_BODY, Full, Invalid, Store, check_paging, content_kind, error_body
from guestbook import events as sse
from guestbook import native, page
from guestbook.exhibit import identity
from guestbook.rules import entry_from_body, slow_param, stream_line, stream_params

logger = logging.getLogger("consumers")

JSON = b"application/json"
TEXT = b"text/plain; charset=utf-8"
HTML = b"text/html; charset=utf-8"
EVENTS = "guestbook-events"  # the group of every open /events response
SEND_PATIENCE = 10.0  # seconds to wait for room in a full reply channel

store = Store()


# --- Sending: every answer is one or more messages on the reply channel -----------------------

def send(channel, message):
    """Send to a channel, waiting while it is full (daphne reads its replies as it can)."""
    deadline = time.time() + SEND_PATIENCE
    while True:
        try:
            channel_layer.send(channel, message)
            return
        except channel_layer.ChannelFull:
            if time.time() > deadline:
                logger.warning("Reply channel %s stayed full: message dropped", channel)
                return
            time.sleep(0.01)


def respond(message, status, content, content_type, headers=()):
    """A whole response in one http.response message."""
    if not isinstance(content, bytes):
        content = content.encode("utf-8")
    send(message["reply_channel"], {
        "status": status,
        "headers": [(b"Content-Type", content_type),
                    (b"Content-Length", str(len(content)).encode("ascii"))] + list(headers),
        "content": content,
    })


def header(message, name):
    for key, value in message["headers"]:
        if key == name:
            return value.decode("latin-1")
    return None


TOKEN = re.compile(rb"[!#$%&'*+.^_`|~0-9a-z-]+\Z")
HOST = re.compile(rb"[A-Za-z0-9.:\[\]-]+\Z")


def malformed(message):
    """What HTTP forbids and Twisted 17.1's parser passes on to the app: (status, reason)."""
    if message["http_version"] not in ("1.0", "1.1"):
        return 505, "this server speaks HTTP/1.0 and HTTP/1.1"
    hosts = [value for key, value in message["headers"] if key == b"host"]
    if len(hosts) > 1 or (message["http_version"] == "1.1" and not hosts) or \
            (hosts and not HOST.match(hosts[0])):
        return 400, "HTTP/1.1 needs one Host header, a host name and port"
    for key, value in message["headers"]:
        if not TOKEN.match(key) or b"\0" in value or b"\r" in value or b"\n" in value:
            return 400, "a header name or value holds characters HTTP does not allow"
        if key == b"content-length" and not value.isdigit():
            return 400, "Content-Length is not a number of bytes"
    return None


def query(message):
    """The query string's fields, first value of each name, decoded as UTF-8 or refused."""
    fields = {}
    for pair in message["query_string"].split(b"&"):  # daphne passes the raw bytes on
        if not pair:
            continue
        key, _, value = pair.partition(b"=")
        key, value = [unquote_to_bytes(part.replace(b"+", b" ")) for part in (key, value)]
        try:
            fields.setdefault(key.decode("utf-8"), value.decode("utf-8"))
        except UnicodeDecodeError:
            raise Invalid("the query string is not valid UTF-8", key.decode("latin-1"))
    return fields


# --- http.request: route on the path, then the method -----------------------------------------

def http_request(message):
    path = message["path"]
    refused = malformed(message)
    if refused is not None:
        respond(message, refused[0], error_body(refused[1]), JSON)
        return
    try:
        if "\ufffd" in path:
            # daphne percent-decodes the path and replaces bytes that are not UTF-8 with U+FFFD
            raise Invalid("the path is not valid UTF-8")
        for pattern, methods in ROUTES:
            match = pattern.match(path)
            if match is None:
                continue
            method = "GET" if message["method"] == "HEAD" else message["method"]
            if method not in methods:
                allowed = sorted(set(methods) | ({"HEAD"} if "GET" in methods else set()))
                respond(message, 405, error_body("%s is not allowed here" % message["method"]),
                        JSON, [(b"Allow", ", ".join(allowed).encode("ascii"))])
                return
            methods[method](message, *match.groups())
            return
        respond(message, 404, error_body("there is nothing at this address"), JSON)
    except Invalid as invalid:
        respond(message, 400, invalid.body(), JSON)
    except Full as full:
        respond(message, 507, error_body(str(full)), JSON)
    except Exception:
        # runworker logged a consumer's traceback and went on to the next message; the client
        # still needs an answer, or daphne holds the request until its --http-timeout.
        logger.exception("Error in the consumer for %s %s", message["method"], path)
        respond(message, 500, error_body("the guestbook failed; the log says why"), JSON)


def http_disconnect(message):
    # daphne says so when any HTTP connection closes; only /events responses are in the group
    channel_layer.group_discard(EVENTS, message["reply_channel"])


# --- The routes ---------------------------------------------------------------------------------

def front_page(message):
    entries, total = store.page(10, 0)
    respond(message, 200, page.render(identity(), entries, total), HTML)


def hello(message, name=None):
    name = name or query(message).get("name") or "World"
    respond(message, 200, "Hello, %s!" % name, TEXT)


def read_guestbook(message):
    fields = query(message)
    limit, offset = check_paging(fields.get("limit"), fields.get("offset"))
    entries, total = store.page(limit, offset)
    document = {"entries": [e.as_dict() for e in entries], "total": total}
    respond(message, 200, json.dumps(document), JSON)


def one_entry(message, entry_id):
    found = store.get(int(entry_id)) if len(entry_id.lstrip("0")) <= 19 else None
    if found is None:
        respond(message, 404, error_body("there is no entry %s" % entry_id), JSON)
    else:
        respond(message, 200, found.to_json(), JSON)


def sign(message):
    content_type = header(message, b"content-type")
    kind = content_kind(content_type)
    if kind is None:
        respond(message, 415, error_body("send application/json or a form"), JSON)
        return
    if len(message["body"]) > MAX_BODY:  # daphne read it all and sent it in the message
        respond(message, 413, error_body("the body is over %d bytes" % MAX_BODY), JSON)
        return
    name, text = entry_from_body(content_type, message["body"])
    entry = store.add(name, text)
    # Every open /events response hears of it: one message to the group, one per member.
    channel_layer.send_group(EVENTS, {"content": sse.event(entry).encode("utf-8"),
                                      "more_content": True})
    if kind == "form":
        respond(message, 303, b"", TEXT, [(b"Location", b"/")])
    else:
        respond(message, 201, entry.to_json(), JSON,
                [(b"Location", entry.location.encode("ascii"))])


def inspect(message):
    headers = {}
    for key, value in message["headers"]:
        name, text = key.decode("latin-1"), value.decode("latin-1")
        headers[name] = "%s, %s" % (headers[name], text) if name in headers else text
    request = {
        "method": message["method"], "path": message["path"],
        "query": message["query_string"].decode("latin-1"), "headers": headers,
        "http_version": message["http_version"], "scheme": message["scheme"],
        "client": message["client"][0] if message.get("client") else "",
    }
    document = native.document(interface="ASGI 1.0", software="daphne",
                               version=daphne.__version__, request=request, native=message)
    # Where the message came from: the layer it crossed, between two processes.
    document["channel_layer"] = {"layer": str(channel_layer), "channel": "http.request"}
    respond(message, 200, json.dumps(document), JSON)


def stream(message):
    fields = query(message)
    chunks, delay_ms = stream_params(fields.get("chunks"), fields.get("delay_ms"))
    reply = message["reply_channel"]
    send(reply, {"status": 200, "headers": [(b"Content-Type", TEXT),
                                            (b"Cache-Control", b"no-cache")],
                 "content": stream_line(1, chunks).encode("ascii"), "more_content": True})
    for index in range(2, chunks + 1):
        time.sleep(delay_ms / 1000.0)  # the worker waits; the other workers take the rest
        send(reply, {"content": stream_line(index, chunks).encode("ascii"),
                     "more_content": index < chunks})


def slow(message):
    ms = slow_param(query(message).get("ms"))
    time.sleep(ms / 1000.0)  # a sleeping worker process: it takes no other message meanwhile
    respond(message, 200, json.dumps(dict(ms=ms, **native.process())), JSON)


def events(message):
    reply = message["reply_channel"]
    headers = [(b"Content-Type", sse.CONTENT_TYPE.encode()), (b"Cache-Control", b"no-cache")]
    if message["method"] == "HEAD":  # Twisted sends no body to HEAD: nothing to keep open
        send(reply, {"status": 200, "headers": headers})
        return
    # The response starts, the reply channel joins the group, and the consumer returns: no
    # worker is held while the stream stays open. Posts send to the group (see sign).
    send(reply, {"status": 200, "headers": headers, "more_content": True})
    channel_layer.group_add(EVENTS, reply)
    send(reply, {"content": sse.LISTENING.encode("ascii"), "more_content": True})


def boom(message):
    raise RuntimeError("boom: the guestbook raised on purpose")


def plain_get_on_ws(message):
    respond(message, 426, error_body("/ws speaks WebSocket: send an Upgrade"), JSON,
            [(b"Upgrade", b"websocket"), (b"Connection", b"Upgrade")])


ROUTES = [
    (re.compile(r"/\Z"), {"GET": front_page}),
    (re.compile(r"/hello(?:/([^/]+))?\Z"), {"GET": hello}),
    (re.compile(r"/guestbook\Z"), {"GET": read_guestbook, "POST": sign}),
    (re.compile(r"/guestbook/([0-9]+)\Z"), {"GET": one_entry}),
    (re.compile(r"/inspect\Z"), {"GET": inspect}),
    (re.compile(r"/stream\Z"), {"GET": stream}),
    (re.compile(r"/slow\Z"), {"GET": slow}),
    (re.compile(r"/events\Z"), {"GET": events}),
    (re.compile(r"/boom\Z"), {"GET": boom}),
    (re.compile(r"/ws\Z"), {"GET": plain_get_on_ws}),
]


# --- WebSocket: accept on connect, echo on receive ------------------------------------------

def ws_connect(message):
    # daphne 1.x holds the handshake until the app accepts it (or closes: a 403)
    if message["path"] == "/ws":
        send(message["reply_channel"], {"accept": True})
    else:
        send(message["reply_channel"], {"close": True})


def ws_receive(message):
    if message.get("text") is not None:
        send(message["reply_channel"], {"text": message["text"]})
    else:
        send(message["reply_channel"], {"bytes": message["bytes"]})


def ws_disconnect(message):
    pass  # nothing to clean up: the echo keeps no state


channel_routing = {
    "http.request": http_request,
    "http.disconnect": http_disconnect,
    "websocket.connect": ws_connect,
    "websocket.receive": ws_receive,
    "websocket.disconnect": ws_disconnect,
}
