"""The base Controller API

Provides the BaseController class for subclassing.
"""
import logging
import socket

import guestbook27 as gb
from pylons import request, response
from pylons.controllers import WSGIController
from pylons.templating import render_mako as render

log = logging.getLogger(__name__)

class BaseController(WSGIController):

    def __call__(self, environ, start_response):
        """Invoke the Controller"""
        # WSGIController.__call__ dispatches to the Controller method
        # the request is routed to. This routing information is
        # available in environ['pylons.routes_dict']
        try:
            return WSGIController.__call__(self, environ, start_response)
        except Exception:
            # WebError's ErrorMiddleware answers 500 and prints its own report; the log gets
            # Python's traceback as well.
            log.error('the action raised', exc_info=True)
            raise

    def _json(self, document, status=200):
        """A JSON answer; the error documents leave it as it is."""
        request.environ['pylons.status_code_redirect'] = True
        response.status_int = status
        response.content_type = 'application/json'
        return gb.json_text(document).encode('utf-8')

    def _error(self, status, message, field=None):
        request.environ['pylons.status_code_redirect'] = True
        response.status_int = status
        response.content_type = 'application/json'
        return gb.error_body(message, field)

    def _body(self):
        """The request body (CONTENT_LENGTH bytes of wsgi.input), or None when it never
        arrives: paste.httpserver's socket_timeout ends the wait."""
        try:
            return request.body
        except (socket.error, IOError):
            return None
