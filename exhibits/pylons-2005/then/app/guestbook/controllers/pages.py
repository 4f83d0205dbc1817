import logging

import guestbook27 as gb
from pylons import request, response, session, tmpl_context as c
from pylons.controllers.util import abort, redirect_to
from pylons.decorators.rest import restrict

from guestbook.lib.base import BaseController, render
from guestbook.model import store

log = logging.getLogger(__name__)

class PagesController(BaseController):

    @restrict('GET', 'HEAD')
    def index(self):
        c.exhibit, c.style = gb.identity(), gb.STYLE
        c.entries, c.total = store.page(20, 0)
        return render('/index.mako')
