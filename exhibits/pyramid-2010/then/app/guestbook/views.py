import logging
import re
import socket
import time

import pkg_resources
from paste import httpserver

from pyramid.events import NewResponse, subscriber
from pyramid.exceptions import NotFound, URLDecodeError
from pyramid.response import Response
from pyramid.view import view_config
from webob.exc import HTTPSeeOther

import guestbook27 as contract

log = logging.getLogger(__name__)
store = contract.Store()
SURROGATE = re.compile(u'[\ud800-\udfff]')


def get_or_head(context, request):
    """A custom predicate: Pyramid 1.0's request_method takes one method only."""
    return request.method in ('GET', 'HEAD')

SAFE = (get_or_head,)


def param(request, name):
    """A query parameter as unicode; bad UTF-8 (encoded surrogates too, which Python 2.7's
    codec lets through) is a 400 naming it."""
    try:
        value = request.GET.get(name)
    except UnicodeDecodeError:
        value = None
        undecodable = True
    else:
        undecodable = value is not None and SURROGATE.search(value) is not None
    if undecodable:
        raise contract.Invalid(u'%s is not UTF-8 text' % name, name)
    return value


def error(status, message, field=None, **headers):
    return Response(contract.error_body(message, field), status=status,
                    content_type='application/json', **headers)


@view_config(route_name='front', custom_predicates=SAFE, renderer='templates/index.pt')
def front(request):
    entries, total = store.page(20, 0)
    return {'exhibit': contract.identity(), 'style': contract.STYLE,
            'entries': entries, 'total': total}


@view_config(route_name='hello', custom_predicates=SAFE)
@view_config(route_name='hello_name', custom_predicates=SAFE)
def hello(request):
    name = request.matchdict.get('name') or param(request, 'name') or u'World'
    return Response(u'Hello, %s!' % name, content_type='text/plain', charset='utf-8')


@view_config(route_name='guestbook', custom_predicates=SAFE, renderer='json')
def entries(request):
    limit, offset = contract.check_paging(param(request, 'limit'), param(request, 'offset'))
    page, total = store.page(limit, offset)
    return {'entries': [e.as_dict() for e in page], 'total': total}


@view_config(route_name='entry', custom_predicates=SAFE, renderer='json')
def entry(request):
    found = store.get(int(request.matchdict['id']))
    if found is None:
        raise NotFound(u'there is no entry %s' % request.matchdict['id'])
    return found.as_dict()


@view_config(route_name='guestbook', request_method='POST', renderer='json')
def sign(request):
    environ = request.environ
    content_type = environ.get('CONTENT_TYPE', '')
    kind = contract.content_kind(content_type)
    if kind is None:
        return error('415 Unsupported Media Type',
                     u'send application/json or application/x-www-form-urlencoded')
    if request.charset.lower() not in ('utf-8', 'utf8'):
        return error('415 Unsupported Media Type', u'send the body as UTF-8')
    if 'HTTP_TRANSFER_ENCODING' in environ:
        # paste.httpserver reads Content-Length bytes and knows no chunked coding.
        return error('411 Length Required', u'send the body with a Content-Length')
    length = environ.get('CONTENT_LENGTH') or '0'
    if not length.isdigit():
        return error('400 Bad Request', u'the Content-Length is not a number')
    if int(length) > contract.MAX_BODY:
        return error('413 Request Entity Too Large',
                     u'the body is over %d bytes' % contract.MAX_BODY)
    try:
        body = environ['wsgi.input'].read(int(length))
    except socket.error:  # socket_timeout: the client stopped sending
        body = ''
    if len(body) < int(length):
        return error('400 Bad Request', u'the body ended before its Content-Length')
    name, message = contract.entry_from_body(content_type, body)
    try:
        signed = store.add(name, message)
    except contract.Full:
        return error('507 Insufficient Storage',
                     u"the guestbook's storage is full; nothing was stored")
    if kind == 'form':
        return HTTPSeeOther(location='/')
    request.response_status = '201 Created'
    request.response_headerlist = [('Location', signed.location)]
    return signed.as_dict()


@view_config(route_name='stream', custom_predicates=SAFE)
def stream(request):
    chunks, delay_ms = contract.stream_params(param(request, 'chunks'),
                                              param(request, 'delay_ms'))
    return Response(app_iter=contract.paced_lines(chunks, delay_ms),
                    content_type='text/plain', charset='utf-8')


@view_config(route_name='slow', custom_predicates=SAFE, renderer='json')
def slow(request):
    ms = contract.slow_param(param(request, 'ms'))
    time.sleep(ms / 1000.0)  # one of paste.httpserver's pool threads sleeps
    answer = contract.process()
    answer['ms'] = ms
    return answer


@view_config(route_name='inspect', custom_predicates=SAFE, renderer='json')
def inspect(request):
    # paste.httpserver puts no SERVER_SOFTWARE in the environ; it names itself in its Server
    # header, "PasteWSGIServer/0.5" (its module's version), and Paste is the release.
    software = httpserver.WSGIHandler.server_version.split('/')[0]
    version = pkg_resources.get_distribution('Paste').version
    return contract.document('WSGI', software, version,
                             contract.request_info(request.environ), request)


@view_config(route_name='boom', custom_predicates=SAFE)
def boom(request):
    raise RuntimeError('boom: raised on purpose to show a 500')


def nothing(request):
    """The last route's view: any other path is a 404, before Pyramid 1.0's traversal can
    trip on it (its traversal_path raises IndexError on /%252e%252e/...)."""
    raise NotFound()


def method_not_allowed(allowed):
    def not_allowed(request):
        return error('405 Method Not Allowed', u'%s is not allowed here' % request.method,
                     allow=allowed)
    return not_allowed


# ---- errors: exception views ------------------------------------------------------------

@view_config(context=NotFound)
def not_found(exception, request):
    return error('404 Not Found', u'there is nothing at %s' % contract.path_info(request.environ))


@view_config(context=URLDecodeError)
def undecodable_path(exception, request):
    return error('400 Bad Request', u'the path is not UTF-8')


@view_config(context=contract.Invalid)
def invalid(exception, request):
    return error('400 Bad Request', exception.message, exception.field)


@view_config(context=Exception)
def server_error(exception, request):
    log.exception('%s %s failed', request.method, request.path_qs)  # the traceback to the log
    return error('500 Internal Server Error', u'the server failed; the log has the details')


@subscriber(NewResponse)
def finish(event):
    """paste.httpserver writes no access log, sends whatever body it is given, even to HEAD,
    and reads the next request where the last one's body ended: log the request, send HEAD
    the headers alone, and close a connection whose request had a body."""
    request, response = event.request, event.response
    log.info('%s "%s %s %s" %s', request.remote_addr, request.method, request.path_qs,
             request.environ.get('SERVER_PROTOCOL'), response.status.split()[0])
    if request.method == 'HEAD':
        length = response.content_length
        response.app_iter = []
        response.content_length = length
    if request.content_length or 'HTTP_TRANSFER_ENCODING' in request.environ:
        # A body may be left unread (a 411, a 413, a 405...): on a kept-alive connection
        # Paste would read it as the next request, so the connection ends here.
        response.headers['Connection'] = 'close'
