# The guestbook's views: plain functions of a request that return an HttpResponse.
import time

from django.contrib.csrf.middleware import csrf_exempt
from django.db import DatabaseError, transaction
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render_to_response
from django.utils import simplejson
from django.views.decorators.http import require_http_methods

import guestbook27 as contract
from guestbook.models import Entry

JSON = 'application/json'
TEXT = 'text/plain; charset=utf-8'


class HttpResponseSeeOther(HttpResponseRedirect):
    status_code = 303


def json_response(data, status=200):
    return HttpResponse(simplejson.dumps(data), mimetype=JSON, status=status)


def error(status, message, field=None):
    return HttpResponse(contract.error_body(message, field), mimetype=JSON, status=status)


def invalid(problem):
    return error(400, problem.message, problem.field)


@require_http_methods(['GET', 'HEAD'])
def index(request):
    return render_to_response('guestbook/index.html', {
        'exhibit': contract.identity(),
        'style': contract.STYLE,
        'entries': Entry.objects.all()[:20],
        'total': Entry.objects.count(),
    })


@require_http_methods(['GET', 'HEAD'])
def hello(request, name=None):
    if name is None:
        name = request.GET.get('name') or u'World'
    return HttpResponse(u'Hello, %s!' % name, mimetype=TEXT)


@csrf_exempt
@require_http_methods(['GET', 'HEAD', 'POST'])
def guestbook(request):
    if request.method == 'POST':
        return sign(request)
    try:
        limit, offset = contract.check_paging(request.GET.get('limit'),
                                              request.GET.get('offset'))
    except contract.Invalid, problem:
        return invalid(problem)
    entries = Entry.objects.all()[offset:offset + limit]
    return json_response({'entries': [e.as_dict() for e in entries],
                          'total': Entry.objects.count()})


def sign(request):
    content_type = request.META.get('CONTENT_TYPE', '')
    kind = contract.content_kind(content_type)
    if kind is None:
        return error(415, u'send application/json or application/x-www-form-urlencoded')
    if not utf8_or_undeclared(content_type):
        return error(415, u'send the body as UTF-8')
    try:
        name, message = contract.entry_from_body(content_type, request.raw_post_data)
    except contract.Invalid, problem:
        return invalid(problem)
    try:
        entry = Entry.objects.create(name=name, message=message)
    except DatabaseError, problem:
        transaction.rollback_unless_managed()
        if str(problem) != contract.DISK_FULL:
            raise
        return error(507, u"the guestbook's storage is full; nothing was stored")
    if kind == 'form':
        return HttpResponseSeeOther('/')
    response = json_response(entry.as_dict(), status=201)
    response['Location'] = entry.get_absolute_url()
    return response


def utf8_or_undeclared(content_type):
    for parameter in content_type.split(';')[1:]:
        key, _, value = parameter.partition('=')
        if key.strip().lower() == 'charset':
            return value.strip().strip('"').lower() in ('utf-8', 'utf8')
    return True


@require_http_methods(['GET', 'HEAD'])
def entry(request, entry_id):
    entry_id = int(entry_id)
    if entry_id >= 2 ** 63:  # past SQLite's integers: no such entry, not an overflow
        raise Http404
    return json_response(get_object_or_404(Entry, pk=entry_id).as_dict())


@require_http_methods(['GET', 'HEAD'])
def inspect(request):
    meta = request.META
    software, _, version = meta.get('SERVER_SOFTWARE', '').partition('/')
    return json_response(contract.document('FastCGI', software, version, {
        'method': request.method,
        'path': request.path,
        'query': contract.latin1(meta.get('QUERY_STRING', '')),
        'headers': contract.cgi_headers(meta),
        'http_version': meta.get('SERVER_PROTOCOL', '').partition('/')[2],
        'scheme': meta.get('wsgi.url_scheme', 'http'),
        'client': meta.get('REMOTE_ADDR', ''),
    }, meta))


@require_http_methods(['GET', 'HEAD'])
def stream(request):
    try:
        chunks, delay_ms = contract.stream_params(request.GET.get('chunks'),
                                                  request.GET.get('delay_ms'))
    except contract.Invalid, problem:
        return invalid(problem)
    # An iterator as the content: Django hands it to flup line by line, unread.
    return HttpResponse(contract.paced_lines(chunks, delay_ms), mimetype=TEXT)


@require_http_methods(['GET', 'HEAD'])
def slow(request):
    try:
        ms = contract.slow_param(request.GET.get('ms'))
    except contract.Invalid, problem:
        return invalid(problem)
    time.sleep(ms / 1000.0)  # this flup child sleeps and serves no one else meanwhile
    answer = contract.process()
    answer['ms'] = ms
    return json_response(answer)


def boom(request):
    raise RuntimeError('boom: the view raised on purpose')


def not_found(request):
    return error(404, u'nothing at %s' % request.path)


def server_error(request):
    return error(500, u'the server failed; the traceback is in its log')
