"""RequestGuard: what paste.httpserver lets through, refused before Pylons sees it.

paste.httpserver 1.7.2 parses requests with Python 2.7's BaseHTTPServer and mimetools: it
reads a request line and headers of any length, joins repeated headers with commas, keeps
control characters in values and spaces in names, decodes the path with urllib.unquote,
takes Content-Length with int() (so "+57" is 57) and knows nothing of Transfer-Encoding.
Routes and WebOb then read the path and query with errors='replace'. Each of these is a
client's mistake that the guestbook answers with the contract's JSON error.

It also reads every request body before the application runs. paste.httpserver keeps an
HTTP/1.1 connection open after a response with a Content-Length, and leaves a body nobody
read on it, where it parses it as the next request line; a body read here is handed on in a
StringIO, and a refusal whose body was not read closes the connection.
"""
import re
import socket
from StringIO import StringIO

import guestbook27 as gb

MAX_TARGET = 64 * 1024
MAX_HEADER = 64 * 1024
DRAIN_MOST = 1024 * 1024  # a refused body up to this size is read and dropped first
HEADER_NAME = re.compile(r'HTTP_[A-Z0-9_]+\Z')
HOST = re.compile(r'[A-Za-z0-9.\-]*(:[0-9]*)?\Z|\[[0-9A-Fa-f:.]+\](:[0-9]*)?\Z')
CONTROL = re.compile(r'[\x00-\x08\x0a-\x1f\x7f]')

class RequestGuard(object):

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        refusal = self.check(environ)
        if refusal is None:
            return self.app(environ, start_response)
        status, message = refusal
        environ['pylons.status_code_redirect'] = True  # keep this JSON as it is
        body = gb.error_body(message)
        start_response(status, [('Content-Type', 'application/json'),
                                ('Content-Length', str(len(body))),
                                ('Connection', 'close')])
        return [body]

    def check(self, environ):
        path, query = environ.get('PATH_INFO', ''), environ.get('QUERY_STRING', '')
        if len(path) + len(query) > MAX_TARGET:
            return '414 Request-URI Too Long', u'the URL is over 64 KiB'
        for key, value in environ.items():
            if not key.startswith('HTTP_'):
                continue
            if not HEADER_NAME.match(key):
                return '400 Bad Request', u'a header name holds characters HTTP does not allow'
            if len(value) > MAX_HEADER:
                return '431 Request Header Fields Too Large', u'a header is over 64 KiB'
            if CONTROL.search(value):
                return '400 Bad Request', u'a header value holds a control character'
        host = environ.get('HTTP_HOST')
        if host is None and environ.get('SERVER_PROTOCOL') == 'HTTP/1.1':
            return '400 Bad Request', u'an HTTP/1.1 request needs a Host header'
        if host is not None and not HOST.match(host):  # two Hosts arrive joined by a comma
            return '400 Bad Request', u'the Host header is not one host'
        try:
            gb.utf8(path)
            gb.form_fields(query)
        except UnicodeError:
            return '400 Bad Request', u'the path or the query is not valid UTF-8'
        coding = environ.get('HTTP_TRANSFER_ENCODING')
        if coding is not None:
            if coding.split(',')[-1].strip().lower() == 'chunked':
                return '411 Length Required', u'send the body with a Content-Length'
            return '501 Not Implemented', u'no transfer coding but chunked is known here'
        length = environ.get('CONTENT_LENGTH', '')
        if length and not gb._DIGITS.match(length):
            return '400 Bad Request', u'Content-Length is not a whole number'
        return self.read_body(environ, int(length or 0))

    def read_body(self, environ, length):
        rfile = environ['wsgi.input']
        try:
            if length > gb.MAX_BODY:
                left = min(length, DRAIN_MOST)
                while left > 0:  # read it first, so that the client hears the 413
                    chunk = rfile.read(min(left, 65536))
                    if not chunk:
                        break
                    left -= len(chunk)
                return '413 Request Entity Too Large', u'the body is over 64 KiB'
            body = rfile.read(length) if length else ''
        except (socket.error, IOError):  # socket_timeout: the body stopped coming
            return '400 Bad Request', u'the body did not arrive'
        if len(body) < length:
            return '400 Bad Request', u'the body is shorter than its Content-Length'
        environ['wsgi.input'] = StringIO(body)
        return None
