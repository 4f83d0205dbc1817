#!/usr/bin/env python
# -*- coding: utf-8 -*-
# ruff: noqa
"""The guestbook as a plain WSGI application on gevent's own WSGI server, on Python 2.7.

gevent's examples of 2009 and its users wrote it this way: monkey.patch_all() first, so that
socket, time.sleep, threading and select cooperate; then ordinary blocking-looking code,
served by gevent's WSGIServer, which runs every connection in a greenlet of its own. When a
greenlet waits (time.sleep, a socket read, a queue), gevent's hub switches to another one:
one process, one OS thread, many requests at once. The SQLite calls are the exception: the
sqlite3 module is C and cannot be patched, so they hold the thread while they run (briefly).
"""

from gevent import monkey; monkey.patch_all()

import itertools
import logging
import mimetools
import os
import re
import signal
import socket
import sys
import threading
import time
import weakref
from cStringIO import StringIO

import gevent
from gevent import pywsgi
from gevent.queue import Queue, Empty

import guestbook27 as gb

logging.basicConfig(stream=sys.stderr, level=logging.INFO,
                    format='%(asctime)s %(levelname)s %(message)s')

STATUS = {200: '200 OK', 201: '201 Created', 303: '303 See Other', 400: '400 Bad Request',
          404: '404 Not Found', 405: '405 Method Not Allowed', 411: '411 Length Required',
          413: '413 Request Entity Too Large', 414: '414 Request-URI Too Long',
          415: '415 Unsupported Media Type', 431: '431 Request Header Fields Too Large',
          500: '500 Internal Server Error', 501: '501 Not Implemented',
          505: '505 HTTP Version Not Supported', 507: '507 Insufficient Storage'}
KEEPALIVE_SECONDS = 15

store = gb.Store()
listeners = set()   # a gevent Queue for every open /events stream


# ---------------------------------------------------------------------------------------
# Who answered: the OS thread gevent's hub runs in, and the greenlet that ran the request

# threading is patched: inside a greenlet, current_thread() is a dummy thread made for that
# greenlet ("Dummy-3"). The real thread is the one the unpatched get_ident() names.
os_thread_ident = monkey.get_original('thread', 'get_ident')
MAIN_THREAD = (os_thread_ident(), threading.current_thread().name)
greenlet_numbers = weakref.WeakKeyDictionary()
next_number = itertools.count(1)


def who():
    """'MainThread/greenlet-7': the OS thread's name and this greenlet's number."""
    ident = os_thread_ident()
    thread = MAIN_THREAD[1] if ident == MAIN_THREAD[0] else 'Thread-%d' % ident
    current = gevent.getcurrent()
    if current not in greenlet_numbers:
        greenlet_numbers[current] = next(next_number)
    return '%s/greenlet-%d' % (thread, greenlet_numbers[current])


def process():
    document = gb.process()
    document['thread'] = who()
    return document


# ---------------------------------------------------------------------------------------
# Answers

class Answer(Exception):
    """An answer a handler gives up with: a status and the guestbook's JSON error."""

    def __init__(self, status, message, field=None, headers=()):
        Exception.__init__(self, message)
        self.status, self.body, self.headers = status, gb.error_body(message, field), headers


def reply(start_response, status, content_type, text, headers=()):
    return gb.reply(start_response, STATUS[status], content_type, text, headers)


def json_reply(start_response, status, document, headers=()):
    text = document if isinstance(document, basestring) else gb.json_text(document)
    return reply(start_response, status, gb.JSON, text, headers)


def query(environ):
    """The query's fields as unicode; bytes that are not UTF-8 are the client's mistake."""
    try:
        return gb.form_fields(environ.get('QUERY_STRING', ''))
    except UnicodeDecodeError:
        raise Answer(400, u'the query string is not UTF-8')


def utf8_charset(content_type):
    """A body declaring a charset other than UTF-8 is one the guestbook cannot read."""
    for parameter in content_type.split(';')[1:]:
        key, _, value = parameter.partition('=')
        if key.strip().lower() == 'charset':
            return value.strip().strip('"').lower() in ('utf-8', 'utf8')
    return True


# ---------------------------------------------------------------------------------------
# The pages

def index(environ, start_response):
    entries, total = store.page(10, 0)
    return reply(start_response, 200, gb.HTML, gb.render_page(gb.identity(), entries, total))


def hello(environ, start_response, name=None):
    if name is None:
        name = query(environ).get(u'name')
    else:
        try:
            name = gb.utf8(name)
        except UnicodeDecodeError:
            raise Answer(400, u'name must be UTF-8 text', 'name')
    return reply(start_response, 200, gb.TEXT, u'Hello, %s!' % (name or u'World'))


def read_guestbook(environ, start_response):
    fields = query(environ)
    try:
        limit, offset = gb.check_paging(fields.get(u'limit'), fields.get(u'offset'))
    except gb.Invalid as bad:
        return json_reply(start_response, 400, bad.body())
    entries, total = store.page(limit, offset)
    return json_reply(start_response, 200, {'entries': [e.as_dict() for e in entries],
                                            'total': total})


def sign(environ, start_response):
    content_type = environ.get('CONTENT_TYPE', '')
    kind = gb.content_kind(content_type)
    if kind is None or not utf8_charset(content_type):
        raise Answer(415, u'send application/json or application/x-www-form-urlencoded, '
                          u'in UTF-8')
    if int(environ.get('CONTENT_LENGTH') or 0) > gb.MAX_BODY:
        raise Answer(413, u'the body is over 64 KiB', headers=[('Connection', 'close')])
    try:
        body = gb.read_body(environ)
    except (IOError, socket.error):
        raise Answer(400, u'the body ended before its Content-Length',
                     headers=[('Connection', 'close')])
    try:
        name, message = gb.entry_from_body(content_type, body)
    except gb.Invalid as bad:
        return json_reply(start_response, 400, bad.body())
    try:
        entry = store.add(name, message)
    except gb.Full as full:
        logging.warning('the guestbook could not store a post: %s', full)
        raise Answer(507, u"the guestbook's storage is full")
    for queue in list(listeners):
        queue.put(entry)
    if kind == 'form':
        return reply(start_response, 303, gb.TEXT, u'', [('Location', '/')])
    return json_reply(start_response, 201, entry.to_json(), [('Location', entry.location)])


def read_entry(environ, start_response, entry_id):
    entry = store.get(int(entry_id)) if entry_id.isdigit() else None
    if entry is None:
        raise Answer(404, u'there is no such entry')
    return json_reply(start_response, 200, entry.to_json())


def stream(environ, start_response):
    fields = query(environ)
    try:
        chunks, delay_ms = gb.stream_params(fields.get(u'chunks'), fields.get(u'delay_ms'))
    except gb.Invalid as bad:
        return json_reply(start_response, 400, bad.body())
    start_response(STATUS[200], [('Content-Type', gb.TEXT)])
    return gb.paced_lines(chunks, delay_ms)   # time.sleep between lines: patched, it yields


def slow(environ, start_response):
    try:
        ms = gb.slow_param(query(environ).get(u'ms'))
    except gb.Invalid as bad:
        return json_reply(start_response, 400, bad.body())
    document = process()
    time.sleep(ms / 1000.0)   # patched: this greenlet waits, the hub serves the others
    del document['python']
    document['ms'] = ms
    return json_reply(start_response, 200, document)


def events(environ, start_response):
    start_response(STATUS[200], [('Content-Type', gb.EVENT_STREAM),
                                 ('Cache-Control', 'no-cache')])
    return event_stream()


def event_stream():
    queue = Queue()
    listeners.add(queue)
    try:
        yield gb.LISTENING.encode('utf-8')
        while True:
            try:
                entry = queue.get(timeout=KEEPALIVE_SECONDS)
            except Empty:
                yield gb.KEEPALIVE.encode('utf-8')
            else:
                yield gb.event(entry).encode('utf-8')
    finally:
        listeners.discard(queue)


def inspect(environ, start_response):
    software = gb.latin1(environ.get('SERVER_SOFTWARE', '')).split(u'/')[0]
    document = gb.document(u'WSGI', software, gevent.__version__, gb.request_info(environ),
                           environ)
    document['process'] = process()
    return json_reply(start_response, 200, document)


def boom(environ, start_response):
    raise RuntimeError('boom: the guestbook raised on purpose')


# ---------------------------------------------------------------------------------------
# The application: a list of paths, and a dict of methods for each

ROUTES = [
    (re.compile(r'/\Z'), {'GET': index}),
    (re.compile(r'/hello\Z'), {'GET': hello}),
    (re.compile(r'/hello/(.*)\Z', re.S), {'GET': hello}),
    (re.compile(r'/guestbook\Z'), {'GET': read_guestbook, 'POST': sign}),
    (re.compile(r'/guestbook/([^/]+)\Z'), {'GET': read_entry}),
    (re.compile(r'/stream\Z'), {'GET': stream}),
    (re.compile(r'/slow\Z'), {'GET': slow}),
    (re.compile(r'/events\Z'), {'GET': events}),
    (re.compile(r'/inspect\Z'), {'GET': inspect}),
    (re.compile(r'/boom\Z'), {'GET': boom}),
]


def dispatch(environ, start_response):
    path, method = environ['PATH_INFO'], environ['REQUEST_METHOD']
    for pattern, methods in ROUTES:
        match = pattern.match(path)
        if match is None:
            continue
        handler = methods.get('GET' if method == 'HEAD' else method)
        if handler is None:
            allowed = sorted(methods) + (['HEAD'] if 'GET' in methods else [])
            raise Answer(405, u'%s is not allowed here' % gb.latin1(method),
                         headers=[('Allow', ', '.join(allowed))])
        return handler(environ, start_response, *match.groups())
    raise Answer(404, u'there is nothing at this address')


def application(environ, start_response):
    try:
        body = dispatch(environ, start_response)
    except Answer as answer:
        body = json_reply(start_response, answer.status, answer.body, answer.headers)
    except Exception:
        logging.exception('%s %s failed', environ['REQUEST_METHOD'], environ['PATH_INFO'])
        body = json_reply(start_response, 500, gb.error_body(u'the guestbook failed'),
                          [('Connection', 'close')])
    if environ['REQUEST_METHOD'] == 'HEAD':   # pywsgi 1.0 sends whatever it is given
        if hasattr(body, 'close'):
            body.close()
        return []
    return body


# ---------------------------------------------------------------------------------------
# The handler: pywsgi's, reading the request's head itself and refusing what pywsgi misreads

TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+\Z")
VERSION = re.compile(r'HTTP/(\d)\.(\d)\Z')
TARGET = re.compile(r'/|https?://')
HOST = re.compile(r'[A-Za-z0-9._~:\[\]-]*\Z')
UNSAFE = re.compile(r'[\x00-\x20\x7f]')
BAD_VALUE = re.compile(r'[\x00-\x08\x0a-\x1f\x7f]')
LONGEST_HEAD = 64 * 1024
READ_TIMEOUT = 5.0


class Refused(Exception):
    def __init__(self, status, message):
        Exception.__init__(self, message)
        self.status, self.message = status, message

    def answer(self):
        body = gb.error_body(self.message)
        return (str(self.status), 'HTTP/1.1 %s\r\nContent-Type: %s\r\nContent-Length: %d\r\n'
                                  'Connection: close\r\n\r\n%s'
                % (STATUS[self.status], gb.JSON, len(body), body))


class GuestbookInput(pywsgi.Input):
    """What is left of a body is read and dropped after the answer, so that closing does not
    reset the connection; a body that stops coming ends that, and the connection."""

    def _discard(self):
        try:
            pywsgi.Input._discard(self)
        except (IOError, socket.error):
            pass


class GuestbookHandler(pywsgi.WSGIHandler):
    """pywsgi 1.0 splits the request line on any whitespace, takes HTTP/0.9 and any header
    line with a colon in it (rfc822), reads Content-Length and chunk sizes with int()
    (`+5`, `0x10`), reads headers without a limit and waits for ever. This handler reads the
    head itself, with limits and a timeout, and answers what it must refuse."""

    refused = None

    def handle(self):
        self.socket.settimeout(READ_TIMEOUT)
        pywsgi.WSGIHandler.handle(self)

    def handle_one_request(self):
        self.refused = None
        result = pywsgi.WSGIHandler.handle_one_request(self)
        if isinstance(result, tuple):
            if result[0] == '414':
                return Refused(414, u'the request line is over 8 KiB').answer()
            if self.refused is not None:
                return self.refused.answer()
        return result

    def read_request(self, raw_requestline):
        try:
            return self.check(raw_requestline)
        except Refused as refused:
            self.refused = refused
            return False

    def check(self, raw_requestline):
        if not raw_requestline.endswith('\n'):
            raise Refused(400, u'the request line did not end')
        self.requestline = raw_requestline.rstrip('\r\n')
        parts = self.requestline.split(' ')
        if len(parts) != 3 or not TOKEN.match(parts[0]):
            raise Refused(400, u'the request line is not METHOD target HTTP/1.x')
        command, target, version = parts
        match = VERSION.match(version)
        if match is None:
            raise Refused(400, u'the request line names no HTTP version')
        if match.group(1) != '1':
            raise Refused(505, u'this server speaks HTTP/1.x')
        if not TARGET.match(target) or UNSAFE.search(target):
            raise Refused(400, u'the request target is not a path')
        lines, size = [], 0
        while True:
            line = self.rfile.readline(LONGEST_HEAD + 1)
            size += len(line)
            if size > LONGEST_HEAD:
                raise Refused(431, u'the request head is over 64 KiB')
            if not line.endswith('\n'):
                raise Refused(400, u'the request head did not end')
            if line in ('\r\n', '\n'):
                break
            lines.append(line)
        fields = {}
        for line in lines:
            name, colon, value = line.rstrip('\r\n').partition(':')
            if not colon or not TOKEN.match(name) or BAD_VALUE.search(value):
                raise Refused(400, u'a header line is not "Name: value"')
            fields.setdefault(name.lower(), []).append(value.strip(' \t'))
        hosts = fields.get('host', [])
        if len(hosts) > 1 or (version == 'HTTP/1.1' and not hosts):
            raise Refused(400, u'an HTTP/1.1 request names one Host')
        if hosts and not HOST.match(hosts[0]):
            raise Refused(400, u'the Host header is not a host')
        if 'transfer-encoding' in fields:
            if [value.lower() for value in fields['transfer-encoding']] == ['chunked']:
                raise Refused(411, u'send the body with a Content-Length')
            raise Refused(501, u'no transfer coding is understood here')
        lengths = set(fields.get('content-length', []))
        if len(lengths) > 1 or not all(length.isdigit() for length in lengths):
            raise Refused(400, u'Content-Length is not one whole number')
        self.command, self.path, self.request_version = parts
        self.headers = mimetools.Message(StringIO(''.join(lines) + '\r\n'), 0)
        self.content_length = int(lengths.pop()) if lengths else None
        connection = self.headers.get('connection', '').lower()
        self.close_connection = version != 'HTTP/1.1' or connection == 'close'
        return True

    def get_environ(self):
        environ = pywsgi.WSGIHandler.get_environ(self)
        self.wsgi_input = GuestbookInput(self.rfile, self.content_length, socket=self.wsgi_input.socket)
        environ['wsgi.input'] = self.wsgi_input
        return environ


# ---------------------------------------------------------------------------------------
# The server

if __name__ == '__main__':
    server = pywsgi.WSGIServer(('0.0.0.0', 8000), application, handler_class=GuestbookHandler)
    gevent.signal(signal.SIGTERM, server.stop)
    print 'Serving on 8000...'
    server.serve_forever()
    print 'Stopped.'
