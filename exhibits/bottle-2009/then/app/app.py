# -*- coding: utf-8 -*-
"""The guestbook in Bottle 0.6, one file, as Bottle itself is one file.

@route() binds a URL (with :name wildcards) to a function; the thread-local `request` holds
the environ, GET and POST; what the function returns (a str, a dict, a generator) becomes
the body; SimpleTemplate renders views/index.tpl; run() hands the app to a server adapter,
here CherryPy's WSGI server.
"""

import os
import signal
import sys
import time
import traceback

import bottle
from bottle import (CherryPyServer, HTTPError, abort, default_app, error, request, response,
                    route, run, template)

from guestbook27 import (MAX_BODY, STYLE, Full, Invalid, Store, check_entry, check_paging,
                         content_kind, document, entry_from_json, error_body, escape, identity,
                         process, request_info, slow_param, stream_line, stream_params, utf8)

bottle.HTTP_CODES[507] = 'INSUFFICIENT STORAGE'  # not in Bottle 0.6's table of reasons
store = Store()

TEXT = 'text/plain; charset=utf-8'


def html(text):
    """For SimpleTemplate, which writes str(value) unescaped: escaped, and as UTF-8 bytes."""
    return escape(text).encode('utf-8')


def text(raw, field):
    """A query value (bytes) as unicode; bytes that are not UTF-8 are the client's mistake."""
    if isinstance(raw, list):  # Bottle gives a list when the field is repeated
        raw = raw[0]
    try:
        return utf8(raw) if raw is not None else None
    except UnicodeError:
        raise Invalid(u'%s is not UTF-8' % field, field)


def answers_invalid(handler):
    """The guestbook's Invalid, from any handler, as a 400 that names the field."""
    def wrapper(**kwargs):
        try:
            return handler(**kwargs)
        except Invalid as invalid:
            response.status = 400
            response.content_type = 'application/json'
            return invalid.body()
    return wrapper


@route('/')
def index():
    entries, total = store.page(10, 0)
    response.content_type = 'text/html; charset=utf-8'
    return ''.join(template('index', exhibit=identity(), entries=entries, total=total,
                            style=STYLE.encode('utf-8'), html=html))


@route('/hello')
@route('/hello/:name')
@answers_invalid
def hello(name=None):
    response.content_type = TEXT
    name = text(name, 'name') if name else text(request.GET.get('name'), 'name')
    return (u'Hello, %s!' % (name or u'World')).encode('utf-8')


@route('/guestbook')
@answers_invalid
def entries():
    limit, offset = check_paging(text(request.GET.get('limit'), 'limit'),
                                 text(request.GET.get('offset'), 'offset'))
    page, total = store.page(limit, offset)
    return {'entries': [e.as_dict() for e in page], 'total': total}


@route('/guestbook/:entry_id#[0-9]+#')
def entry(entry_id):
    found = store.get(int(entry_id))
    if found is None:
        abort(404, 'There is no entry %s.' % entry_id)
    return found.as_dict()


@route('/guestbook', method='POST')
@answers_invalid
def sign():
    length = request.environ.get('CONTENT_LENGTH')  # CherryPy sets it for a chunked body too
    if length is None:
        abort(411, 'Send the body with a Content-Length.')
    if not length.isdigit():
        abort(400, 'Content-Length is not a number.')
    if request.input_length > MAX_BODY:
        drain(request.input_length)
        abort(413, 'The body is over %d bytes.' % MAX_BODY)
    kind = content_kind(request.environ.get('CONTENT_TYPE'))
    if kind is None:
        abort(415, 'Send application/json or a urlencoded form.')
    if kind == 'json':
        # Bottle 0.6 parses forms only: a JSON body is read from wsgi.input, as PEP 333 says
        body = request.environ['wsgi.input'].read(request.input_length)
        if len(body) < request.input_length:
            abort(400, 'The body is shorter than its Content-Length.')
        name, message = entry_from_json(body)
    else:
        name, message = check_entry(request.POST.get('name'), request.POST.get('message'))
    try:
        signed = store.add(name, message)
    except Full as full:
        response.status = 507
        return {'error': str(full)}
    if kind == 'form':
        # not redirect(): Bottle 0.6's redirect answers 307
        response.status = 303
        response.header['Location'] = '/'
        return {'id': signed.id}
    response.status = 201
    response.header['Location'] = signed.location
    return signed.as_dict()


def drain(length):
    """Read and drop a body too big to take, so that the client can read the 413 before the
    server closes (up to a point: a huge one is left unread)."""
    left = length if length <= 16 * MAX_BODY else 0
    while left > 0:
        data = request.environ['wsgi.input'].read(min(left, 8192))
        if not data:
            break
        left -= len(data)


@route('/stream')
@answers_invalid
def stream():
    total, delay = stream_params(text(request.GET.get('chunks'), 'chunks'),
                                 text(request.GET.get('delay_ms'), 'delay_ms'))
    response.content_type = TEXT

    def lines():
        for index in range(1, total + 1):
            if index > 1:
                time.sleep(delay / 1000.0)
            yield stream_line(index, total).encode('utf-8')
    return lines()


@route('/slow')
@answers_invalid
def slow():
    wait = slow_param(text(request.GET.get('ms'), 'ms'))
    time.sleep(wait / 1000.0)  # one of CherryPy's ten threads sleeps
    answer = {'ms': wait}
    answer.update(process())
    return answer


@route('/inspect')
def inspect():
    environ = request.environ
    # "CherryPy/3.1.2 WSGI Server": the server's own name and version
    software, _, version = environ['SERVER_SOFTWARE'].partition(' ')[0].partition('/')
    return document('WSGI', software, version, request_info(environ),
                    environ)  # Bottle's request is a view of this environ, nothing more


@route('/boom')
def boom():
    raise RuntimeError('boom: raised on purpose to show a 500')


ALLOWED = ('GET', 'POST')


@error(404)
def not_found(problem):
    """Bottle 0.6 knows no 405: a path that another method would have found is one."""
    app = default_app()
    allowed = [m for m in ALLOWED if app.match_url(request.path, m)[0] is not None]
    response.content_type = 'application/json'
    if allowed and request.method not in allowed:
        if 'GET' in allowed:
            allowed.append('HEAD')
        response.status = 405
        response.header['Allow'] = ', '.join(allowed)
        return error_body(u'this path takes %s' % ', '.join(allowed))
    return error_body(u''.join(problem.output) if problem.output != 'Not found'
                      else u'nothing at this path')


def json_error(problem):
    """Bottle's other errors as the contract's JSON, not its HTML page."""
    response.content_type = 'application/json'
    return error_body(u''.join(problem.output))


for code in (400, 411, 413, 415, 500):
    error(code)(json_error)


def logged(app):
    """Bottle 0.6 answers an exception with a page of its own and logs no traceback: with
    catchall off, this middleware logs it and answers the contract's JSON."""
    def middleware(environ, start_response):
        try:
            return app(environ, start_response)
        except (KeyboardInterrupt, SystemExit, MemoryError):
            raise
        except:
            environ['wsgi.errors'].write(traceback.format_exc())
            body = error_body(u'the guestbook failed; the log says why')
            start_response('500 Internal Server Error',
                           [('Content-Type', 'application/json'),
                            ('Content-Length', str(len(body)))], sys.exc_info())
            return [body]
    return middleware


if __name__ == '__main__':
    default_app().catchall = False
    # docker stop sends SIGTERM: taken as Ctrl-C, which run() catches to shut down
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    run(logged(default_app()), server=CherryPyServer, host='0.0.0.0', port=8000)
    # run() is back, but its CherryPyServer never stopped CherryPy's worker threads, and they
    # would keep the process alive: leave without them.
    os._exit(0)
