# -*- coding: utf-8 -*-
"""The guestbook as one PEP 333 application, in the Python 2 of its day.

application(environ, start_response) and nothing else: a list of (regex, view) pairs routes
on PATH_INFO, every view is itself a WSGI application, and every body is a list of byte
strings (`str`, the only strings a Python 2 server could send). Run as a script, it serves
itself with Paste's threaded HTTP server, speaking HTTP/1.1.
"""

import os
import re
import signal
import sys
import threading
import time
import traceback

import pkg_resources

from guestbook27 import (MAX_BODY, Full, Invalid, Store, check_paging, content_kind, document,
                         entry_from_body, error_body, form_fields, identity, json_text,
                         process, render_page, request_info, slow_param, stream_line,
                         stream_params, utf8)

JSON = 'application/json'
TEXT = 'text/plain; charset=utf-8'
HTML = 'text/html; charset=utf-8'

store = Store()


class BadRequest(Exception):
    """The request itself is wrong: a status and a sentence, answered as the contract's JSON."""

    def __init__(self, status, message, headers=()):
        Exception.__init__(self, message)
        self.status = status
        self.message = message
        self.headers = list(headers)


# ---- responses -------------------------------------------------------------------------

def respond(environ, start_response, body, status='200 OK', content_type=TEXT, headers=(),
            exc_info=None):
    if isinstance(body, unicode):
        body = body.encode('utf-8')
    start_response(status, [('Content-Type', content_type),
                            ('Content-Length', str(len(body)))] + list(headers), exc_info)
    if environ['REQUEST_METHOD'] == 'HEAD':
        return []
    return [body]


def respond_json(environ, start_response, value, status='200 OK', headers=()):
    return respond(environ, start_response, json_text(value), status, JSON, headers)


def error(environ, start_response, status, message, field=None, headers=(), exc_info=None):
    return respond(environ, start_response, error_body(message, field), status, JSON, headers,
                   exc_info)


def allows(environ, *methods):
    if 'GET' in methods:
        methods += ('HEAD',)
    return environ['REQUEST_METHOD'] in methods


def method_not_allowed(environ, start_response, *methods):
    if 'GET' in methods:
        methods += ('HEAD',)
    allow = ', '.join(methods)
    return error(environ, start_response, '405 Method Not Allowed',
                 'this path takes %s' % allow, None, [('Allow', allow)])


def fields(environ):
    """The query string's fields as unicode; bytes that are not UTF-8 are the client's mistake."""
    try:
        return form_fields(environ.get('QUERY_STRING', ''))
    except UnicodeError:
        raise BadRequest('400 Bad Request', 'the query string is not UTF-8')


def url_args(environ):
    return environ['wsgiorg.routing_args'][0]


# ---- the request body: CONTENT_LENGTH bytes of wsgi.input, as PEP 333 asks -------------------

def read_body(environ):
    """The body, or BadRequest. Paste's server does not decode a chunked body, so a request
    without a length is refused; one over the limit is read and dropped (up to a point, so
    that the client can still read the answer) and refused."""
    coding = environ.get('HTTP_TRANSFER_ENCODING')
    if coding is not None:
        if coding.strip().lower() == 'chunked':
            raise BadRequest('411 Length Required', 'send the body with a Content-Length',
                             [('Connection', 'close')])
        raise BadRequest('501 Not Implemented', 'no transfer coding is understood here',
                         [('Connection', 'close')])
    length = environ.get('CONTENT_LENGTH') or '0'
    if not length.isdigit():
        raise BadRequest('400 Bad Request', 'Content-Length is not a number',
                         [('Connection', 'close')])
    length = int(length)
    if length > MAX_BODY:
        if length <= 16 * MAX_BODY:
            left = length
            while left > 0:
                data = environ['wsgi.input'].read(min(left, 8192))
                if not data:
                    break
                left -= len(data)
        raise BadRequest('413 Request Entity Too Large', 'the body is over %d bytes' % MAX_BODY,
                         [('Connection', 'close')])
    body = environ['wsgi.input'].read(length) if length else ''
    if len(body) < length:
        raise BadRequest('400 Bad Request', 'the body is shorter than its Content-Length',
                         [('Connection', 'close')])
    return body


# ---- the views: each one a WSGI application -------------------------------------------------

def index(environ, start_response):
    if not allows(environ, 'GET'):
        return method_not_allowed(environ, start_response, 'GET')
    entries, total = store.page(10, 0)
    return respond(environ, start_response, render_page(identity(), entries, total),
                   content_type=HTML)


def hello(environ, start_response):
    if not allows(environ, 'GET'):
        return method_not_allowed(environ, start_response, 'GET')
    args = url_args(environ)
    name = args[0] if args else fields(environ).get(u'name')
    return respond(environ, start_response, u'Hello, %s!' % (name or u'World'))


def entries(environ, start_response):
    if environ['REQUEST_METHOD'] == 'POST':
        return sign(environ, start_response)
    if not allows(environ, 'GET', 'POST'):
        return method_not_allowed(environ, start_response, 'GET', 'POST')
    query = fields(environ)
    limit, offset = check_paging(query.get(u'limit'), query.get(u'offset'))
    newest, total = store.page(limit, offset)
    return respond_json(environ, start_response,
                        {'entries': [e.as_dict() for e in newest], 'total': total})


def sign(environ, start_response):
    body = read_body(environ)
    kind = content_kind(environ.get('CONTENT_TYPE'))
    if kind is None:
        return error(environ, start_response, '415 Unsupported Media Type',
                     'send application/json or application/x-www-form-urlencoded')
    name, message = entry_from_body(environ.get('CONTENT_TYPE'), body)
    try:
        entry = store.add(name, message)
    except Full as full:
        return error(environ, start_response, '507 Insufficient Storage', str(full))
    if kind == 'form':
        return respond(environ, start_response, 'Signed: see the front page.\n',
                       '303 See Other', headers=[('Location', '/')])
    return respond_json(environ, start_response, entry.as_dict(), '201 Created',
                        [('Location', entry.location)])


def one_entry(environ, start_response):
    if not allows(environ, 'GET'):
        return method_not_allowed(environ, start_response, 'GET')
    found = store.get(int(url_args(environ)[0]))
    if found is None:
        return error(environ, start_response, '404 Not Found', 'no such entry')
    return respond_json(environ, start_response, found.as_dict())


def inspect(environ, start_response):
    if not allows(environ, 'GET'):
        return method_not_allowed(environ, start_response, 'GET')
    # "PasteWSGIServer/0.5 Python/2.7.18": the server names itself; the module has said 0.5
    # since 2006, so the version is the one of the Paste distribution that carries it.
    software = environ.get('SERVER_SOFTWARE', 'PasteWSGIServer/').split('/')[0]
    version = pkg_resources.get_distribution('Paste').version
    return respond_json(environ, start_response, document(
        'WSGI', software, version, request_info(environ), environ))


def stream(environ, start_response):
    if not allows(environ, 'GET'):
        return method_not_allowed(environ, start_response, 'GET')
    query = fields(environ)
    chunks, delay_ms = stream_params(query.get(u'chunks'), query.get(u'delay_ms'))
    start_response('200 OK', [('Content-Type', TEXT)])
    if environ['REQUEST_METHOD'] == 'HEAD':
        return []

    def lines():
        # The server writes each block as the generator yields it: that is all streaming is.
        for index in range(1, chunks + 1):
            if index > 1:
                time.sleep(delay_ms / 1000.0)
            yield stream_line(index, chunks).encode('utf-8')
    return lines()


def slow(environ, start_response):
    if not allows(environ, 'GET'):
        return method_not_allowed(environ, start_response, 'GET')
    ms = slow_param(fields(environ).get(u'ms'))
    time.sleep(ms / 1000.0)  # this thread of the server's pool waits; the others go on
    answer = {'ms': ms}
    answer.update(process())
    return respond_json(environ, start_response, answer)


def boom(environ, start_response):
    raise RuntimeError('boom: /boom raises on purpose (the log shows the traceback)')


def not_found(environ, start_response):
    return error(environ, start_response, '404 Not Found', 'nothing at this path')


urls = [
    (r'^/$', index),
    (r'^/hello/?$', hello),
    (r'^/hello/(.+)$', hello),
    (r'^/guestbook/?$', entries),
    (r'^/guestbook/([0-9]+)$', one_entry),
    (r'^/inspect$', inspect),
    (r'^/stream$', stream),
    (r'^/slow$', slow),
    (r'^/boom$', boom),
]


def route(environ, start_response):
    # PEP 333: PATH_INFO holds the path's bytes, percent-decoded; which text they spell is
    # for the application to say. This one's URLs are UTF-8.
    try:
        path = utf8(environ.get('PATH_INFO', ''))
    except UnicodeError:
        return error(environ, start_response, '400 Bad Request', 'the path is not UTF-8')
    for regex, view in urls:
        match = re.search(regex, path)
        if match is not None:
            environ['wsgiorg.routing_args'] = (match.groups(), {})
            return view(environ, start_response)
    return not_found(environ, start_response)


def application(environ, start_response):
    """The error handling is PEP 333's own example: catch everything, answer 500 with
    exc_info, and let the log have the traceback."""
    try:
        return route(environ, start_response)
    except Invalid as invalid:
        return respond(environ, start_response, invalid.body(), '400 Bad Request', JSON)
    except BadRequest as bad:
        return error(environ, start_response, bad.status, bad.message, None, bad.headers)
    except (KeyboardInterrupt, SystemExit, MemoryError):
        raise
    except:
        environ['wsgi.errors'].write(traceback.format_exc())
        return error(environ, start_response, '500 Internal Server Error',
                     'the guestbook failed; the log says why', None, [], sys.exc_info())


def stop(signum, frame):
    """docker stop's SIGTERM, taken as Ctrl-C: Paste ends its loop on KeyboardInterrupt and
    joins its pool, but a worker waiting on an idle keep-alive connection never returns, so
    the process ends on its own three seconds later."""
    threading.Timer(3.0, os._exit, [0]).start()
    raise KeyboardInterrupt


if __name__ == '__main__':
    from paste import httpserver
    signal.signal(signal.SIGTERM, stop)
    httpserver.serve(application, host='0.0.0.0', port=8000, protocol_version='HTTP/1.1',
                     daemon_threads=True)
