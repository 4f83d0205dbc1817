# -*- coding: utf-8 -*-
"""The guestbook in Flask 0.1: view functions on routes, `request` in a context local.

@app.route(rule, methods=[...]) binds a URL to a function; `request` is a proxy to the
request of the current context (Werkzeug's, with .args, .form and .data); render_template
renders a Jinja2 template, escaped. Flask 0.1 has no jsonify and no MAX_CONTENT_LENGTH:
JSON is json.dumps, and the view checks the body's length itself. guestbook.fcgi serves
`app` over FastCGI with flup, behind nginx, as Flask 0.1's deployment chapter shows.
"""

import json
import sys
import time
import traceback
import urllib

from flask import Flask, Request, Response, abort, render_template, request
from werkzeug.exceptions import HTTPException

from guestbook27 import (MAX_BODY, STYLE, Full, Invalid, Store, check_entry, check_paging,
                         content_kind, document, entry_from_json, error_body, identity,
                         process, request_info, slow_param, stream_line, stream_params, utf8)

class StrictRequest(Request):
    """Werkzeug 0.6 decodes form fields and arguments with errors='ignore', dropping bytes
    that are not UTF-8; 'strict' makes them a 400 (Werkzeug's HTTPUnicodeError)."""
    encoding_errors = 'strict'


app = Flask(__name__)
app.request_class = StrictRequest
store = Store()


def json_response(value, status=200, headers=None):
    """What Flask 0.2 would call jsonify: JSON text, as a Response of its own."""
    response = Response(json.dumps(value), status=status, mimetype='application/json')
    for name, header in (headers or {}).items():
        response.headers[name] = header
    return response


def json_error(message, status, field=None):
    return Response(error_body(message, field), status=status, mimetype='application/json')


def text(value):
    return Response(value, mimetype='text/plain')  # Werkzeug adds "; charset=utf-8"


@app.before_request
def refuse_what_is_not_utf8():
    """Werkzeug 0.6 drops the bytes of a URL that are not UTF-8 without a word: the path and
    the query are the client's to get right, and a 400 says so."""
    try:
        utf8(request.environ.get('PATH_INFO', ''))
        for pair in request.environ.get('QUERY_STRING', '').split('&'):
            utf8(urllib.unquote_plus(pair))
    except UnicodeError:
        return json_error(u'the URL is not UTF-8', 400)


@app.route('/')
def index():
    entries, total = store.page(10, 0)
    return render_template('index.html', exhibit=identity(), entries=entries, total=total,
                           style=STYLE)


@app.route('/hello')
@app.route('/hello/<name>')
def hello(name=None):
    name = name or request.args.get('name') or u'World'
    return text(u'Hello, %s!' % name)


@app.route('/guestbook')
def entries():
    try:
        limit, offset = check_paging(request.args.get('limit'), request.args.get('offset'))
    except Invalid as invalid:
        return json_error(invalid.message, 400, invalid.field)
    page, total = store.page(limit, offset)
    return json_response({'entries': [e.as_dict() for e in page], 'total': total})


@app.route('/guestbook/<int:entry_id>')
def entry(entry_id):
    found = store.get(entry_id)
    if found is None:
        abort(404)
    return json_response(found.as_dict())


@app.route('/guestbook', methods=['POST'])
def sign():
    if request.content_length > MAX_BODY:  # MAX_CONTENT_LENGTH came with Flask 0.6
        abort(413)
    kind = content_kind(request.environ.get('CONTENT_TYPE'))
    if kind is None:
        abort(415)
    try:
        if kind == 'json':
            name, message = entry_from_json(request.data)
        else:
            name, message = check_entry(request.form.get('name'), request.form.get('message'))
    except Invalid as invalid:
        return json_error(invalid.message, 400, invalid.field)
    try:
        signed = store.add(name, message)
    except Full as full:
        return json_error(unicode(full), 507)
    if kind == 'form':
        return json_response({'id': signed.id}, 303, {'Location': '/'})
    return json_response(signed.as_dict(), 201, {'Location': signed.location})


@app.route('/stream')
def stream():
    try:
        total, delay = stream_params(request.args.get('chunks'), request.args.get('delay_ms'))
    except Invalid as invalid:
        return json_error(invalid.message, 400, invalid.field)

    def lines():
        for index in range(1, total + 1):
            if index > 1:
                time.sleep(delay / 1000.0)
            yield stream_line(index, total).encode('utf-8')
    return Response(lines(), mimetype='text/plain')


@app.route('/slow')
def slow():
    try:
        wait = slow_param(request.args.get('ms'))
    except Invalid as invalid:
        return json_error(invalid.message, 400, invalid.field)
    time.sleep(wait / 1000.0)  # one of flup's threads sleeps
    answer = {'ms': wait}
    answer.update(process())
    return json_response(answer)


@app.route('/inspect')
def inspect():
    # "nginx/1.18.0": the front server names itself in the FastCGI parameters
    software, _, version = request.environ.get('SERVER_SOFTWARE', '').partition('/')
    return json_response(document('FastCGI', software, version, request_info(request.environ),
                                  request._get_current_object()))


@app.route('/boom')
def boom():
    raise RuntimeError('boom: raised on purpose to show a 500')


MESSAGES = {400: u'the request is not one the guestbook understands',
            404: u'nothing at this path', 405: u'this path does not take that method',
            413: u'the body is over %d bytes' % MAX_BODY,
            415: u'send application/json or application/x-www-form-urlencoded'}


def http_error(problem):
    """Werkzeug's errors (404, 405 with Allow, 413, 415...) as the contract's JSON."""
    response = json_error(MESSAGES.get(problem.code, problem.name), problem.code)
    for name, value in problem.get_headers(request.environ):
        if name.lower() != 'content-type':
            response.headers[name] = value
    return response


for code in (400, 404, 405, 413, 415):
    app.errorhandler(code)(http_error)


@app.errorhandler(500)
def failed(problem):
    traceback.print_exc(file=sys.stderr)  # the log has the traceback; the client, a sentence
    return json_error(u'the guestbook failed; the log says why', 500)


def logged(wsgi_app):
    """Flask 0.1 handles errors only inside the view; anything that escapes it would reach
    flup, whose error page says 200. This answers 500, and the log has the traceback."""
    def middleware(environ, start_response):
        try:
            return wsgi_app(environ, start_response)
        except (KeyboardInterrupt, SystemExit, MemoryError):
            raise
        except:
            traceback.print_exc(file=sys.stderr)
            body = error_body(u'the guestbook failed; the log says why')
            start_response('500 Internal Server Error',
                           [('Content-Type', 'application/json'),
                            ('Content-Length', str(len(body)))], sys.exc_info())
            return [body]
    return middleware


app.wsgi_app = logged(app.wsgi_app)
