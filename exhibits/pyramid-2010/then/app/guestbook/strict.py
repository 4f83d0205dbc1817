"""A WSGI filter in front of the application, in production.ini's pipeline as the 2010
scaffolds put WebError's there: it refuses the requests that paste.httpserver's parser (the
standard library's BaseHTTPServer and mimetools) lets through, where they can still be seen."""
import re

import guestbook27 as contract

HOST = re.compile(r'([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(:[0-9]{1,5})?\Z')
NAME = re.compile(r"[A-Z0-9_!#$%&'*+.^`|~]+\Z")  # a header's name, as the environ spells it
CONTROL = re.compile(r'[\x00-\x08\x0a-\x1f\x7f]')
LIMIT = 64 * 1024


def refuse(start_response, status, message):
    body = contract.error_body(message)
    start_response(status, [('Content-Type', 'application/json'),
                            ('Content-Length', str(len(body))), ('Connection', 'close')])
    return [body]


def problem(environ):
    """(status, message) for a request the server should not have taken, or None."""
    target = environ.get('PATH_INFO', '') + environ.get('QUERY_STRING', '')
    if len(target) > LIMIT:
        return '414 Request-URI Too Long', u'the request target is over 64 KiB'
    for key, value in environ.items():
        if not key.startswith('HTTP_'):
            continue
        if not NAME.match(key[5:]):
            return '400 Bad Request', u'a header name holds a character a name may not'
        if CONTROL.search(value):
            return '400 Bad Request', u'a header value holds a control character'
        if len(value) > LIMIT:
            return '431 Request Header Fields Too Large', u'a header is over 64 KiB'
    host = environ.get('HTTP_HOST')
    if host is None and environ.get('SERVER_PROTOCOL') == 'HTTP/1.1':
        return '400 Bad Request', u'an HTTP/1.1 request names its Host'
    if host is not None and not HOST.match(host):  # two Hosts arrive joined by a comma
        return '400 Bad Request', u'the Host header is not one host'
    try:
        contract.utf8(environ.get('PATH_INFO', ''))  # strict: encoded surrogates too
    except UnicodeDecodeError:
        return '400 Bad Request', u'the path is not UTF-8'
    return None


def strict_http(app):
    def filtered(environ, start_response):
        found = problem(environ)
        if found is not None:
            return refuse(start_response, *found)
        return app(environ, start_response)
    return filtered


def make_filter(app, global_conf, **local_conf):
    """The paste.filter_app_factory entry point that `use = egg:guestbook#strict` names."""
    return strict_http(app)
