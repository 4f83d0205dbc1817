# -*- coding: utf-8 -*-
# The WSGI application script file that `WSGIScriptAlias / /app/guestbook.wsgi` names. mod_wsgi
# loads it once in each daemon process of the `guestbook` group, and calls the `application`
# it defines for every request Apache hands over, on one of that process's threads. Python 2:
# the body is a list of byte strings, the status and headers are byte strings too.

import re
import time
import urllib

from guestbook27 import (HTML, JSON, TEXT, MAX_BODY, Full, Invalid, Store, check_paging,
                         content_kind, document, entry_from_body, error_body, identity,
                         json_text, latin1, paced_lines, process, render_page, request_info,
                         slow_param, stream_params, utf8)

store = Store()
DIGITS = re.compile(r'[0-9]+\Z')


def application(environ, start_response):
    method = environ['REQUEST_METHOD']
    if method == 'HEAD':
        method = 'GET'  # answered as a GET; Apache sends the headers and drops the body
    try:
        path = utf8(environ.get('PATH_INFO', ''))
    except UnicodeDecodeError:
        return reply(start_response, '400 Bad Request', JSON,
                     error_body(u'the path is not UTF-8'))
    if path == '/':
        views = {'GET': front_page}
    elif path == '/hello' or path.startswith('/hello/'):
        views = {'GET': hello}
    elif path == '/guestbook':
        views = {'GET': entries, 'POST': sign}
    elif path.startswith('/guestbook/'):
        views = {'GET': entry}
    elif path in TOOLS:
        views = {'GET': TOOLS[path]}
    else:
        return reply(start_response, '404 Not Found', JSON, error_body(u'no page at %s' % path))
    if method not in views:
        allowed = sorted(views) + ['HEAD'] if 'GET' in views else sorted(views)
        return reply(start_response, '405 Method Not Allowed', JSON,
                     error_body(u'%s does not take %s' % (path, method)),
                     [('Allow', ', '.join(allowed))])
    try:
        return views[method](environ, start_response)
    except Invalid as invalid:
        return reply(start_response, '400 Bad Request', JSON, invalid.body())


def hello(environ, start_response):
    name = path_of(environ)[len('/hello/'):] or query(environ).get(u'name') or u'World'
    status = '200 OK'
    output = (u'Hello, %s!' % name).encode('utf-8')

    response_headers = [('Content-type', 'text/plain; charset=utf-8'),
                        ('Content-Length', str(len(output)))]
    start_response(status, response_headers)

    return [output]


def front_page(environ, start_response):
    newest, total = store.page(10, 0)
    return reply(start_response, '200 OK', HTML, render_page(identity(), newest, total))


def entries(environ, start_response):
    params = query(environ)
    limit, offset = check_paging(params.get(u'limit'), params.get(u'offset'))
    rows, total = store.page(limit, offset)
    listing = {'entries': [row.as_dict() for row in rows], 'total': total}
    return reply(start_response, '200 OK', JSON, json_text(listing))


def entry(environ, start_response):
    number = path_of(environ)[len('/guestbook/'):]
    found = store.get(int(number)) if DIGITS.match(number) else None
    if found is None:
        return reply(start_response, '404 Not Found', JSON, error_body(u'no such entry'))
    return reply(start_response, '200 OK', JSON, found.to_json())


def sign(environ, start_response):
    kind = content_kind(environ.get('CONTENT_TYPE'))
    charset = content_parameter(environ.get('CONTENT_TYPE', ''), 'charset') or 'utf-8'
    if kind is None or charset.lower() not in ('utf-8', 'utf8'):
        return reply(start_response, '415 Unsupported Media Type', JSON,
                     error_body(u'post JSON or an urlencoded form, in UTF-8'))
    if not DIGITS.match(environ.get('CONTENT_LENGTH', '')):
        return reply(start_response, '411 Length Required', JSON,
                     error_body(u'send the body with a Content-Length'))
    body = posted_body(environ)
    if body is None:
        return reply(start_response, '413 Request Entity Too Large', JSON,
                     error_body(u'the body is over %d bytes' % MAX_BODY))
    name, message = entry_from_body(environ.get('CONTENT_TYPE'), body)
    try:
        signed = store.add(name, message)
    except Full as full:
        return reply(start_response, '507 Insufficient Storage', JSON, error_body(unicode(full)))
    if kind == 'form':
        return reply(start_response, '303 See Other', TEXT, 'Signed.\n', [('Location', '/')])
    return reply(start_response, '201 Created', JSON, signed.to_json(),
                 [('Location', signed.location)])


def stream(environ, start_response):
    params = query(environ)
    chunks, delay_ms = stream_params(params.get(u'chunks'), params.get(u'delay_ms'))
    start_response('200 OK', [('Content-Type', TEXT)])
    if environ['REQUEST_METHOD'] == 'HEAD':
        return []
    # mod_wsgi writes and flushes each block the iterable yields before it asks for the next.
    return paced_lines(chunks, delay_ms)


def slow(environ, start_response):
    ms = slow_param(query(environ).get(u'ms'))
    time.sleep(ms / 1000.0)  # this thread sleeps; the daemon's other threads serve on
    answer = process()
    answer['ms'] = ms
    return reply(start_response, '200 OK', JSON, json_text(answer))


def boom(environ, start_response):
    raise RuntimeError('boom: mod_wsgi logs this traceback to Apache\'s error log')


def inspect(environ, start_response):
    # SERVER_SOFTWARE is Apache's banner, "Apache/2.4.62 (Debian) mod_wsgi/4.1.2 Python/2.7.18";
    # mod_wsgi puts its own version in the environ.
    software, _, version = environ['SERVER_SOFTWARE'].partition(' ')[0].partition('/')
    found = document(interface='WSGI', software=software, version=version,
                     request=request_info(environ), native=environ)
    found['framework'] = {'software': 'mod_wsgi',
                          'version': '.'.join(map(str, environ['mod_wsgi.version']))}
    return reply(start_response, '200 OK', JSON, json_text(found))


TOOLS = {'/stream': stream, '/slow': slow, '/boom': boom, '/inspect': inspect}


# ---- plumbing: the request's parts as unicode, and the one-item body -----------------------

def reply(start_response, status, content_type, text, extra=()):
    body = text.encode('utf-8') if isinstance(text, unicode) else text
    start_response(status, [('Content-Type', content_type),
                            ('Content-Length', str(len(body)))] + list(extra))
    return [body]


def path_of(environ):
    return utf8(environ.get('PATH_INFO', ''))  # application() has checked that it decodes


def query(environ):
    """The query string's fields, the first value of each; a field that is not UTF-8 is a 400
    naming it."""
    fields = {}
    for pair in environ.get('QUERY_STRING', '').split('&'):
        name, _, value = [urllib.unquote(part.replace('+', ' ')) for part in pair.partition('=')]
        try:
            fields.setdefault(utf8(name), utf8(value))
        except UnicodeDecodeError:
            raise Invalid(u'%s is not UTF-8' % latin1(name), latin1(name))
    return fields


def content_parameter(content_type, name):
    for parameter in content_type.split(';')[1:]:
        key, _, value = parameter.partition('=')
        if key.strip().lower() == name:
            return value.strip().strip('"')
    return None


def posted_body(environ):
    """CONTENT_LENGTH bytes of wsgi.input; None when over the limit (Apache's own check comes
    first). A body that ends early, or a read that fails, is Invalid: a 400."""
    length = environ['CONTENT_LENGTH']
    if int(length) > MAX_BODY:
        return None
    try:
        body = environ['wsgi.input'].read(int(length))
    except IOError:
        raise Invalid(u'the body could not be read to its Content-Length')
    if len(body) < int(length):
        raise Invalid(u'the body ended before its Content-Length')
    return body
