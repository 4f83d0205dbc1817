# -*- coding: utf-8 -*-
# The guestbook's controller: every function without arguments is a page, at
# /guestbook/default/<function> (routes.py gives them their short paths). A function returns
# a dict for its view or a string for the body; the helpers take arguments, so they are not
# exposed.
import socket
import time

import guestbook27 as contract

SAFE = ('GET', 'HEAD')


def only(*methods):
    if request.env.request_method not in methods:
        raise error_page(405, u'%s is not allowed here' % request.env.request_method,
                         Allow=', '.join(methods))


def var(name):
    """A query variable as unicode; bad UTF-8 is a 400 naming it."""
    value = request.get_vars.get(name)
    if isinstance(value, list):
        value = value[0]
    if value is None:
        return None
    try:
        return contract.utf8(value)
    except UnicodeDecodeError:
        raise contract.Invalid(u'%s is not UTF-8 text' % name, name)


def as_json(data, status=200, **headers):
    response.headers['Content-Type'] = 'application/json'
    if status != 200:
        raise HTTP(status, response.json(data), **dict(response.headers, **headers))
    return response.json(data)


def entry_dict(row):
    return {'id': row.id, 'name': contract.utf8(row.name), 'message': contract.utf8(row.message),
            'created': row.created.strftime('%Y-%m-%dT%H:%M:%SZ')}


def index():
    only(*SAFE)
    entries = db(db.entry).select(orderby=~db.entry.id, limitby=(0, 20))
    return dict(exhibit=contract.identity(), style=contract.STYLE, entries=entries,
                total=db(db.entry).count())


def hello():
    only(*SAFE)
    if request.raw_args:
        try:
            name = contract.utf8(request.raw_args)
        except UnicodeDecodeError:
            raise error_page(400, u'the path is not UTF-8')
    else:
        name = var('name') or u'World'
    response.headers['Content-Type'] = 'text/plain; charset=utf-8'
    return (u'Hello, %s!' % name).encode('utf-8')


def entries():
    if request.env.request_method == 'POST':
        return sign()
    only('GET', 'HEAD', 'POST')
    limit, offset = contract.check_paging(var('limit'), var('offset'))
    rows = db(db.entry).select(orderby=~db.entry.id, limitby=(offset, offset + limit))
    return as_json({'entries': [entry_dict(row) for row in rows],
                    'total': db(db.entry).count()})


def sign(_=None):
    content_type = request.env.content_type or ''
    kind = contract.content_kind(content_type)
    if kind is None:
        raise error_page(415, u'send application/json or application/x-www-form-urlencoded')
    if declared_charset(content_type) not in (None, 'utf-8', 'utf8'):
        raise error_page(415, u'send the body as UTF-8')
    if request.env.http_transfer_encoding:
        # web2py copies CONTENT_LENGTH bytes into request.body, and a chunked body has none.
        raise error_page(411, u'send the body with a Content-Length', Connection='close')
    length = int(request.env.content_length or 0)
    if length > contract.MAX_BODY:
        raise error_page(413, u'the body is over %d bytes' % contract.MAX_BODY)
    body = request.body.read()
    if len(body) < length:
        raise error_page(400, u'the body ended before its Content-Length', Connection='close')
    name, message = contract.entry_from_body(content_type, body)
    for field, value in (('name', name), ('message', message)):
        if u'\x00' in value:
            # The DAL of 1.96 writes values into its SQL, and SQLite refuses a NUL there.
            raise error_page(400, u'%s must not hold a NUL character' % field, field)
    try:
        entry_id = db.entry.insert(name=name, message=message)
        db.commit()
    except Exception, problem:
        db.rollback()
        if str(problem) != contract.DISK_FULL:
            raise
        raise error_page(507, u"the guestbook's storage is full; nothing was stored")
    if kind == 'form':
        raise HTTP(303, 'See Other', Location='/')
    return as_json(entry_dict(db.entry[entry_id]), 201, Location='/guestbook/%d' % entry_id)


def declared_charset(content_type):
    for parameter in content_type.split(';')[1:]:
        key, _, value = parameter.partition('=')
        if key.strip().lower() == 'charset':
            return value.strip().strip('"').lower()
    return None


def entry():
    only(*SAFE)
    entry_id = int(request.raw_args)
    row = db.entry[entry_id] if entry_id < 2 ** 63 else None
    if row is None:
        raise error_page(404, u'there is no entry %s' % request.raw_args)
    return as_json(entry_dict(row))


def inspect():
    only(*SAFE)
    env = request.env
    software, _, version = env.server_software.partition(' ')  # "Rocket 1.2.2"
    return as_json(contract.document('WSGI', software, version, {
        'method': env.request_method,
        'path': contract.utf8(env.web2py_original_uri.split('?')[0], 'replace'),
        'query': contract.latin1(env.query_string or ''),
        'headers': contract.cgi_headers(dict((k.upper(), v) for k, v in env.items())),
        'http_version': env.server_protocol.partition('/')[2],
        'scheme': env.wsgi_url_scheme,
        'client': env.remote_addr,
    }, request))


def stream():
    only(*SAFE)
    chunks, delay_ms = contract.stream_params(var('chunks'), var('delay_ms'))
    response.headers['Content-Type'] = 'text/plain; charset=utf-8'
    # An iterable body goes to Rocket unread: it sends each line as it comes, chunked.
    raise HTTP(200, contract.paced_lines(chunks, delay_ms), **response.headers)


def slow():
    only(*SAFE)
    ms = contract.slow_param(var('ms'))
    time.sleep(ms / 1000.0)  # one of Rocket's worker threads sleeps
    answer = contract.process()
    answer['ms'] = ms
    return as_json(answer)


def boom():
    raise RuntimeError('boom: raised on purpose to show a ticket')


def not_found():
    raise error_page(404, u'there is nothing at %s'
                     % contract.utf8(request.env.web2py_original_uri.split('?')[0], 'replace'))
