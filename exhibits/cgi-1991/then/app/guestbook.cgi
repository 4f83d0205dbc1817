#!/usr/bin/python2.7
# -*- coding: utf-8 -*-
"""The guestbook as a CGI script, written the way Python 2 wrote them: Apache runs this file
anew for every request, with the request in os.environ and the body on stdin, and sends the
visitor whatever it prints: header lines, a blank line, the body.
"""

import os, sys, re, time

from guestbook27 import (HTML, JSON, TEXT, EVENT_STREAM, LISTENING, KEEPALIVE, MAX_BODY, Full,
                         Invalid, Store, check_entry, check_paging, cgi_headers, content_kind,
                         document, entry_from_json, error_body, event, identity, json_text,
                         latin1, process, render_page, slow_param, stream_line, stream_params,
                         utf8)

import cgi, cgitb
# A bare cgitb.enable() shows every visitor the traceback, with source lines and local
# variables. The same hook, pointed at stderr, puts that report in Apache's error log
# instead; the script has printed no header, so Apache answers a plain 500.
sys.excepthook = cgitb.Hook(display=1, file=sys.stderr, format='text')

method = os.environ.get('REQUEST_METHOD', 'GET')
path = os.environ.get('PATH_INFO', '') or '/'
ctype, options = cgi.parse_header(os.environ.get('CONTENT_TYPE', ''))
if method in ('GET', 'HEAD') or (method == 'POST' and content_kind(ctype) == 'form'):
    form = cgi.FieldStorage(keep_blank_values=1)  # the query string, or the posted form
else:
    form = None  # FieldStorage parses forms, not JSON: sign() reads a JSON body itself


def respond(body, status='200 OK', content_type=TEXT, *headers):
    print 'Status: %s' % status
    print 'Content-Type: %s' % content_type
    for header in headers:
        print header
    print
    if isinstance(body, unicode):
        body = body.encode('utf-8')
    sys.stdout.write(body)  # for HEAD too: Apache sends the headers and drops the body


EVENTS_POLL = 0.25  # seconds between looks at the store for new entries
EVENTS_KEEPALIVE = 3.0  # a comment this often: a write is how we learn the visitor has gone
EVENTS_LIFETIME = 600.0  # then the script ends; EventSource reconnects with Last-Event-ID
DIGITS = re.compile(r'[0-9]+\Z')


class TooLarge(Exception):
    """A body over 64 KiB that Apache did not stop: a chunked one, read to its end."""


def error(status, message, field=None, *headers):
    respond(error_body(message, field), status, JSON, *headers)


def field(name):
    """A query or form field as unicode, None when absent; Invalid when it is not UTF-8."""
    value = form.getfirst(name) if form is not None else None
    if value is None:
        return None
    try:
        return utf8(value)
    except UnicodeDecodeError:
        raise Invalid(u'%s is not UTF-8' % name, name)


def allow(*methods):
    """True if the path takes this request's method; otherwise answer 405 and say so."""
    taken = list(methods) + ['HEAD'] if 'GET' in methods else list(methods)
    if method in taken:
        return True
    error('405 Method Not Allowed', u'%s takes %s' % (utf8(path), ', '.join(taken)), None,
          'Allow: %s' % ', '.join(taken))
    return False


# ---- the pages --------------------------------------------------------------------------

def front_page():
    entries, total = Store().page(10, 0)
    respond(render_page(identity(), entries, total), '200 OK', HTML)


def hello(name):
    respond(u'Hello, %s!' % (name or u'World'))


def posted():
    """The name and message of a POST: FieldStorage has parsed a form; a JSON body is read
    from stdin, CONTENT_LENGTH bytes of it (or to the end, for a chunked request)."""
    if form is not None:
        return check_entry(form.getfirst('name'), form.getfirst('message'))
    length = os.environ.get('CONTENT_LENGTH', '')
    if DIGITS.match(length):
        if int(length) > MAX_BODY:
            raise TooLarge  # Apache's LimitRequestBody has answered 413 already
        body = sys.stdin.read(int(length))
        if len(body) < int(length):
            raise Invalid(u'the body ended before its Content-Length')
    else:
        body = sys.stdin.read(MAX_BODY + 1)
    if len(body) > MAX_BODY:
        raise TooLarge
    return entry_from_json(body)


def sign():
    kind = content_kind(ctype)
    charset = options.get('charset', 'utf-8').lower()
    if kind is None or charset not in ('utf-8', 'utf8'):
        error('415 Unsupported Media Type',
              u'send application/json or application/x-www-form-urlencoded, in UTF-8')
        return
    try:
        name, message = posted()
    except TooLarge:
        error('413 Request Entity Too Large', u'the body is over %d bytes' % MAX_BODY)
        return
    try:
        entry = Store().add(name, message)
    except Full as full:
        error('507 Insufficient Storage', unicode(full))
        return
    if kind == 'form':
        respond('Signed: see the front page.\n', '303 See Other', TEXT, 'Location: /')
    else:
        respond(entry.to_json(), '201 Created', JSON, 'Location: %s' % entry.location)


def read_guestbook():
    limit, offset = check_paging(field('limit'), field('offset'))
    entries, total = Store().page(limit, offset)
    respond(json_text({'entries': [e.as_dict() for e in entries], 'total': total}), '200 OK',
            JSON)


def read_entry(entry_id):
    entry = Store().get(int(entry_id)) if DIGITS.match(entry_id) else None
    if entry is None:
        error('404 Not Found', u'no entry %s' % entry_id)
    else:
        respond(entry.to_json(), '200 OK', JSON)


def inspect():
    environ = os.environ
    software, _, version = environ.get('SERVER_SOFTWARE', '').partition(' ')[0].partition('/')
    request = {
        'method': latin1(method),
        'path': latin1(environ.get('SCRIPT_NAME', '') + environ.get('PATH_INFO', '')),
        'query': latin1(environ.get('QUERY_STRING', '')),
        'headers': cgi_headers(environ),
        'http_version': latin1(environ.get('SERVER_PROTOCOL', 'HTTP/1.0')).partition(u'/')[2],
        'scheme': latin1(environ.get('REQUEST_SCHEME', 'http')),
        'client': latin1(environ.get('REMOTE_ADDR', '')),
    }
    respond(json_text(document(interface=environ.get('GATEWAY_INTERFACE', 'CGI/1.1'),
                               software=software, version=version, request=request,
                               native=dict(environ))), '200 OK', JSON)


def start_stream(content_type, *headers):
    """Send the headers now; False for HEAD, which gets nothing more."""
    respond('', '200 OK', content_type, *headers)
    sys.stdout.flush()
    return method != 'HEAD'


def stream():
    chunks, delay_ms = stream_params(field('chunks'), field('delay_ms'))
    if not start_stream(TEXT):
        return
    for index in range(1, chunks + 1):
        if index > 1:
            time.sleep(delay_ms / 1000.0)
        sys.stdout.write(stream_line(index, chunks).encode('utf-8'))
        sys.stdout.flush()  # a pipe is block-buffered: without this it all comes at the end


def slow():
    ms = slow_param(field('ms'))
    time.sleep(ms / 1000.0)  # this process sleeps; every other request has its own
    document = process()
    document['ms'] = ms
    respond(json_text(document), '200 OK', JSON)


def server_push():
    """Server-sent events from a CGI process that polls the store until the visitor goes."""
    store = Store()
    resume = os.environ.get('HTTP_LAST_EVENT_ID', '')
    last = int(resume) if DIGITS.match(resume) and len(resume) < 19 else store.last_id()
    if not start_stream(EVENT_STREAM, 'Cache-Control: no-cache'):
        return
    sys.stdout.write(LISTENING.encode('utf-8'))
    sys.stdout.flush()
    started = quiet_since = time.time()
    try:
        while time.time() - started < EVENTS_LIFETIME:
            time.sleep(EVENTS_POLL)
            news = store.after(last)
            for entry in news:
                sys.stdout.write(event(entry).encode('utf-8'))
                last = entry.id
            if news or time.time() - quiet_since > EVENTS_KEEPALIVE:
                if not news:
                    sys.stdout.write(KEEPALIVE.encode('utf-8'))
                sys.stdout.flush()
                quiet_since = time.time()
    except IOError:
        # Apache has closed our stdout: the visitor is gone. Point stdout at /dev/null so
        # that the flush at exit has nowhere to fail.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


# ---- the routes: PATH_INFO is the rest of the URL after the script -----------------------

def main():
    try:
        route = utf8(path).rstrip(u'/') or u'/'
    except UnicodeDecodeError:
        error('400 Bad Request', u'the path is not UTF-8')
        return
    if route == u'/':
        if allow('GET'):
            front_page()
    elif route == u'/hello':
        if allow('GET'):
            hello(field('name'))
    elif route.startswith(u'/hello/'):
        if allow('GET'):
            hello(route[len(u'/hello/'):])
    elif route == u'/guestbook':
        if method == 'POST':
            sign()
        elif allow('GET', 'POST'):
            read_guestbook()
    elif re.match(u'/guestbook/[^/]+\\Z', route):
        if allow('GET'):
            read_entry(route[len(u'/guestbook/'):])
    elif route == u'/inspect':
        if allow('GET'):
            inspect()
    elif route == u'/stream':
        if allow('GET'):
            stream()
    elif route == u'/slow':
        if allow('GET'):
            slow()
    elif route == u'/events':
        if allow('GET'):
            server_push()
    elif route == u'/boom':
        raise RuntimeError('boom: /boom raises on purpose (cgitb reports it to the error log)')
    else:
        error('404 Not Found', u'nothing at %s' % route)


if __name__ == '__main__':
    try:
        main()
    except Invalid as invalid:
        respond(invalid.body(), '400 Bad Request', JSON)
