#!/usr/bin/env python
# -*- coding: utf-8 -*-
"""The guestbook on Tornado 0.2 and Python 2.7, the way FriendFeed's code of 2009 was written.

One thread runs the IOLoop and every handler on it. /slow, /stream and /events are
@tornado.web.asynchronous: the handler returns, and a timer or a new entry calls it back to
write, flush and finish. The SQLite calls are short and blocking, on the IOLoop's thread,
through one connection that every handler shares, as FriendFeed's blog demo shared one
blocking tornado.database connection to MySQL.
"""

import cgi
import httplib
import logging
import os
import re
import signal
import sqlite3
import time
import urllib

import pkg_resources
import tornado.httpserver
import tornado.ioloop
import tornado.options
import tornado.web

import guestbook27 as gb

TEXT = 'text/plain; charset=utf-8'
JSON = 'application/json'

# Python 2.7's httplib knows no 507 (RFC 4918), and Tornado's set_status asserts that it does.
httplib.responses.setdefault(507, 'Insufficient Storage')

# One global connection to the guestbook across all handlers; each statement commits.
db = sqlite3.connect(gb.DEFAULT_PATH, timeout=10.0, isolation_level=None)
db.execute(gb.SCHEMA)


def page_of(limit, offset):
    entries = [gb.Entry(*row) for row in db.execute(gb.SELECT_PAGE, (limit, offset))]
    return entries, db.execute(gb.COUNT).fetchone()[0]


def entry_by_id(entry_id):
    if not 0 < entry_id < 2 ** 63:  # SQLite's integers: a longer id is no entry, not an error
        return None
    row = db.execute(gb.SELECT_ONE, (entry_id,)).fetchone()
    return gb.Entry(*row) if row else None


def sign(name, message):
    created = gb.now()
    cursor = db.execute(gb.INSERT, (name, message, created))
    return gb.Entry(cursor.lastrowid, name, message, created)


# ---------------------------------------------------------------------------------------
# The handlers

class EntryMixin(object):
    """The chat demo's MessageMixin: callbacks waiting for the next entry, all called when
    one is signed, then forgotten; a caller that wants more waits again."""

    waiters = []

    def wait_for_entries(self, callback):
        EntryMixin.waiters.append(callback)

    def new_entries(self, entries):
        waiters, EntryMixin.waiters = EntryMixin.waiters, []
        logging.info('Sending new entries to %r listeners', len(waiters))
        for callback in waiters:
            try:
                callback(entries)
            except Exception:
                logging.error('Error in waiter callback', exc_info=True)


class BaseHandler(tornado.web.RequestHandler):
    """HEAD like GET, Allow on a 405, the guestbook's JSON, and the query read as sent."""

    def allowed(self):
        base = tornado.web.RequestHandler
        return [method for method in self.SUPPORTED_METHODS
                if getattr(type(self), method.lower()).im_func
                is not getattr(base, method.lower()).im_func]

    def head(self, *args):
        if 'GET' not in self.allowed():
            raise tornado.web.HTTPError(405)
        self.get(*args)

    def get_error_html(self, status_code, **kwargs):
        if status_code == 405:
            self.set_header('Allow', ', '.join(self.allowed()))
        return tornado.web.RequestHandler.get_error_html(self, status_code, **kwargs)

    def query(self, name):
        """A query argument's first value as sent (a byte str), or None. Tornado 0.2's
        request.arguments drops blank values, and ?limit= is no limit to it."""
        values = cgi.parse_qs(self.request.query, keep_blank_values=True).get(name)
        return values[0] if values else None

    def send_json(self, text, status=200):
        self.set_status(status)
        self.set_header('Content-Type', JSON)
        self.finish(text)


class MainHandler(BaseHandler):
    def get(self):
        entries, total = page_of(10, 0)
        self.render('index.html', exhibit=gb.identity(), entries=entries, total=total,
                    style=gb.STYLE)


class HelloHandler(BaseHandler):
    def get(self, name=None):
        # Tornado 0.2 hands a path's groups over still percent-encoded.
        raw = urllib.unquote(name) if name is not None else self.query('name')
        try:
            name = gb.utf8(raw) if raw else u'World'
        except UnicodeDecodeError:
            return self.send_json(gb.error_body(u'name must be UTF-8 text', 'name'), 400)
        self.set_header('Content-Type', TEXT)
        self.write(u'Hello, %s!' % name)


class GuestbookHandler(BaseHandler, EntryMixin):
    def get(self):
        try:
            limit, offset = gb.check_paging(self.query('limit'), self.query('offset'))
        except gb.Invalid as bad:
            return self.send_json(bad.body(), 400)
        entries, total = page_of(limit, offset)
        self.send_json(gb.json_text({'entries': [e.as_dict() for e in entries],
                                     'total': total}))

    def post(self):
        body = self.request.body
        if len(body) > gb.MAX_BODY:
            return self.send_json(gb.error_body(u'the body is over 64 KiB'), 413)
        content_type = self.request.headers.get('Content-Type', '')
        kind = gb.content_kind(content_type)
        if kind is None or not utf8_charset(content_type):
            return self.send_json(gb.error_body(
                u'send application/json or application/x-www-form-urlencoded, in UTF-8'), 415)
        try:
            name, message = gb.entry_from_body(content_type, body)
        except gb.Invalid as bad:
            return self.send_json(bad.body(), 400)
        try:
            entry = sign(name, message)
        except sqlite3.OperationalError as error:
            if str(error) != gb.DISK_FULL:
                raise
            logging.warning('the guestbook could not store a post: %s', error)
            return self.send_json(gb.error_body(u"the guestbook's storage is full"), 507)
        self.new_entries([entry])
        if kind == 'form':
            self.set_status(303)
            self.set_header('Location', '/')
            self.finish()
        else:
            self.set_header('Location', entry.location)
            self.send_json(entry.to_json(), 201)


class EntryHandler(BaseHandler):
    def get(self, entry_id):
        entry = entry_by_id(int(entry_id)) if entry_id.isdigit() else None
        if entry is None:
            return self.send_json(gb.error_body(u'there is no such entry'), 404)
        self.send_json(entry.to_json())


class StreamHandler(BaseHandler):
    @tornado.web.asynchronous
    def get(self):
        try:
            self.chunks, delay_ms = gb.stream_params(self.query('chunks'),
                                                     self.query('delay_ms'))
        except gb.Invalid as bad:
            return self.send_json(bad.body(), 400)
        self.delay = delay_ms / 1000.0
        self.set_header('Content-Type', TEXT)
        self.send_line(1)

    def send_line(self, index):
        if self.request.connection.stream.closed():
            return
        self.write(gb.stream_line(index, self.chunks))
        self.flush()
        if index == self.chunks:
            self.finish()
        else:
            tornado.ioloop.IOLoop.instance().add_timeout(
                time.time() + self.delay, self.async_callback(self.send_line, index + 1))


class SlowHandler(BaseHandler):
    @tornado.web.asynchronous
    def get(self):
        try:
            ms = gb.slow_param(self.query('ms'))
        except gb.Invalid as bad:
            return self.send_json(bad.body(), 400)
        # A timer on the IOLoop, not a sleep: everyone else is served meanwhile.
        tornado.ioloop.IOLoop.instance().add_timeout(
            time.time() + ms / 1000.0, self.async_callback(self.on_timer, ms))

    def on_timer(self, ms):
        if self.request.connection.stream.closed():
            return
        document = gb.process()
        document.update(ms=ms)
        self.send_json(gb.json_text(document))


class EventsHandler(BaseHandler, EntryMixin):
    """The chat demo's long poll, kept open: each new entry is written and flushed, and the
    handler waits again, until its client goes away."""

    @tornado.web.asynchronous
    def get(self):
        self.set_header('Content-Type', gb.EVENT_STREAM)
        self.set_header('Cache-Control', 'no-cache')
        self.write(gb.LISTENING)
        self.flush()
        if self.request.method == 'HEAD':
            return self.finish()
        self.wait_for_entries(self.async_callback(self.on_new_entries))

    def on_new_entries(self, entries):
        if self.request.connection.stream.closed():
            return
        for entry in entries:
            self.write(gb.event(entry))
        self.flush()
        self.wait_for_entries(self.async_callback(self.on_new_entries))


class InspectHandler(BaseHandler):
    def get(self):
        request = self.request
        software = self._headers['Server'].split('/')[0]  # "TornadoServer/0.1", even in 0.2
        described = {
            'method': gb.latin1(request.method),
            'path': gb.latin1(request.path),
            'query': gb.latin1(request.query),
            'headers': dict((gb.latin1(name.lower()), gb.latin1(value))
                            for name, value in request.headers.items()),
            'http_version': gb.latin1(request.version).partition(u'/')[2],
            'scheme': gb.latin1(request.protocol),
            'client': gb.latin1(request.remote_ip),
        }
        self.send_json(gb.json_text(gb.document(
            interface='native', software=software, version=tornado_version(),
            request=described, native=request)))


class BoomHandler(BaseHandler):
    def get(self):
        raise RuntimeError('boom: the app raised on purpose')


def utf8_charset(content_type):
    """A body declaring a charset other than UTF-8 is one the guestbook cannot read."""
    for parameter in content_type.split(';')[1:]:
        key, _, value = parameter.partition('=')
        if key.strip().lower() == 'charset':
            return value.strip().strip('"').lower() in ('utf-8', 'utf8')
    return True


def tornado_version():
    """Tornado 0.2 has no tornado.version; its distribution says which it is."""
    return pkg_resources.get_distribution('tornado').version


# ---------------------------------------------------------------------------------------
# The connection: Tornado 0.2's, refusing what it would mishandle

TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+\Z")
VERSION = re.compile(r'HTTP/(\d)\.\d\Z')
TARGET = re.compile(r'/|\*\Z|https?://')
HOST = re.compile(r'[A-Za-z0-9._~:\[\]-]*\Z')
UNSAFE = re.compile(r'[\x00-\x20\x7f]')
LONGEST_HEAD = 64 * 1024
BODY_TIMEOUT = 5.0


class Refused(Exception):
    def __init__(self, status, message):
        Exception.__init__(self, message)
        self.status = status
        self.message = message


class GuestbookConnection(tornado.httpserver.HTTPConnection):
    """Tornado 0.2 parses a request with split() and int(): a line it cannot split raises
    and drops the connection, `Content-Length: +5` is five, a chunked body is taken for the
    next request, a body waits for ever, and any body up to 100 MB is read into memory
    before a handler can refuse it. This connection checks the request's head first and
    answers what it must refuse itself."""

    deadline = None

    def _on_headers(self, data):
        try:
            length, expect = self.check(data)
        except Refused as refused:
            return self.refuse(refused.status, refused.message)
        if length > gb.MAX_BODY:
            if expect == '100-continue':
                return self.refuse(413, u'the body is over 64 KiB')
            return self.drain(length)
        if length:
            self.watch()
        super(GuestbookConnection, self)._on_headers(data)

    def _on_request_body(self, data):
        self.unwatch()
        super(GuestbookConnection, self)._on_request_body(data)

    def _parse_mime_body(self, boundary, data):
        try:
            super(GuestbookConnection, self)._parse_mime_body(boundary, data)
        except ValueError:
            logging.warning('could not parse a multipart/form-data body')

    def check(self, data):
        """The request's Content-Length and Expect, once its head is one Tornado can take."""
        if len(data) > LONGEST_HEAD:
            raise Refused(431, u'the request head is over 64 KiB')
        lines = data[:-4].split('\r\n')
        parts = lines[0].split(' ')
        if len(parts) != 3 or not TOKEN.match(parts[0]):
            raise Refused(400, u'the request line is not METHOD target HTTP/1.x')
        method, target, version = parts
        match = VERSION.match(version)
        if match is None:
            raise Refused(400, u'the request line names no HTTP version')
        if match.group(1) != '1':
            raise Refused(505, u'this server speaks HTTP/1.x')
        if not TARGET.match(target) or UNSAFE.search(target):
            raise Refused(400, u'the request target is not a path')
        fields = {}
        for line in lines[1:]:
            name, colon, value = line.partition(':')
            if not colon or not TOKEN.match(name) or re.search(r'[\x00\r\n]', value):
                raise Refused(400, u'a header line is not "Name: value"')
            fields.setdefault(name.lower(), []).append(value.strip())
        hosts = fields.get('host', [])
        if len(hosts) > 1 or (version == 'HTTP/1.1' and not hosts):
            raise Refused(400, u'an HTTP/1.1 request names one Host')
        if hosts and not HOST.match(hosts[0]):
            raise Refused(400, u'the Host header is not a host')
        if 'transfer-encoding' in fields:
            if fields['transfer-encoding'] == ['chunked']:
                raise Refused(411, u'Tornado 0.2 cannot read a chunked body: '
                                   u'send Content-Length')
            raise Refused(501, u'no transfer coding is understood here')
        lengths = set(fields.get('content-length', []))
        if len(lengths) > 1 or not all(length.isdigit() for length in lengths):
            raise Refused(400, u'Content-Length is not one whole number')
        length = int(lengths.pop()) if lengths else 0
        return length, fields.get('expect', [''])[0].lower()

    def refuse(self, status, message):
        self.unwatch()
        body = gb.error_body(message)
        self.stream.write('HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %d\r\n'
                          'Connection: close\r\n\r\n%s'
                          % (status, httplib.responses[status], JSON, len(body), body),
                          self.stream.close)

    def drain(self, remaining):
        """Read and drop a body too big to keep, then refuse it: closing with the body
        unread would reset the connection, and the client could lose the answer."""
        if remaining == 0:
            return self.refuse(413, u'the body is over 64 KiB')
        self.watch()
        self.stream.read_bytes(min(remaining, 65536),
                               lambda data: self.drain(remaining - len(data)))

    def watch(self):
        """Close the connection if its body stops coming for BODY_TIMEOUT seconds."""
        self.unwatch()
        self.deadline = tornado.ioloop.IOLoop.instance().add_timeout(
            time.time() + BODY_TIMEOUT, self.stream.close)

    def unwatch(self):
        if self.deadline is not None:
            tornado.ioloop.IOLoop.instance().remove_timeout(self.deadline)
            self.deadline = None


# HTTPServer names its connection class directly, with no setting to change it.
tornado.httpserver.HTTPConnection = GuestbookConnection


# ---------------------------------------------------------------------------------------
# The application and the IOLoop

application = tornado.web.Application([
    (r"/", MainHandler),
    (r"/hello", HelloHandler),
    (r"/hello/(.*)", HelloHandler),
    (r"/guestbook", GuestbookHandler),
    (r"/guestbook/([^/]+)", EntryHandler),
    (r"/stream", StreamHandler),
    (r"/slow", SlowHandler),
    (r"/events", EventsHandler),
    (r"/inspect", InspectHandler),
    (r"/boom", BoomHandler),
], template_path=os.path.join(os.path.dirname(__file__), "templates"))


def on_sigterm(signum, frame):
    logging.info('SIGTERM: stopping the IOLoop')
    tornado.ioloop.IOLoop.instance().stop()


if __name__ == "__main__":
    tornado.options.parse_command_line()
    http_server = tornado.httpserver.HTTPServer(application)
    http_server.listen(8000)
    signal.signal(signal.SIGTERM, on_sigterm)
    tornado.ioloop.IOLoop.instance().start()
