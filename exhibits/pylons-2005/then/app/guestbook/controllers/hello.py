import logging

from pylons import request, response, session, tmpl_context as c
from pylons.controllers.util import abort, redirect_to
from pylons.decorators.rest import restrict

from guestbook.lib.base import BaseController, render

log = logging.getLogger(__name__)

class HelloController(BaseController):

    @restrict('GET', 'HEAD')
    def index(self, name=None):
        response.content_type = 'text/plain'
        if name is None:
            name = request.GET.get('name', u'World')
        return u'Hello, %s!' % name
