# -*- coding: utf-8 -*-
"""The guestbook as CherryPy 2.1 published it: exposed methods on a tree of plain objects,
hung on cherrypy.root and served by CherryPy's own threaded WSGI server.

The URL is a path through attributes of cherrypy.root. A method is published when it has
`exposed = True`; the query string and the form fields arrive as keyword arguments; what is
left of the path goes to a `default` method. Filters, CherryPy 2's extension point, see every
request on the way in and out.
"""

import os
import re
import socket
import sys
import time
from BaseHTTPServer import BaseHTTPRequestHandler
from StringIO import StringIO

import cherrypy
from cherrypy import _cputil, _cpwsgiserver
from cherrypy.lib.filter.basefilter import BaseFilter

import guestbook27 as contract

store = contract.Store()

JSON = 'application/json'
TEXT = 'text/plain; charset=utf-8'
HTML = 'text/html; charset=utf-8'
READ = ('GET', 'HEAD')


# ---------------------------------------------------------------------------------------
# Helpers the page handlers share

def reply(document, status=200):
    cherrypy.response.status = status
    cherrypy.response.headerMap['Content-Type'] = JSON
    return contract.json_text(document).encode('utf-8')


def fail(status, message, field=None):
    cherrypy.response.status = status
    cherrypy.response.headerMap['Content-Type'] = JSON
    return contract.error_body(message, field)


def allow(*methods):
    """CherryPy 2.1 hands every method to the handler: refuse the others with 405 and Allow."""
    if cherrypy.request.method not in methods:
        cherrypy.response.headerMap['Allow'] = ', '.join(methods)
        raise cherrypy.HTTPError(405, u'%s is not allowed here.' % cherrypy.request.method)


def declared_charset(content_type):
    for parameter in (content_type or '').split(';')[1:]:
        name, _, value = parameter.partition('=')
        if name.strip().lower() == 'charset':
            return value.strip().strip('"').lower()
    return None


# ---------------------------------------------------------------------------------------
# Filters: the request on its way in (the body, the URL) and the errors on their way out

TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+\Z")
HOST = re.compile(r"(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]*)(:[0-9]*)?\Z")
CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
LONGEST = 32 * 1024  # a URL or header longer than this is refused (414, 431)


def refused(protocol, target, headers):
    """What the server lets through and HTTP forbids: (status, message), or None. A version
    other than 1.0 and 1.1, a URL over 32 KiB, no Host in HTTP/1.1 or a malformed one, a
    header name that is not a token, a value with control characters or over 32 KiB, a
    Content-Length that is not digits."""
    if protocol not in ('HTTP/1.0', 'HTTP/1.1'):
        if re.match(r'HTTP/\d\.\d\Z', protocol):
            return 505, u'%s is not spoken here.' % protocol
        return 400, u'The request line is malformed.'
    if len(target) > LONGEST:
        return 414, u'The URL is too long.'
    hosts = [value for name, value in headers if name.lower() == 'host']
    if (not hosts and protocol == 'HTTP/1.1') or len(hosts) > 1 \
            or [host for host in hosts if not HOST.match(host)]:
        return 400, u'HTTP/1.1 needs one well-formed Host header.'
    for name, value in headers:
        if not TOKEN.match(name) or CONTROL.search(value):
            return 400, u'A header is malformed.'
        if len(value) > LONGEST:
            return 431, u'A header is too large.'
        if name.lower() == 'content-length' and value and not value.isdigit():
            return 400, u'The Content-Length is not a number.'
    return None


class RequestGuardFilter(BaseFilter):
    """Refuses, before anything is read, a request HTTP forbids and 2.1's server passed on."""

    def beforeRequestBody(self):
        request = cherrypy.request
        target = request.requestLine.split(' ')[1]
        problem = refused(request.protocol, target, request.headerMap.items())
        if problem is not None:
            raise cherrypy.HTTPError(*problem)


class BadBody(ValueError):
    pass


def read_chunked(rfile):
    """A chunked body, strictly (CherryPy 2.1 has no reader for it: cgi.FieldStorage would
    read the connection until the client gave up)."""
    body = []
    size_total = 0
    while True:
        line = rfile.readline(1024)
        size, _, extension = line.rstrip('\r\n').partition(';')
        if (not line.endswith('\r\n') or not 1 <= len(size) <= 8
                or size.strip('0123456789abcdefABCDEF')
                or [c for c in extension if c != '\t' and not ' ' <= c <= '~']):
            raise BadBody(u'The chunked body is malformed.')
        size = int(size, 16)
        if size == 0:
            break
        size_total += size
        if size_total > contract.MAX_BODY:
            raise cherrypy.HTTPError(413, u'The body is over 64 KiB.')
        chunk = rfile.read(size)
        if len(chunk) != size or rfile.read(2) != '\r\n':
            raise BadBody(u'The chunked body is malformed.')
        body.append(chunk)
    while True:
        trailer = rfile.readline(1024)
        if trailer == '\r\n':
            return ''.join(body)
        if not trailer.endswith('\r\n'):
            raise BadBody(u'The chunked body is malformed.')


class BodyFilter(BaseFilter):
    """Reads a request body whole before CherryPy parses it, with a deadline: the server sets
    no socket timeout, so a body shorter than its Content-Length would hold the thread until
    the client left."""

    def beforeRequestBody(self):
        request = cherrypy.request
        if not request.processRequestBody:
            return
        connection = request.rfile.rfile._sock  # the socket under the server's buffered file
        connection.settimeout(10)
        try:
            if 'chunked' in request.headerMap.get('Transfer-Encoding', '').lower():
                body = read_chunked(request.rfile)
                del request.headerMap['Transfer-Encoding']
                request.headerMap['Content-Length'] = str(len(body))
            else:
                try:
                    length = int(request.headerMap.get('Content-Length') or 0)
                except ValueError:
                    raise BadBody(u'The Content-Length is not a number.')
                if length > contract.MAX_BODY:
                    if length <= 1024 * 1024:
                        request.rfile.read(length)  # so that the client reads the 413
                    raise cherrypy.HTTPError(413, u'The body is over 64 KiB.')
                body = request.rfile.read(length)
                if len(body) != length:
                    raise BadBody(u'The body is shorter than its Content-Length.')
        except socket.timeout:
            raise cherrypy.HTTPError(400, u'The body did not arrive.')
        except BadBody, problem:
            raise cherrypy.HTTPError(400, problem.args[0])
        request.rfile = StringIO(body)


class StrictDecodingFilter(BaseFilter):
    """CherryPy's decodingFilter, strict: the path and every parameter as unicode, or a 400
    when they are not UTF-8 (the stock filter would raise, a 500)."""

    def beforeMain(self):
        request = cherrypy.request
        try:
            contract.utf8(request.path)
            for key, value in request.paramMap.items():
                if isinstance(value, list):  # ?name=a&name=b: the first, as the contract says
                    value = value[0]
                if isinstance(value, str):
                    request.paramMap[key] = contract.utf8(value)
        except UnicodeDecodeError:
            raise cherrypy.HTTPError(400, u'The URL or the form is not valid UTF-8.')


class JSONErrorFilter(BaseFilter):
    """CherryPy's own error pages (404, 405, 413, ...) as the contract's JSON."""

    def beforeFinalize(self):
        response = cherrypy.response
        status = int(str(response.status or 200).split()[0])
        if status < 400 or response.headerMap.get('Content-Type') == JSON:
            return
        problem = sys.exc_info()[1]  # the HTTPError being answered, if it is one
        message = getattr(problem, 'message', None)
        if not isinstance(problem, cherrypy.HTTPError) or not message:
            message = BaseHTTPRequestHandler.responses.get(status, ('Error', 'Error'))[1]
        response.headerMap['Content-Type'] = JSON
        response.body = [contract.error_body(message)]


# ---------------------------------------------------------------------------------------
# The published objects

class Hello(object):
    """/hello calls the object itself; /hello/Zoë reaches its `default` method."""

    exposed = True

    def __call__(self, name=u'World', **ignored):
        allow(*READ)
        cherrypy.response.headerMap['Content-Type'] = TEXT
        return (u'Hello, %s!' % name).encode('utf-8')

    def default(self, name, *rest, **ignored):
        return self(name=contract.utf8(name))
    default.exposed = True


class Guestbook(object):
    """/guestbook: GET reads, POST signs; /guestbook/7 reaches `default`."""

    exposed = True

    def __call__(self, limit=None, offset=None, name=None, message=None, **ignored):
        allow('GET', 'HEAD', 'POST')
        try:
            if cherrypy.request.method == 'POST':
                return self.sign(name, message)
            entries, total = store.page(*contract.check_paging(limit, offset))
        except contract.Invalid, problem:
            return fail(400, problem.message, problem.field)
        return reply({'entries': [e.as_dict() for e in entries], 'total': total})

    def sign(self, name, message):
        content_type = cherrypy.request.headerMap.get('Content-Type')
        kind = contract.content_kind(content_type)
        if kind is None:
            return fail(415, u'Send application/json or a urlencoded form.')
        if declared_charset(content_type) not in (None, 'utf-8'):
            return fail(415, u'Send the form as UTF-8.')
        if kind == 'json':
            name, message = contract.entry_from_json(cherrypy.request.body.read())
        else:  # CherryPy parsed the form into keyword arguments
            name, message = contract.check_entry(name, message)
        try:
            entry = store.add(name, message)
        except contract.Full:
            return fail(507, u"The guestbook's storage is full; nothing was stored.")
        if kind == 'form':
            cherrypy.response.headerMap['Location'] = '/'
            return reply({'id': entry.id}, 303)
        cherrypy.response.headerMap['Location'] = entry.location
        return reply(entry.as_dict(), 201)

    def default(self, entry_id, *rest, **ignored):
        allow(*READ)
        found = None
        if entry_id.isdigit() and not rest:
            found = store.get(int(entry_id))
        if found is None:
            return fail(404, u'There is no entry %s.' % contract.utf8(entry_id, 'replace'))
        return reply(found.as_dict())
    default.exposed = True


class Root(object):
    _cpFilterList = [RequestGuardFilter(), BodyFilter(), StrictDecodingFilter(),
                     JSONErrorFilter()]

    hello = Hello()
    guestbook = Guestbook()

    def index(self, **ignored):
        allow(*READ)
        entries, total = store.page(20, 0)
        cherrypy.response.headerMap['Content-Type'] = HTML
        return contract.render_page(contract.identity(), entries, total).encode('utf-8')
    index.exposed = True

    def stream(self, chunks=None, delay_ms=None, **ignored):
        allow(*READ)
        try:
            total, delay = contract.stream_params(chunks, delay_ms)
        except contract.Invalid, problem:
            return fail(400, problem.message, problem.field)
        cherrypy.response.headerMap['Content-Type'] = TEXT
        return contract.paced_lines(total, delay)  # streamResponse: each line as it comes
    stream.exposed = True

    def slow(self, ms=None, **ignored):
        allow(*READ)
        try:
            wait = contract.slow_param(ms)
        except contract.Invalid, problem:
            return fail(400, problem.message, problem.field)
        time.sleep(wait / 1000.0)  # this worker thread sleeps; the others go on
        document = {'ms': wait}
        document.update(contract.process())
        return reply(document)
    slow.exposed = True

    def inspect(self, **params):
        allow(*READ)
        request = cherrypy.request
        software, _, version = cherrypy.server.httpserver.version.partition('/')
        headers = dict((name.lower(), contract.latin1(value))
                       for name, value in request.headerMap.items())
        return reply(contract.document(
            interface='WSGI', software=software, version=version,
            request={
                'method': request.method,
                'path': contract.utf8(request.path, 'replace'),
                'query': contract.latin1(request.queryString),
                'headers': headers,
                'http_version': request.protocol.partition('/')[2],
                'scheme': request.scheme,
                'client': request.remoteAddr,
            },
            native=cherrypy.serving.request))  # what the thread-local cherrypy.request holds
    inspect.exposed = True

    def boom(self, **ignored):
        raise RuntimeError('boom: raised on purpose to show a 500')
    boom.exposed = True

    def _cpOnError(self):
        """A special attribute: CherryPy calls it for an exception a handler did not catch."""
        problem = sys.exc_info()[1]
        if isinstance(problem, contract.Invalid):
            cherrypy.response.body = [fail(400, problem.message, problem.field)]
            return
        cherrypy.log(_cputil.formatExc(), 'ERROR', 2)
        cherrypy.response.body = [fail(500, u'The server failed; the log has the details.')]


# ---------------------------------------------------------------------------------------
# The server. On Python 2.7 a worker thread of CherryPy 2.1's server dies when a client
# leaves before its answer is sent: socket._fileobject keeps the bytes it could not send,
# and the close() in HTTPRequest.terminate() raises again, outside any handler. Ten such
# clients would leave the server accepting connections that no thread ever answers.

class HTTPRequest(_cpwsgiserver.HTTPRequest):
    def terminate(self):
        try:
            super(HTTPRequest, self).terminate()
        except socket.error:
            self.socket.close()

_cpwsgiserver.HTTPRequest = HTTPRequest


cherrypy.root = Root()
cherrypy.config.update({
    'global': {
        'server.environment': 'production',  # no tracebacks to clients, no autoreload
        'server.socketHost': '0.0.0.0',
        'server.socketPort': 8000,
        # the book's and the tutorial's setting (the code's default, 0, is one thread);
        # `museum bench --scale` varies it
        'server.threadPool': int(os.environ.get('CHERRYPY_THREAD_POOL', '10')),
        'server.logToScreen': True,
        'server.logTracebacks': False,  # a 404 is not worth a traceback; _cpOnError logs 500s
    },
    '/stream': {'streamResponse': True},
})

if __name__ == '__main__':
    cherrypy.server.start()
