import logging

import guestbook27 as gb
from pylons import request, response, session, tmpl_context as c
from pylons.controllers.util import abort, redirect_to
from pylons.decorators.rest import restrict

from guestbook.lib.base import BaseController, render
from guestbook.model import posted, store

log = logging.getLogger(__name__)

class EntriesController(BaseController):

    @restrict('GET', 'HEAD', 'POST')
    def index(self):
        if request.method == 'POST':
            return self._sign()
        try:
            limit, offset = gb.check_paging(request.GET.get('limit'),
                                            request.GET.get('offset'))
        except gb.Invalid, error:
            return self._error(400, error.message, error.field)
        entries, total = store.page(limit, offset)
        return self._json({'entries': [e.as_dict() for e in entries], 'total': total})

    def _sign(self):
        content_type = request.environ.get('CONTENT_TYPE', '')
        kind = gb.content_kind(content_type)
        if kind is None:
            return self._error(415, u'send application/json or '
                               u'application/x-www-form-urlencoded')
        charset = content_type.lower().partition('charset=')[2].strip()
        if kind == 'form' and charset not in ('', 'utf-8', 'utf8'):
            return self._error(415, u'a form must be UTF-8, not %s' % charset)
        length = int(request.environ.get('CONTENT_LENGTH') or 0)  # digits: RequestGuard
        if length > gb.MAX_BODY:
            return self._error(413, u'the body is over %d bytes' % gb.MAX_BODY)
        body = self._body()
        if body is None or len(body) < length:
            return self._error(400, u'the body is shorter than its Content-Length')
        try:
            name, message = gb.entry_from_body(content_type, body)
        except gb.Invalid, error:
            return self._error(400, error.message, error.field)
        try:
            entry = store.add(name, message)
        except gb.Full, error:
            return self._error(507, unicode(error))
        log.info('entry %d signed by %r', entry.id, entry.name)
        posted.acquire()
        try:
            posted.notifyAll()  # wake every /events listener
        finally:
            posted.release()
        if kind == 'form':
            request.environ['pylons.status_code_redirect'] = True
            response.status_int = 303
            response.headers['Location'] = '/'
            response.content_type = 'text/plain'
            return ''
        response.headers['Location'] = str(entry.location)
        return self._json(entry.as_dict(), 201)

    @restrict('GET', 'HEAD')
    def show(self, id):
        entry = None
        if gb._DIGITS.match(id):
            entry = store.get(int(id))
        if entry is None:
            return self._error(404, u'no entry %s' % id)
        return self._json(entry.as_dict())
