# What the contract asks that Django 1.1 does not do by itself.
import re
import sys
import traceback
import urllib

from django.core.signals import got_request_exception
from django.http import HttpResponse

import guestbook27 as contract

SURROGATE = re.compile(u'[\ud800-\udfff]')


def log_traceback(sender, **kwargs):
    """With DEBUG off Django mails tracebacks to ADMINS; here they go to stderr."""
    traceback.print_exc(file=sys.stderr)

got_request_exception.connect(log_traceback)


def undecodable_field(query_string):
    """The name of the first query field that is not UTF-8 once unquoted, or None."""
    for field in query_string.split('&'):
        name, _, value = field.partition('=')
        try:
            for part in (name, value):
                contract.utf8(urllib.unquote(part.replace('+', ' ')))
        except UnicodeDecodeError:
            return contract.utf8(urllib.unquote(name), 'replace')
    return None


class ContractMiddleware(object):

    def process_request(self, request):
        # Python 2.7 decodes UTF-8-encoded surrogates (/hello/%ed%a0%80) without complaint.
        if SURROGATE.search(request.path_info):
            return HttpResponse(contract.error_body(u'the path is not UTF-8'),
                                mimetype='application/json', status=400)
        # QueryDict decodes with errors='replace'; the contract wants a 400 instead.
        field = undecodable_field(request.META.get('QUERY_STRING', ''))
        if field is not None:
            return HttpResponse(contract.error_body(u'the query string is not UTF-8', field),
                                mimetype='application/json', status=400)
        length = request.META.get('CONTENT_LENGTH') or '0'
        if length.isdigit() and int(length) > contract.MAX_BODY:
            return HttpResponse(contract.error_body(
                u'the body is over %d bytes' % contract.MAX_BODY),
                mimetype='application/json', status=413)
        return None

    def process_response(self, request, response):
        # require_http_methods answers 405 with Allow but no body: give it the error JSON.
        if response.status_code == 405 and not response.content:
            response.content = contract.error_body(u'%s is not allowed here' % request.method)
            response['Content-Type'] = 'application/json'
        return response
