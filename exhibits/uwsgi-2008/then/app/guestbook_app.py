"""The guestbook as uWSGI's early examples wrote an app: a file with application().

uWSGI's master imports this file (wsgi-file) and forks four workers; each calls application
for the requests nginx passes on in uwsgi packets, one at a time.
"""
import time
import traceback

import uwsgi

from guestbook27 import (HTML, JSON, TEXT, Full, Invalid, Store, check_paging, content_kind,
                         document, error_body, form_fields, identity, json_text, paced_lines,
                         posted_entry, process, render_page, reply, request_info, slow_param,
                         stream_params, utf8)

store = Store()


def application(environ, start_response):
    try:
        path = utf8(environ.get('PATH_INFO', ''))
    except UnicodeDecodeError:
        return reply(start_response, '404 Not Found', JSON, error_body(u'no such page'))
    prefix = path[:path.find(u'/', 1) + 1] or path      # u"/hello/Zoe" -> u"/hello/"
    route = ROUTES.get(path) or ROUTES.get(prefix)
    if route is None:
        return reply(start_response, '404 Not Found', JSON, error_body(u'no page at %s' % path))
    methods, view = route
    if environ['REQUEST_METHOD'] not in methods:
        allowed = ', '.join(m for m in methods if m != 'HEAD')
        return reply(start_response, '405 Method Not Allowed', JSON,
                     error_body(u'%s takes %s' % (path, allowed)), [('Allow', allowed)])
    try:
        return view(environ, start_response)
    except Invalid, error:
        return reply(start_response, '400 Bad Request', JSON, error.body())
    except Full, error:
        return reply(start_response, '507 Insufficient Storage', JSON, error_body(str(error)))
    except Exception:
        # uWSGI logs an exception that escapes application() but sends nothing, and nginx
        # turns that into a 502; so the app logs the traceback itself and answers a short 500.
        traceback.print_exc(file=environ['wsgi.errors'])
        return reply(start_response, '500 Internal Server Error', JSON,
                     error_body(u'the guestbook failed; the traceback is in the log'))


def params(environ):
    """The query string's fields as unicode; a field that is not UTF-8 is a 400 naming it."""
    raw = environ.get('QUERY_STRING', '')
    try:
        return form_fields(raw)
    except UnicodeError:
        for field in raw.split('&'):
            try:
                form_fields(field)
            except UnicodeError:
                name = form_fields(field.partition('=')[0], 'replace').keys()
                raise Invalid(u'the query string is not UTF-8 text', (name or [None])[0])
        raise Invalid(u'the query string is not UTF-8 text')


def home(environ, start_response):
    newest, total = store.page(10, 0)
    return reply(start_response, '200 OK', HTML, render_page(identity(), newest, total))


def hello(environ, start_response):
    # PATH_INFO arrives percent-decoded; application() has checked it is UTF-8.
    name = utf8(environ.get('PATH_INFO', '')).partition(u'/hello/')[2]
    name = name or params(environ).get(u'name') or u'World'
    return reply(start_response, '200 OK', TEXT, u'Hello, %s!' % name)


def guestbook(environ, start_response):
    if environ['REQUEST_METHOD'] == 'POST':
        return sign(environ, start_response)
    fields = params(environ)
    limit, offset = check_paging(fields.get(u'limit'), fields.get(u'offset'))
    rows, total = store.page(limit, offset)
    listing = {'entries': [row.as_dict() for row in rows], 'total': total}
    return reply(start_response, '200 OK', JSON, json_text(listing))


def sign(environ, start_response):
    content_type = environ.get('CONTENT_TYPE', '')
    kind = content_kind(content_type)
    charset = content_type.lower().partition('charset=')[2].strip(' "')
    if kind is None or charset not in ('', 'utf-8', 'utf8'):
        return reply(start_response, '415 Unsupported Media Type', JSON,
                     error_body(u'send application/json or a UTF-8 urlencoded form'))
    new = store.add(*posted_entry(environ))
    if kind == 'form':
        return reply(start_response, '303 See Other', TEXT, u'Signed.\n', [('Location', '/')])
    return reply(start_response, '201 Created', JSON, new.to_json(),
                 [('Location', new.location)])


def one_entry(environ, start_response):
    wanted = environ.get('PATH_INFO', '').rpartition('/')[2]
    found = None
    if wanted.isdigit():
        found = store.get(int(wanted))
    if found is None:
        return reply(start_response, '404 Not Found', JSON,
                     error_body(u'there is no entry %s' % utf8(wanted, 'replace')))
    return reply(start_response, '200 OK', JSON, found.to_json())


def inspect(environ, start_response):
    # nginx names itself in SERVER_SOFTWARE; uWSGI adds its own uwsgi.version to the environ.
    software, _, version = environ['SERVER_SOFTWARE'].partition('/')
    found = document('uwsgi', software, version, request_info(environ), environ)
    found['framework'] = {'software': 'uWSGI', 'version': uwsgi.version}
    return reply(start_response, '200 OK', JSON, json_text(found))


def slow(environ, start_response):
    ms = slow_param(params(environ).get(u'ms'))
    time.sleep(ms / 1000.0)     # this worker sleeps; the other three serve on
    found = process()
    found['ms'] = ms
    return reply(start_response, '200 OK', JSON, json_text(found))


def stream(environ, start_response):
    fields = params(environ)
    chunks, delay_ms = stream_params(fields.get(u'chunks'), fields.get(u'delay_ms'))
    start_response('200 OK', [('Content-Type', TEXT)])
    # uWSGI writes each yielded block to the socket at once; nginx passes it on unbuffered.
    return paced_lines(chunks, delay_ms)


def boom(environ, start_response):
    raise RuntimeError('boom: raised on purpose to show the 500 page')


GET = ('GET', 'HEAD')   # nginx sends HEAD on as HEAD and drops the body it gets back
ROUTES = {
    u'/': (GET, home),
    u'/hello': (GET, hello),
    u'/hello/': (GET, hello),
    u'/guestbook': (('GET', 'HEAD', 'POST'), guestbook),
    u'/guestbook/': (GET, one_entry),
    u'/inspect': (GET, inspect),
    u'/slow': (GET, slow),
    u'/stream': (GET, stream),
    u'/boom': (GET, boom),
}
