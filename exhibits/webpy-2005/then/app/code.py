#!/usr/bin/python2.7
"""The guestbook as a web.py 0.2 app: a URL tuple, classes with GET and POST, and print.

lighttpd spawns this script (in its folder, so templates/ is found) and talks FastCGI to it;
web.run() sees the PHP_FCGI_CHILDREN that lighttpd sets and hands web.py's WSGI function to
flup's FastCGI server, listening on the socket lighttpd passed as stdin. What a handler prints
is the response body: web.py puts a thread's own buffer behind sys.stdout.
"""
import time

import web

from guestbook27 import (EVENT_STREAM, KEEPALIVE, LISTENING, STYLE, Full, Invalid, Store,
                         cgi_headers, check_entry, check_paging, content_kind, document,
                         entry_from_json, error_body, event, identity, json_text, process,
                         slow_param, stream_line, stream_params, utf8)

urls = (
    '/', 'index',
    '/hello', 'hello',
    '/hello/(.*)', 'hello',
    '/guestbook', 'guestbook',
    '/guestbook/(.*)', 'entry',
    '/inspect', 'inspect',
    '/slow', 'slow',
    '/stream', 'stream',
    '/events', 'events',
    '/boom', 'boom',
)

render = web.template.render('templates/')
store = Store()


# ---- the contract's answers, the web.py 0.2 way: set ctx.status and a header, then output ----

def refuse(status, message, field=None):
    web.ctx.status = status
    web.header('Content-Type', 'application/json')
    web.output(error_body(message, field))


def invalid(e):
    refuse('400 Bad Request', e.message, e.field)


def as_json(document):
    web.header('Content-Type', 'application/json')
    print json_text(document).encode('utf-8')


def notfound():
    refuse('404 Not Found', u'no page at %s' % utf8(web.ctx.path, 'replace'))


def nomethod(cls):
    allowed = [m for m in ('GET', 'POST') if hasattr(cls, m)]
    web.header('Allow', ', '.join(allowed))
    refuse('405 Method Not Allowed', u'this page takes %s' % ', '.join(allowed))


def internalerror():
    # web.py has already printed the traceback to wsgi.errors: flup's FastCGI stderr, which
    # lighttpd writes to its error log. The client gets a short JSON 500.
    web.ctx.status = '500 Internal Server Error'
    web.ctx.headers = [('Content-Type', 'application/json')]
    web.ctx.output = error_body(u'the guestbook failed; the traceback is in the log')

# web.py 0.2's hooks are module functions, replaced by assignment.
web.webapi.notfound = notfound
web.webapi.internalerror = internalerror
web.request.nomethod = nomethod


# ---- the pages ----

class index:
    def GET(self):
        entries, total = store.page(10, 0)
        web.header('Content-Type', 'text/html; charset=utf-8')
        print render.index(identity(), entries, total, STYLE)


class hello:
    def GET(self, name=None):
        if name is None:
            name = web.input(_method='get', name=None).name
        try:
            name = utf8(name or 'World')
        except UnicodeDecodeError:
            return invalid(Invalid(u'the name must be UTF-8 text', 'name'))
        web.header('Content-Type', 'text/plain; charset=utf-8')
        web.output(u'Hello, %s!' % name)     # print would add a newline


class guestbook:
    def GET(self):
        i = web.input(_method='get', limit=None, offset=None)
        try:
            limit, offset = check_paging(i.limit, i.offset)
        except Invalid, e:
            return invalid(e)
        entries, total = store.page(limit, offset)
        as_json({'entries': [e.as_dict() for e in entries], 'total': total})

    def POST(self):
        kind = content_kind(web.ctx.env.get('CONTENT_TYPE'))
        charset = web.ctx.env.get('CONTENT_TYPE', '').lower().partition('charset=')[2]
        if kind is None or charset.strip(' "') not in ('', 'utf-8', 'utf8'):
            return refuse('415 Unsupported Media Type',
                          u'send application/json or a UTF-8 urlencoded form')
        try:
            if kind == 'json':
                name, message = entry_from_json(web.data())
            else:
                i = web.input(_method='post', name=None, message=None)
                name, message = check_entry(i.name, i.message)
        except Invalid, e:
            return invalid(e)
        try:
            new = store.add(name, message)
        except Full, e:
            return refuse('507 Insufficient Storage', unicode(e))
        if kind == 'form':
            web.seeother('/')
            return
        web.ctx.status = '201 Created'
        web.header('Location', new.location)
        as_json(new.as_dict())


class entry:
    def GET(self, id):
        found = None
        if id.isdigit():
            found = store.get(int(id))
        if found is None:
            return refuse('404 Not Found', u'there is no entry %s' % utf8(id, 'replace'))
        as_json(found.as_dict())


class inspect:
    def GET(self):
        env = web.ctx.env
        software, _, version = env.get('SERVER_SOFTWARE', '').partition('/')
        request = {
            'method': web.ctx.method,
            'path': web.ctx.path,
            'query': env.get('QUERY_STRING', ''),
            'headers': cgi_headers(env),
            'http_version': env.get('SERVER_PROTOCOL', '').partition('/')[2],
            'scheme': env.get('wsgi.url_scheme', 'http'),
            'client': web.ctx.ip,
        }
        as_json(document('FastCGI', software, version, request, env))


class slow:
    def GET(self):
        try:
            ms = slow_param(web.input(_method='get', ms=None).ms)
        except Invalid, e:
            return invalid(e)
        time.sleep(ms / 1000.0)     # this flup thread sleeps; the others go on serving
        found = process()
        found['ms'] = ms
        as_json(found)


class stream:
    # A generator for a handler: web.py sends each piece as it comes, flup writes it as a
    # FastCGI record at once, and lighttpd passes it on because stream-response-body is set.
    def GET(self):
        i = web.input(_method='get', chunks=None, delay_ms=None)
        try:
            chunks, delay_ms = stream_params(i.chunks, i.delay_ms)
        except Invalid, e:
            invalid(e)
            yield web.ctx.output
            return
        web.header('Content-Type', 'text/plain; charset=utf-8')
        for n in range(1, chunks + 1):
            if n > 1:
                time.sleep(delay_ms / 1000.0)
            yield stream_line(n, chunks).encode('utf-8')


class events:
    # No pub/sub in web.py: the thread polls the store for ids it has not sent yet.
    def GET(self):
        web.header('Content-Type', EVENT_STREAM)
        web.header('Cache-Control', 'no-cache')
        last, quiet = store.last_id(), 0.0
        yield LISTENING.encode('utf-8')
        while True:
            time.sleep(0.2)
            quiet += 0.2
            for new in store.after(last):
                last, quiet = new.id, 0.0
                yield event(new).encode('utf-8')
            if quiet >= 5:      # a write to a client that has gone ends this thread
                quiet = 0.0
                yield KEEPALIVE.encode('utf-8')


class boom:
    def GET(self):
        raise RuntimeError('boom: raised on purpose to show the 500 page')


if __name__ == '__main__':
    web.run(urls, globals())
