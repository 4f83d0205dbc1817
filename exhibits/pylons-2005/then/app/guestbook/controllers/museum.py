import logging
import platform
import time

import guestbook27 as gb
import paste.httpserver
import pkg_resources
from pylons import request, response, session, tmpl_context as c
from pylons.controllers.util import abort, redirect_to
from pylons.decorators.rest import restrict

from guestbook.lib.base import BaseController, render
from guestbook.model import posted, store

log = logging.getLogger(__name__)

EVENTS_KEEPALIVE = 3.0   # a comment this often: a failed write is how we learn the client left
EVENTS_LIFETIME = 600.0  # then the stream ends; EventSource reconnects with Last-Event-ID

class MuseumController(BaseController):
    """The routes the contract adds: /stream, /slow, /events, /inspect and /boom."""

    @restrict('GET', 'HEAD')
    def stream(self):
        try:
            chunks, delay_ms = gb.stream_params(request.GET.get('chunks'),
                                                request.GET.get('delay_ms'))
        except gb.Invalid, error:
            return self._error(400, error.message, error.field)
        response.content_type = 'text/plain'
        # An action may return an iterator: Pylons hands it to the server as the WSGI body,
        # and paste.httpserver writes each block as it comes.
        return gb.paced_lines(chunks, delay_ms)

    @restrict('GET', 'HEAD')
    def slow(self):
        try:
            ms = gb.slow_param(request.GET.get('ms'))
        except gb.Invalid, error:
            return self._error(400, error.message, error.field)
        time.sleep(ms / 1000.0)
        document = gb.process()
        document['ms'] = ms
        return self._json(document)

    @restrict('GET', 'HEAD')
    def events(self):
        response.content_type = 'text/event-stream'
        response.headers['Cache-Control'] = 'no-cache'
        last = store.last_id()

        def announce():
            yield gb.LISTENING.encode('utf-8')
            seen, started = last, time.time()
            while time.time() - started < EVENTS_LIFETIME:
                posted.acquire()
                try:
                    posted.wait(EVENTS_KEEPALIVE)
                finally:
                    posted.release()
                fresh = store.after(seen)
                for entry in fresh:
                    yield gb.event(entry).encode('utf-8')
                    seen = entry.id
                if not fresh:
                    yield gb.KEEPALIVE.encode('utf-8')
        return announce()

    @restrict('GET', 'HEAD')
    def inspect(self):
        environ = request.environ
        # paste.httpserver puts no SERVER_SOFTWARE in the environ; its handler calls itself
        # PasteWSGIServer/0.5 (a version of its own) in the Server header. The server is
        # Paste's, at the version of the Paste distribution that runs.
        software = paste.httpserver.WSGIHandler.server_version.split('/')[0]
        if software == 'PasteWSGIServer':
            software = 'Paste'
        version = pkg_resources.get_distribution('Paste').version
        return self._json(gb.document('WSGI', software, version, gb.request_info(environ),
                                      environ))

    @restrict('GET', 'HEAD')
    def boom(self):
        raise RuntimeError('boom: the guestbook raised on purpose (contract rule 10.1)')
