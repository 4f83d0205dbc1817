"""The answers the contract wants that Django does not give by itself."""

from collections.abc import Callable
from urllib.parse import parse_qsl

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed

from guestbook import MAX_BODY, error_body

Handler = Callable[[HttpRequest], HttpResponse]
DRAIN_AT_MOST = 16 * 1024 * 1024


def body_limit(get_response: Handler) -> Handler:
    """413 for a body over 64 KiB, where Django's own limit would raise a 400."""

    def middleware(request: HttpRequest) -> HttpResponse:
        length = request.META.get("CONTENT_LENGTH") or ""
        if length.isdigit() and int(length) > MAX_BODY:
            # Read the body we refuse, so the client reads our answer instead of a reset.
            if int(length) <= DRAIN_AT_MOST:
                stream = request.META["wsgi.input"]
                try:
                    while stream.read(65536):
                        pass
                except OSError:  # the client stopped sending; the answer is the same
                    pass
            return HttpResponse(error_body(f"the body is over {MAX_BODY} bytes"), status=413,
                                content_type="application/json")
        return get_response(request)

    return middleware


def json_not_allowed(get_response: Handler) -> Handler:
    """require_http_methods answers 405 with Allow and an empty body: give it the error JSON."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if isinstance(response, HttpResponseNotAllowed):
            response.content = error_body(f"{request.method} is not allowed here").encode()
            response["Content-Type"] = "application/json"
        return response

    return middleware


def strict_query(get_response: Handler) -> Handler:
    """Django decodes the query string with errors="replace" (`?name=%ff` is U+FFFD); the
    contract wants a 400 naming the field instead."""

    def middleware(request: HttpRequest) -> HttpResponse:
        for field in request.META.get("QUERY_STRING", "").split("&"):
            try:
                parse_qsl(field, keep_blank_values=True, encoding="utf-8", errors="strict")
            except UnicodeDecodeError:
                name = parse_qsl(field, keep_blank_values=True, errors="replace")
                return HttpResponse(
                    error_body("the query string is not UTF-8", name[0][0] if name else None),
                    status=400, content_type="application/json")
        return get_response(request)

    return middleware
