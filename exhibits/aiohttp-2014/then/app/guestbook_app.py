"""The guestbook on aiohttp.web, written the way aiohttp's documentation of 2014-2015 showed.

Generator-based coroutines (`@asyncio.coroutine` and `yield from`, Python 3.4's asyncio;
`async def` came with Python 3.5 in September 2015), an Application whose router takes
`add_route(method, path, handler)`, and a server made with `loop.create_server(
app.make_handler(), ...)` on a loop that runs for ever. One thread runs the loop and every
handler on it; the SQLite calls go to the loop's default executor (a thread pool), so that
the disk never holds the loop.
"""

import asyncio
import json
import logging
import re
import signal
import sys
import threading
from urllib.parse import parse_qsl, unquote_to_bytes

import aiohttp
import aiohttp.helpers
import aiohttp.web_server
import async_timeout
from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError
from aiohttp.http_parser import HttpRequestParserPy
from aiohttp.web_protocol import RequestHandler

from guestbook import Full, Invalid, Store, check_paging, content_kind, error_body
from guestbook import page as front_page
from guestbook.events import CONTENT_TYPE as EVENT_STREAM
from guestbook.events import KEEPALIVE, LISTENING, event
from guestbook.exhibit import identity
from guestbook.native import document, process
from guestbook.rules import MAX_BODY, slow_param, stream_line, stream_params
from guestbook.rules import entry_from_body

logging.basicConfig(stream=sys.stderr, level=logging.INFO,
                    format='%(asctime)s %(levelname)s %(name)s %(message)s')
log = logging.getLogger('guestbook')

TEXT = 'text/plain; charset=utf-8'
KEEPALIVE_SECONDS = 15

store = Store()
listeners = set()   # an asyncio.Queue for every open /events stream


def in_executor(call, *args):
    """A blocking call (sqlite3 is C, and blocks) run in the loop's default thread pool."""
    return asyncio.get_event_loop().run_in_executor(None, call, *args)


def json_response(document, status=200, headers=None):
    text = document if isinstance(document, str) else json.dumps(document, ensure_ascii=False)
    response = web.Response(body=text.encode('utf-8'), status=status, headers=headers)
    response.content_type = 'application/json'
    return response


def text_response(text, content_type=TEXT, status=200, headers=None):
    response = web.Response(body=text.encode('utf-8'), status=status, headers=headers)
    response.headers['Content-Type'] = content_type
    return response


class Answer(Exception):
    """An answer a handler gives up with: a status and the guestbook's JSON error."""

    def __init__(self, status, message, field=None, headers=None):
        super().__init__(message)
        self.status, self.body, self.headers = status, error_body(message, field), headers


def query(request):
    """The query's fields, the first value of each; bytes that are not UTF-8 are a 400."""
    fields = {}
    try:
        pairs = parse_qsl(request.rel_url.raw_query_string, keep_blank_values=True, errors='strict')
    except UnicodeDecodeError:
        raise Answer(400, 'the query string is not UTF-8')
    for key, value in pairs:
        fields.setdefault(key, value)
    return fields


def utf8_charset(content_type):
    """A body declaring a charset other than UTF-8 is one the guestbook cannot read."""
    for parameter in content_type.split(';')[1:]:
        key, _, value = parameter.partition('=')
        if key.strip().lower() == 'charset':
            return value.strip().strip('"').lower() in ('utf-8', 'utf8')
    return True


# ---- the handlers ----------------------------------------------------------------------------

@asyncio.coroutine
def index(request):
    entries, total = yield from in_executor(store.page, 10, 0)
    return text_response(front_page.render(identity(), entries, total),
                         'text/html; charset=utf-8')


@asyncio.coroutine
def hello(request):
    if 'name' in request.match_info:
        name = path_name(request)
    else:
        name = query(request).get('name')
    return text_response('Hello, {}!'.format(name or 'World'))


def path_name(request):
    """/hello/{name}'s name, percent-decoded from the raw path as UTF-8 (yarl keeps an escape
    it cannot decode, so %ff would read as the text "%ff")."""
    raw = request.rel_url.raw_path.partition('/hello/')[2]
    try:
        return unquote_to_bytes(raw).decode('utf-8')
    except UnicodeDecodeError:
        raise Answer(400, 'name must be UTF-8 text', 'name')


@asyncio.coroutine
def read_guestbook(request):
    fields = query(request)
    try:
        limit, offset = check_paging(fields.get('limit'), fields.get('offset'))
    except Invalid as bad:
        return json_response(bad.body(), 400)
    entries, total = yield from in_executor(store.page, limit, offset)
    return json_response({'entries': [e.as_dict() for e in entries], 'total': total})


@asyncio.coroutine
def sign(request):
    content_type = request.headers.get('Content-Type', '')
    kind = content_kind(content_type)
    if kind is None or not utf8_charset(content_type):
        raise Answer(415, 'send application/json or application/x-www-form-urlencoded, '
                          'in UTF-8')
    if (request.content_length or 0) > MAX_BODY:
        raise Answer(413, 'the body is over 64 KiB', headers={'Connection': 'close'})
    body = b''
    while len(body) < (request.content_length or 0):
        chunk = yield from request.content.read(request.content_length - len(body))
        if not chunk:
            raise Answer(400, 'the body ended before its Content-Length',
                         headers={'Connection': 'close'})
        body += chunk
    try:
        name, message = entry_from_body(content_type, body)
    except Invalid as bad:
        return json_response(bad.body(), 400)
    try:
        entry = yield from in_executor(store.add, name, message)
    except Full as full:
        log.warning('the guestbook could not store a post: %s', full)
        raise Answer(507, "the guestbook's storage is full")
    for queue in list(listeners):
        queue.put_nowait(entry)
    if kind == 'form':
        return text_response('', status=303, headers={'Location': '/'})
    return json_response(entry.to_json(), 201, {'Location': entry.location})


@asyncio.coroutine
def read_entry(request):
    entry_id = request.match_info['id']
    entry = (yield from in_executor(store.get, int(entry_id))) if entry_id.isdigit() else None
    if entry is None:
        raise Answer(404, 'there is no such entry')
    return json_response(entry.to_json())


@asyncio.coroutine
def stream(request):
    fields = query(request)
    try:
        chunks, delay_ms = stream_params(fields.get('chunks'), fields.get('delay_ms'))
    except Invalid as bad:
        return json_response(bad.body(), 400)
    response = web.StreamResponse()
    response.headers['Content-Type'] = TEXT
    yield from response.prepare(request)
    for index in range(1, chunks + 1):
        if index > 1:
            yield from asyncio.sleep(delay_ms / 1000)
        response.write(stream_line(index, chunks).encode('utf-8'))
        yield from response.drain()
    yield from response.write_eof()
    return response


@asyncio.coroutine
def slow(request):
    try:
        ms = slow_param(query(request).get('ms'))
    except Invalid as bad:
        return json_response(bad.body(), 400)
    yield from asyncio.sleep(ms / 1000)   # a timer on the loop: the loop serves the others
    found = process()
    return json_response({'ms': ms, 'pid': found['pid'], 'thread': found['thread']})


@asyncio.coroutine
def events(request):
    response = web.StreamResponse()
    response.headers['Content-Type'] = EVENT_STREAM
    response.headers['Cache-Control'] = 'no-cache'
    queue = asyncio.Queue()
    listeners.add(queue)
    try:
        yield from response.prepare(request)
        response.write(LISTENING.encode('utf-8'))
        yield from response.drain()
        while True:
            try:
                entry = yield from asyncio.wait_for(queue.get(), KEEPALIVE_SECONDS)
            except asyncio.TimeoutError:
                response.write(KEEPALIVE.encode('utf-8'))
            else:
                response.write(event(entry).encode('utf-8'))
            yield from response.drain()
    finally:
        listeners.discard(queue)


@asyncio.coroutine
def websocket(request):
    ws = web.WebSocketResponse()
    ready = ws.can_prepare(request)
    if not ready.ok:
        raise Answer(400, 'this address speaks WebSocket: send an Upgrade request')
    yield from ws.prepare(request)
    while True:
        msg = yield from ws.receive()
        if msg.type == aiohttp.WSMsgType.TEXT:
            ws.send_str(msg.data)
        elif msg.type == aiohttp.WSMsgType.BINARY:
            ws.send_bytes(msg.data)
        else:   # CLOSE (answered by ws.receive itself), CLOSED or ERROR
            break
    return ws


@asyncio.coroutine
def inspect(request):
    software = aiohttp.http.SERVER_SOFTWARE.split()[-1].partition('/')[0]   # Python/3.9 aiohttp/2.3.3
    request_info = {
        'method': request.method,
        'path': request.path,
        'query': request.rel_url.raw_query_string,
        'headers': {name.lower(): value for name, value in request.headers.items()},
        'http_version': '{}.{}'.format(*request.version),
        'scheme': request.scheme,
        'client': request.transport.get_extra_info('peername')[0],
    }
    found = document(interface='native', software=software, version=aiohttp.__version__,
                     request=request_info, native=request)
    found['process']['thread'] = threading.current_thread().name
    return json_response(found)


@asyncio.coroutine
def boom(request):
    raise RuntimeError('boom: the guestbook raised on purpose')


# ---- the middleware: the guestbook's JSON for every error -----------------------------------

@asyncio.coroutine
def errors_middleware(app, handler):
    @asyncio.coroutine
    def middleware(request):
        try:
            return (yield from handler(request))
        except Answer as answer:
            return json_response(answer.body, answer.status, answer.headers)
        except web.HTTPException as exc:
            if exc.status < 400:
                raise
            headers = {'Allow': exc.headers['Allow']} if 'Allow' in exc.headers else None
            return json_response(error_body(exc.reason), exc.status, headers)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception('%s %s failed', request.method, request.path)
            return json_response(error_body('the guestbook failed'), 500)
    return middleware


# ---- the connection: aiohttp 2.3's, refusing what its pure-Python parser would misread -----

TOKEN = re.compile(rb"[!#$%&'*+.^_`|~0-9A-Za-z-]+\Z")
VERSION = re.compile(rb'HTTP/(\d)\.\d\Z')
TARGET = re.compile(rb'/|https?://')
HOST = re.compile(rb'[A-Za-z0-9._~:\[\]-]*\Z')
UNSAFE = re.compile(rb'[\x00-\x20\x7f]')
BAD_VALUE = re.compile(rb'[\x00-\x08\x0a-\x1f\x7f]')


class Refused(HttpProcessingError):
    """A request the guestbook's connection answers itself, with its own status."""

    def __init__(self, code, message):
        super().__init__(code=code, message=message)


class GuestbookParser(HttpRequestParserPy):
    """aiohttp 2.3's pure-Python parser splits the request line on any whitespace, takes any
    HTTP/x.y, a missing or doubled Host, a header name with a space or a NUL in a value, and
    reads Content-Length and chunk sizes with int() (+5, 0x10, 1_0). This one checks the head
    first and refuses what it must; a chunked body gets a 411."""

    def parse_message(self, lines):
        parts = lines[0].split(b' ')
        if len(parts) != 3 or not TOKEN.match(parts[0]):
            raise Refused(400, 'the request line is not METHOD target HTTP/1.x')
        method, target, version = parts
        match = VERSION.match(version)
        if match is None:
            raise Refused(400, 'the request line names no HTTP version')
        if match.group(1) != b'1':
            raise Refused(505, 'this server speaks HTTP/1.x')
        if not TARGET.match(target) or UNSAFE.search(target):
            raise Refused(400, 'the request target is not a path')
        fields = {}
        for line in lines[1:]:
            if not line:
                break
            name, colon, value = line.partition(b':')
            if not colon or not TOKEN.match(name) or BAD_VALUE.search(value):
                raise Refused(400, 'a header line is not "Name: value"')
            fields.setdefault(name.lower(), []).append(value.strip(b' \t'))
        hosts = fields.get(b'host', [])
        if len(hosts) > 1 or (version == b'HTTP/1.1' and not hosts):
            raise Refused(400, 'an HTTP/1.1 request names one Host')
        if hosts and not HOST.match(hosts[0]):
            raise Refused(400, 'the Host header is not a host')
        if b'transfer-encoding' in fields:
            if [value.lower() for value in fields[b'transfer-encoding']] == [b'chunked']:
                raise Refused(411, 'send the body with a Content-Length')
            raise Refused(501, 'no transfer coding is understood here')
        lengths = set(fields.get(b'content-length', []))
        if len(lengths) > 1 or not all(length.isdigit() for length in lengths):
            raise Refused(400, 'Content-Length is not one whole number')
        return super().parse_message(lines)


class GuestbookRequestHandler(RequestHandler):
    """aiohttp's connection protocol with the guestbook's parser; what the parser refuses is
    answered with its own status and the guestbook's JSON (aiohttp 2.3 says 400, in HTML)."""

    def __init__(self, manager, *, loop=None, **kwargs):
        super().__init__(manager, loop=loop, **kwargs)
        self._request_parser = GuestbookParser(
            self, self._loop, max_line_size=8190, max_field_size=8190, max_headers=32768,
            payload_exception=aiohttp.web_protocol.RequestPayloadError)

    def handle_error(self, request, status=500, exc=None, message=None):
        if isinstance(exc, HttpProcessingError) and status == 400:
            response = json_response(error_body(exc.message or 'a bad request'),
                                     exc.code if isinstance(exc, Refused) else 400)
            response.force_close()
            return response
        return super().handle_error(request, status, exc, message)


# The Server that make_handler() returns names its protocol class directly.
aiohttp.web_server.RequestHandler = GuestbookRequestHandler


# ---- Python 3.9 under a 2017 release -------------------------------------------------------

def current_task(loop=None):
    return asyncio.current_task(loop=loop)


# aiohttp 2.3 and async-timeout 2.0 look the running task up with asyncio.Task.current_task(),
# which Python 3.9 removed (asyncio.current_task() has been there since 3.7). Without these two
# names the server's read past a body that a handler left unread fails, and drops the connection.
aiohttp.helpers.current_task = async_timeout.current_task = current_task


# ---- the application and the loop -----------------------------------------------------------

@asyncio.coroutine
def init(loop):
    app = web.Application(loop=loop, middlewares=[errors_middleware])
    for method, path, handler in [
            ('GET', '/', index),
            ('GET', '/hello', hello),
            ('GET', '/hello/{name:.+}', hello),
            ('GET', '/guestbook', read_guestbook),
            ('POST', '/guestbook', sign),
            ('GET', '/guestbook/{id}', read_entry),
            ('GET', '/stream', stream),
            ('GET', '/slow', slow),
            ('GET', '/events', events),
            ('GET', '/ws', websocket),
            ('GET', '/inspect', inspect),
            ('GET', '/boom', boom)]:
        app.router.add_route(method, path, handler)
        if method == 'GET':
            app.router.add_route('HEAD', path, handler)
    handler = app.make_handler()
    server = yield from loop.create_server(handler, '0.0.0.0', 8000)
    print('serving on', server.sockets[0].getsockname())
    return app, handler, server


loop = asyncio.get_event_loop()
app, handler, server = loop.run_until_complete(init(loop))
loop.add_signal_handler(signal.SIGTERM, loop.stop)
try:
    loop.run_forever()
except KeyboardInterrupt:
    pass
finally:
    server.close()
    loop.run_until_complete(server.wait_closed())
    loop.run_until_complete(app.shutdown())
    loop.run_until_complete(handler.shutdown(2.0))
    loop.run_until_complete(app.cleanup())
loop.close()
