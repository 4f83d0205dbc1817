"""The guestbook published by Quixote: a tree of Directory objects, served over SCGI.

`python -m quixote.server.scgi_server --factory guestbook_site.create_publisher` calls
create_publisher() once in every preforked child; the Publisher then turns each request's
path into a walk through RootDirectory.
"""

from quixote import enable_ptl, get_response
from quixote.errors import MethodNotAllowedError, PublishError, RequestError
from quixote.publish import Publisher

from guestbook import Full, Invalid, content_kind, error_body

enable_ptl()  # from here on, importing a .ptl module compiles its templates


class Refused(PublishError):
    """A 4xx the contract names; the publisher answers it as a JSON error."""

    def __init__(self, status: int, message: str, field: str | None = None) -> None:
        super().__init__(public_msg=message)
        self.status_code = status
        self.field = field


def unsupported() -> Refused:
    return Refused(415, "send application/json or a UTF-8 urlencoded form")


def charset(content_type: str) -> str:
    """The charset a Content-Type declares, lower-cased; "" when none."""
    for param in content_type.split(";")[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip('"').lower()
    return ""


class GuestbookPublisher(Publisher):
    def parse_request(self, request):
        # Quixote reads a form body in the charset it declares, before any page runs; the
        # guestbook takes UTF-8 only.
        content_type = request.get_header("Content-Type") or ""
        if content_kind(content_type) == "form" and \
                charset(content_type) not in ("", "utf-8", "utf8"):
            raise unsupported()
        # Quixote reads multipart bodies before any page runs. The guestbook takes none, so a
        # body it cannot parse, of a kind the guestbook never takes, is a 415, not a 400.
        try:
            super().parse_request(request)
        except RequestError:
            if content_kind(request.get_header("Content-Type")) is None:
                raise unsupported() from None
            raise

    def try_publish(self, request):
        try:
            return super().try_publish(request)
        except Invalid as e:
            raise Refused(400, e.message, e.field) from None
        except Full as e:
            raise Refused(507, str(e)) from None

    def process_request(self, request):
        response = super().process_request(request)
        # Quixote chunks a body of unknown length itself when the request was HTTP/1.1, as its
        # own HTTP servers need. Over SCGI nginx reads the body as it comes and does the
        # chunking for the client, so Quixote's framing would reach the client wrapped twice.
        response._allow_chunked = False
        return response

    def format_publish_error(self, exc):
        if isinstance(exc, MethodNotAllowedError):
            exc.format()  # sets the Allow header
        get_response().set_content_type("application/json", "utf-8")
        return error_body(exc.public_msg or exc.title, getattr(exc, "field", None))


def create_publisher() -> Publisher:
    from guestbook_site.root import RootDirectory

    # No global method list: each page says what it takes (a 405 lists it in Allow).
    return GuestbookPublisher(RootDirectory(), display_exceptions=False, allowed_methods=None)
