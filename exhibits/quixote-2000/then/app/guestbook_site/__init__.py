"""The guestbook as a Quixote 2 application: a tree of Directory objects in a PTL module.

guestbook_scgi.py hands create_publisher to scgi_server.run(); every forked child calls it
once, and its Publisher turns each request's path into a walk through RootDirectory.

Quixote answers a PublishError with a page of its own; the Publisher below makes that page the
guestbook's JSON error, and turns the museum's Invalid (a bad field) into one.
"""
import urllib

from quixote import enable_ptl, get_response
from quixote.errors import MethodNotAllowedError, PublishError, QueryError, RequestError
from quixote.http_request import parse_header
from quixote.publish import Publisher

from guestbook27 import Full, Invalid, content_kind, error_body

enable_ptl()  # from here on, importing a .ptl module compiles its templates


class BadField(QueryError):
    """A 400 that names the field at fault."""

    def __init__(self, message, field=None):
        QueryError.__init__(self, public_msg=message)
        self.field = field


class UnsupportedMediaType(PublishError):
    status_code = 415
    title = "Unsupported media type"

    def __init__(self):
        PublishError.__init__(self, public_msg="send application/json or a UTF-8 urlencoded form")


class InsufficientStorage(PublishError):
    status_code = 507
    title = "Insufficient storage"


def undecodable_field(query):
    """The name of the first query field whose value is not UTF-8, if any."""
    for chunk in filter(None, query.split('&')):
        name, _, value = [urllib.unquote(part.replace('+', ' '))
                          for part in chunk.partition('=')]
        try:
            name.decode('utf-8')
            value.decode('utf-8')
        except UnicodeDecodeError:
            try:
                return name.decode('utf-8')
            except UnicodeDecodeError:
                return None
    return None


class GuestbookPublisher(Publisher):

    def parse_request(self, request):
        # Quixote reads the query and any form body before a page runs.
        ctype = request.get_environ('CONTENT_TYPE')
        if ctype:
            kind, params = parse_header(ctype)
            if kind == 'application/x-www-form-urlencoded' and \
                    params.get('charset', 'utf-8').lower() not in ('utf-8', 'utf8'):
                raise UnsupportedMediaType()
        try:
            Publisher.parse_request(self, request)
        except RequestError, e:
            field = undecodable_field(request.get_query())
            if field is not None:
                raise BadField("%s must be UTF-8 text" % field, field)
            if content_kind(ctype) is None:
                # a multipart body, say: a kind the guestbook never takes
                raise UnsupportedMediaType()
            raise

    def try_publish(self, request):
        try:
            return Publisher.try_publish(self, request)
        except Invalid, e:
            raise BadField(e.message, e.field)
        except Full, e:
            raise InsufficientStorage(public_msg=str(e))

    def format_publish_error(self, exc):
        response = get_response()
        if isinstance(exc, MethodNotAllowedError):
            exc.public_msg = exc.format()     # sets the Allow header
        response.set_content_type('application/json', None)
        return error_body(exc.public_msg or exc.title, getattr(exc, 'field', None))

    def process_request(self, request):
        response = Publisher.process_request(self, request)
        # Quixote 2.8 chunks a body of unknown length itself when the request was HTTP/1.1,
        # as its own HTTP server needs. Behind Apache that framing would reach the client
        # wrapped twice: Apache chunks the response for the client itself.
        response._allow_chunked = False
        return response

    def finish_failed_request(self):
        # The base class logs the traceback to the error log (stderr) and sets 500; the
        # client gets a short JSON error instead of Quixote's HTML page.
        Publisher.finish_failed_request(self)
        response = get_response()
        response.set_header('Content-Type', 'application/json')
        return error_body("the guestbook failed; the traceback is in the log")


def create_publisher():
    from guestbook_site.root import RootDirectory
    # No global method list: each page says what it takes (a 405 lists it in Allow).
    return GuestbookPublisher(RootDirectory(), display_exceptions=None, allowed_methods=None)
