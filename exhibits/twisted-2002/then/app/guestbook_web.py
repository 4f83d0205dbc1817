# -*- coding: utf-8 -*-
"""The guestbook's resources for twisted.web, written for Twisted 9.0 on Python 2.7.

guestbook.tac puts them in a tree and twistd runs it. Every render_* method returns a str
at once, or NOT_DONE_YET and finishes the request later from a callback: a database answer,
a timer, a new entry. Nothing here blocks the reactor; SQLite runs in adbapi's thread pool.
"""

import re
import sqlite3
from StringIO import StringIO

from twisted.enterprise import adbapi
from twisted.internet import reactor
from twisted.python import log
from twisted.web import http, server
from twisted.web.resource import Resource
from twisted.web.server import NOT_DONE_YET

import guestbook27 as gb

TEXT = 'text/plain; charset=utf-8'
HTML = 'text/html; charset=utf-8'
JSON = 'application/json'

# ---------------------------------------------------------------------------------------
# Storage: DB-API calls in adbapi's thread pool, answered with Deferreds
#
# SQLite wants care under adbapi. One pool thread holding one connection (cp_min=cp_max=1)
# runs every call in the order it was made, so the table exists before the first request
# reads it and two writers never wait on each other's lock. The pool opens that connection
# in its thread but closes it from the reactor's thread when twistd shuts down, which
# sqlite3 refuses unless check_same_thread=False.

dbpool = adbapi.ConnectionPool('sqlite3', gb.DEFAULT_PATH, timeout=10.0,
                               check_same_thread=False, cp_min=1, cp_max=1)


def entry(row):
    return gb.Entry(int(row[0]), row[1], row[2], row[3])


def page_of(txn, limit, offset):
    txn.execute(gb.SELECT_PAGE, (limit, offset))
    entries = [entry(row) for row in txn.fetchall()]
    txn.execute(gb.COUNT)
    return entries, int(txn.fetchone()[0])


def insert(txn, name, message):
    created = gb.now()
    txn.execute(gb.INSERT, (name, message, created))
    return gb.Entry(txn.lastrowid, name, message, created)


# ---------------------------------------------------------------------------------------
# Answers

def answer(request, code, body, kind=JSON):
    """A render_* method's whole answer: the code, the type and the body as a str."""
    request.setResponseCode(code)
    request.setHeader('content-type', kind)
    return body.encode('utf-8') if isinstance(body, unicode) else body


def reply(request, code, body, kind=JSON):
    """answer() for a request that returned NOT_DONE_YET, unless its client has gone."""
    if request.finished or request._disconnected:
        return
    data = answer(request, code, body, kind)
    request.setHeader('content-length', str(len(data)))
    request.write(data)
    request.finish()


def failed(failure, request):
    """An errback: the traceback to the log, twisted.web's own 500 page to the client."""
    if not request.finished and not request._disconnected:
        request.processingFailed(failure)


def argument(request, name):
    """The first value of a query argument as twisted.web parsed it (bytes), or None."""
    values = request.args.get(name)
    return values[0] if values else None


def utf8_charset(content_type):
    """A body declaring a charset other than UTF-8 is one the guestbook cannot read."""
    for parameter in content_type.split(';')[1:]:
        key, _, value = parameter.partition('=')
        if key.strip().lower() == 'charset':
            return value.strip().strip('"').lower() in ('utf-8', 'utf8')
    return True


# ---------------------------------------------------------------------------------------
# The resources

class Page(Resource):
    """A Resource that answers a method it has no render_* for with 405 and an Allow header
    naming the methods it has. Twisted 9 would write the repr of a tuple into Allow (Twisted
    ticket #3678, fixed in 11.0), or 501 for any method but GET, HEAD and POST."""

    def render(self, request):
        if getattr(self, 'render_' + request.method, None) is None:
            allowed = sorted(name[len('render_'):] for name in dir(self)
                             if name.startswith('render_'))
            request.setHeader('allow', ', '.join(allowed))
            return answer(request, http.NOT_ALLOWED, gb.error_body(
                u'%s is not allowed here' % gb.latin1(request.method)))
        return Resource.render(self, request)


class FrontPage(Page):
    isLeaf = True

    def render_GET(self, request):
        d = dbpool.runInteraction(page_of, 10, 0)
        d.addCallback(lambda result: reply(
            request, 200, gb.render_page(gb.identity(), *result), HTML))
        d.addErrback(failed, request)
        return NOT_DONE_YET


def greet(request, name):
    try:
        name = gb.utf8(name) if name else u'World'
    except UnicodeDecodeError:
        return answer(request, 400, gb.error_body(u'name must be UTF-8 text', 'name'))
    return answer(request, 200, u'Hello, %s!' % name, TEXT)


class Hello(Page):
    def getChild(self, path, request):
        return HelloName(path)

    def render_GET(self, request):
        return greet(request, argument(request, 'name'))


class HelloName(Page):
    isLeaf = True

    def __init__(self, name):
        Resource.__init__(self)
        self.name = name

    def render_GET(self, request):
        # twisted.web percent-decodes each segment; whatever follows the name belongs to it.
        return greet(request, '/'.join([self.name] + request.postpath))


class Guestbook(Page):
    def __init__(self, events):
        Resource.__init__(self)
        self.events = events

    def getChild(self, path, request):
        # SQLite's integers end at 2**63 - 1: a longer id is no entry, not an OverflowError.
        if path.isdigit() and 0 < int(path) < 2 ** 63 and not request.postpath:
            return GuestbookEntry(int(path))
        return NoEntry()

    def render_GET(self, request):
        try:
            limit, offset = gb.check_paging(argument(request, 'limit'),
                                            argument(request, 'offset'))
        except gb.Invalid as bad:
            return answer(request, 400, bad.body())
        d = dbpool.runInteraction(page_of, limit, offset)
        d.addCallback(lambda result: reply(request, 200, gb.json_text(
            {'entries': [e.as_dict() for e in result[0]], 'total': result[1]})))
        d.addErrback(failed, request)
        return NOT_DONE_YET

    def render_POST(self, request):
        body = request.content.read()
        if len(body) > gb.MAX_BODY:
            return answer(request, 413, gb.error_body(u'the body is over 64 KiB'))
        content_type = request.getHeader('content-type') or ''
        if gb.content_kind(content_type) is None or not utf8_charset(content_type):
            return answer(request, 415, gb.error_body(
                u'send application/json or application/x-www-form-urlencoded, in UTF-8'))
        try:
            name, message = gb.entry_from_body(content_type, body)
        except gb.Invalid as bad:
            return answer(request, 400, bad.body())
        d = dbpool.runInteraction(insert, name, message)
        d.addCallbacks(self.signed, self.not_signed, callbackArgs=(request, content_type),
                       errbackArgs=(request,))
        return NOT_DONE_YET

    def signed(self, entry, request, content_type):
        self.events.announce(entry)
        if gb.content_kind(content_type) == 'form':
            request.setHeader('location', '/')
            reply(request, 303, u'', TEXT)
        else:
            request.setHeader('location', entry.location)
            reply(request, 201, entry.to_json())

    def not_signed(self, failure, request):
        if failure.check(sqlite3.OperationalError) and str(failure.value) == gb.DISK_FULL:
            log.msg('the guestbook could not store a post: %s' % failure.value)
            reply(request, 507, gb.error_body(u"the guestbook's storage is full"))
        else:
            failed(failure, request)


class GuestbookEntry(Page):
    isLeaf = True

    def __init__(self, entry_id):
        Resource.__init__(self)
        self.entry_id = entry_id

    def render_GET(self, request):
        d = dbpool.runQuery(gb.SELECT_ONE, (self.entry_id,))
        d.addCallback(self.found, request)
        d.addErrback(failed, request)
        return NOT_DONE_YET

    def found(self, rows, request):
        if rows:
            reply(request, 200, entry(rows[0]).to_json())
        else:
            reply(request, 404, gb.error_body(u'there is no entry %d' % self.entry_id))


class NoEntry(Page):
    isLeaf = True

    def render_GET(self, request):
        return answer(request, 404, gb.error_body(u'there is no such entry'))


class Stream(Page):
    isLeaf = True

    def render_GET(self, request):
        try:
            chunks, delay_ms = gb.stream_params(argument(request, 'chunks'),
                                                argument(request, 'delay_ms'))
        except gb.Invalid as bad:
            return answer(request, 400, bad.body())
        request.setHeader('content-type', TEXT)
        self.send(request, 1, chunks, delay_ms / 1000.0)
        return NOT_DONE_YET

    def send(self, request, index, chunks, delay):
        if request._disconnected:
            return
        request.write(gb.stream_line(index, chunks).encode('ascii'))
        if index == chunks:
            request.finish()
        else:
            reactor.callLater(delay, self.send, request, index + 1, chunks, delay)


class Slow(Page):
    isLeaf = True

    def render_GET(self, request):
        try:
            ms = gb.slow_param(argument(request, 'ms'))
        except gb.Invalid as bad:
            return answer(request, 400, bad.body())
        # A timer on the reactor, not a sleep: everyone else is served meanwhile.
        timer = reactor.callLater(ms / 1000.0, self.done, request, ms)
        request.notifyFinish().addErrback(lambda reason: timer.cancel())
        return NOT_DONE_YET

    def done(self, request, ms):
        document = gb.process()
        document.update(ms=ms)
        reply(request, 200, gb.json_text(document))


class Events(Page):
    """Server-sent events: every open /events request hears every new entry."""

    isLeaf = True

    def __init__(self):
        Resource.__init__(self)
        self.listening = []

    def render_GET(self, request):
        request.setHeader('content-type', gb.EVENT_STREAM)
        request.setHeader('cache-control', 'no-cache')
        request.write(gb.LISTENING.encode('ascii'))
        self.listening.append(request)
        request.notifyFinish().addErrback(lambda reason: self.listening.remove(request))
        return NOT_DONE_YET

    def render_HEAD(self, request):
        request.setHeader('content-type', gb.EVENT_STREAM)
        return ''

    def announce(self, entry):
        for request in list(self.listening):
            request.write(gb.event(entry).encode('utf-8'))


class Inspect(Page):
    isLeaf = True

    def render_GET(self, request):
        software, version = server.version.split('/')
        path, _, query = request.uri.partition('?')
        headers = dict((gb.latin1(name.lower()), gb.latin1(', '.join(values)))
                       for name, values in request.requestHeaders.getAllRawHeaders())
        described = {
            'method': gb.latin1(request.method),
            'path': gb.latin1(path),
            'query': gb.latin1(query),
            'headers': headers,
            'http_version': gb.latin1(request.clientproto).partition(u'/')[2],
            'scheme': u'https' if request.isSecure() else u'http',
            'client': gb.latin1(request.getClientIP() or ''),
        }
        # The Request's own state, without its links back to the channel, the site and the
        # transport; Headers objects show as their raw headers.
        state = dict((key, value) for key, value in vars(request).items()
                     if key not in ('channel', 'site', 'transport'))
        state['requestHeaders'] = dict(request.requestHeaders.getAllRawHeaders())
        state['responseHeaders'] = dict(request.responseHeaders.getAllRawHeaders())
        document = gb.document(interface='native', software=software, version=version,
                               request=described, native=state)
        return answer(request, 200, gb.json_text(document))


class Boom(Page):
    isLeaf = True

    def render_GET(self, request):
        raise RuntimeError('boom: the app raised on purpose')


# ---------------------------------------------------------------------------------------
# The request: twisted.web's, keeping less of the body

class GuestbookRequest(server.Request):
    """twisted.web keeps a whole body, in a temporary file past 100,000 bytes, and parses a
    form or multipart body into request.args before any resource runs. The guestbook keeps
    one byte more than it accepts, and reads its bodies itself."""

    def gotLength(self, length):
        self.content = StringIO()

    def handleContentChunk(self, data):
        room = gb.MAX_BODY + 1 - self.content.tell()
        if room > 0:
            self.content.write(data[:room])

    def requestReceived(self, command, path, version):
        try:
            server.Request.requestReceived(self, command, path, version)
        except Exception:
            # Only the body's parsing can raise here (process() catches everything): a
            # multipart body cgi.parse_multipart cannot read. The resource answers it.
            log.msg('twisted.web could not parse the body of %r' % (self,))
            self.content.seek(0, 0)
            self.process()


# ---------------------------------------------------------------------------------------
# The channel: twisted.web's HTTP parser, refusing what it would misread

TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+\Z")
VERSION = re.compile(r'HTTP/(\d)\.\d\Z')
TARGET = re.compile(r'/|\*\Z|https?://')
HOST = re.compile(r'[A-Za-z0-9._~:\[\]-]*\Z')
UNSAFE = re.compile(r'[\x00-\x20\x7f]')


class GuestbookChannel(http.HTTPChannel):
    """Twisted 9 splits the request line on any run of whitespace, takes every line with a
    colon in it for a header, any HTTP version, and the last Content-Length as int() reads
    it ('+5' is five; 'ten' raises and drops the connection). This channel refuses such
    requests with a 400 (or 501, 505) before twisted.web sees them, the way Twisted itself
    refuses a request line without three parts."""

    refused = False

    def lineReceived(self, line):
        # A line while the channel waits for a request line is one (an empty one is skipped).
        if line and self._HTTPChannel__first_line and not self.refused:
            problem = self.request_line_problem(line)
            if problem:
                return self.refuse(*problem)
            self.lengths = set()
        if not self.refused:
            http.HTTPChannel.lineReceived(self, line)

    def request_line_problem(self, line):
        parts = line.split(' ')
        if len(parts) != 3 or not TOKEN.match(parts[0]):
            return 400, u'the request line is not METHOD target HTTP/1.x'
        method, target, version = parts
        match = VERSION.match(version)
        if match is None:
            return 400, u'the request line names no HTTP version'
        if match.group(1) != '1':
            return 505, u'this server speaks HTTP/1.x'
        if not TARGET.match(target) or UNSAFE.search(target):
            return 400, u'the request target is not a path'

    def headerReceived(self, line):
        name, colon, value = line.partition(':')
        value = value.strip()
        if not colon or not TOKEN.match(name) or re.search(r'[\x00\r\n]', value):
            return self.refuse(400, u'a header line is not "Name: value"')
        if name.lower() == 'content-length':
            self.lengths.add(value)
            if not value.isdigit() or len(self.lengths) > 1:
                return self.refuse(400, u'Content-Length is not one whole number')
        if name.lower() == 'transfer-encoding' and value.lower() != 'chunked':
            return self.refuse(501, u'no transfer coding but chunked is understood here')
        http.HTTPChannel.headerReceived(self, line)

    def allHeadersReceived(self):
        if self.refused:
            return
        request = self.requests[-1]
        hosts = request.requestHeaders.getRawHeaders('host') or []
        if len(hosts) > 1 or (self._version == 'HTTP/1.1' and not hosts):
            return self.refuse(400, u'an HTTP/1.1 request names one Host')
        if hosts and not HOST.match(hosts[0]):
            return self.refuse(400, u'the Host header is not a host')
        http.HTTPChannel.allHeadersReceived(self)

    def allContentReceived(self):
        if not self.refused:
            http.HTTPChannel.allContentReceived(self)

    def rawDataReceived(self, data):
        if not self.refused:
            http.HTTPChannel.rawDataReceived(self, data)

    def refuse(self, status, message):
        self.refused = True
        body = gb.error_body(message)
        self.transport.write('HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %d\r\n'
                             'Connection: close\r\n\r\n%s'
                             % (status, http.RESPONSES[status], JSON, len(body), body))
        self.transport.loseConnection()
