import guestbook27 as gb
from pylons import request, response

from guestbook.lib.base import BaseController

MESSAGES = {
    400: u'the request is malformed',
    401: u'this guestbook has no logins',
    403: u'forbidden',
    404: u'no such page in this guestbook',
    405: u'this path does not take that method',
    500: u'the guestbook failed; the traceback is in the log',
}

class ErrorController(BaseController):

    """Generates error documents as and when they are required.

    The ErrorDocuments middleware forwards to ErrorController when error
    related status codes are returned from the application.

    This behaviour can be altered by changing the parameters to the
    ErrorDocuments middleware in your config/middleware.py file.

    The guestbook's error documents are its contract's JSON: a JSON body the action wrote
    stays as it is, any other (Routes' 404, WebError's 500, restrict's 405) becomes one.
    The generated document() pasted the original body into HTML unescaped.
    """

    def document(self):
        """Render the error document"""
        resp = request.environ.get('pylons.original_response')
        response.content_type = 'application/json'
        if resp is None:  # /error/document asked for directly
            response.status_int = 404
            return gb.error_body(MESSAGES[404])
        if 'Allow' in resp.headers:
            response.headers['Allow'] = resp.headers['Allow']
        if resp.content_type == 'application/json':
            return resp.body
        return gb.error_body(MESSAGES.get(resp.status_int, resp.status))
