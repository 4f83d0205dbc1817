"""The guestbook in TurboGears 2, minimal mode: a tree of controllers published by object dispatch.

The URL is a path through controller attributes (Crank's ObjectDispatcher, TurboGears' heir to
CherryPy's publishing); @expose makes a method reachable, names the template or renderer of its
result and the HTTP methods it takes.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator
from importlib.metadata import version
from typing import Any

from tg import MinimalApplicationConfigurator, TGController, abort, expose, request, response
from tg.appwrappers.base import ApplicationWrapper
from waitress import serve

from guestbook import MAX_BODY, Invalid, Store
from guestbook.exhibit import identity
from guestbook.native import document, process
from guestbook.page import STYLE
from guestbook.rules import (
    check_paging,
    content_kind,
    entry_from_body,
    error_body,
    slow_param,
    stream_line,
    stream_params,
)
from guestbook.store import Full
from guestbook.wsgi import request_info

log = logging.getLogger("guestbook")
store = Store()
READ = ["GET", "HEAD"]


class GuestbookController(TGController):
    @expose("json", allowed_methods=[*READ, "POST"])
    def index(self, limit: str | None = None, offset: str | None = None,
              **posted: Any) -> dict[str, Any]:
        if request.method == "POST":
            return self.sign()
        first, skip = check_paging(limit, offset)
        page, total = store.page(first, skip)
        return {"entries": [e.as_dict() for e in page], "total": total}

    @expose("json", allowed_methods=READ)
    def _default(self, entry_id: str, *rest: str) -> dict[str, Any]:
        found = store.get(int(entry_id)) if entry_id.isdigit() and not rest else None
        if found is None:
            abort(404, f"There is no entry {entry_id}.")
        return found.as_dict()

    def sign(self) -> dict[str, Any]:
        kind = content_kind(request.content_type)
        if kind is None:
            abort(415, "Send application/json or a urlencoded form.")
        if (request.content_length or 0) > MAX_BODY or len(request.body) > MAX_BODY:
            abort(413, "The body is over 64 KiB.")
        try:
            signed = store.add(*entry_from_body(request.content_type, request.body))
        except Full:
            abort(507, "The guestbook's storage is full; nothing was stored.")
        response.status_code, response.location = (303, "/") if kind == "form" else (
            201, signed.location)
        return signed.as_dict()


class RootController(TGController):
    guestbook = GuestbookController()

    @expose("kajiki:templates.index", allowed_methods=READ)
    def index(self) -> dict[str, Any]:
        entries, total = store.page(20, 0)
        return {"exhibit": identity(), "entries": entries, "total": total, "style": STYLE}

    @expose(content_type="text/plain", allowed_methods=READ)
    def hello(self, name: str = "World", *rest: str) -> str:
        return f"Hello, {name}!"

    @expose(allowed_methods=READ)
    def stream(self, chunks: str | None = None, delay_ms: str | None = None) -> Any:
        total, delay = stream_params(chunks, delay_ms)

        def lines() -> Iterator[bytes]:
            for index in range(1, total + 1):
                if index > 1:
                    time.sleep(delay / 1000)
                yield stream_line(index, total).encode()
        response.content_type, response.charset = "text/plain", "utf-8"
        response.app_iter = lines()
        return response

    @expose("json", allowed_methods=READ)
    def slow(self, ms: str | None = None) -> dict[str, Any]:
        wait = slow_param(ms)
        time.sleep(wait / 1000)  # one of waitress's four threads sleeps
        return {"ms": wait, **process()}

    @expose("json", allowed_methods=READ)
    def inspect(self, **params: Any) -> dict[str, Any]:
        software = request.environ["SERVER_SOFTWARE"]  # "waitress"; its version is its package's
        return document(
            interface="WSGI", software=software, version=version(software),
            request=request_info(request.environ),  # the WSGI environ the WebOb request wraps
            native=request._current_obj())  # the Request behind TurboGears' request proxy

    @expose()
    def boom(self) -> str:
        raise RuntimeError("boom: raised on purpose to show a 500")


TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+\Z")
HOST = re.compile(r"(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]*)(:[0-9]*)?\Z")
CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
LONGEST = 32 * 1024  # a URL or header longer than this is refused (414, 431)


def refused(environ: dict[str, Any]) -> tuple[int, str] | None:
    """What waitress lets through and HTTP forbids: a version other than 1.0 and 1.1, a
    target that is not a path, no Host (or a malformed or doubled one) in HTTP/1.1, a header
    over 32 KiB, a URL over 32 KiB."""
    protocol = environ.get("SERVER_PROTOCOL", "")
    if protocol not in ("HTTP/1.0", "HTTP/1.1"):
        if re.fullmatch(r"HTTP/\d\.\d", protocol):
            return 505, f"{protocol} is not spoken here."
        return 400, "The request line is malformed."
    target = environ.get("REQUEST_URI", "")
    if not target.startswith(("/", "*", "http://", "https://")):
        return 400, "The request target is not a path."
    if len(target) > LONGEST:
        return 414, "The URL is too long."
    host = environ.get("HTTP_HOST")
    if (host is None and protocol == "HTTP/1.1") or (host is not None and not HOST.match(host)):
        return 400, "HTTP/1.1 needs one well-formed Host header."
    for key, value in environ.items():
        if key.startswith("HTTP_") and (not TOKEN.match(key[5:]) or CONTROL.search(value)):
            return 400, "A header is malformed."
        if key.startswith("HTTP_") and len(value) > LONGEST:
            return 431, "A header is too large."
    return None


def declared_charset(content_type: str | None) -> str | None:
    for parameter in (content_type or "").split(";")[1:]:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip('"').lower()
    return None


class RefuseBadInput(ApplicationWrapper):
    """An application wrapper: input WebOb cannot decode is refused before dispatch. Crank
    decodes the path as UTF-8 and raised on /hello/%ff (a 500); WebOb refuses a form that
    declares another charset by raising DeprecationWarning (a 500 too)."""

    def __call__(self, controller: Any, environ: dict[str, Any], context: Any) -> Any:
        problem = refused(environ)
        if problem is not None:
            return self.refuse(context, *problem)
        try:
            environ.get("PATH_INFO", "").encode("latin-1").decode("utf-8")
        except UnicodeError:
            return self.refuse(context, 400, "The path is not valid UTF-8 once percent-decoded.")
        if declared_charset(environ.get("CONTENT_TYPE")) not in (None, "utf-8"):
            return self.refuse(context, 415, "Send the form as UTF-8.")
        return self.next_handler(controller, environ, context)

    @staticmethod
    def refuse(context: Any, status: int, message: str) -> Any:
        answer = context.response
        answer.status_code, answer.content_type = status, "application/json"
        answer.text = error_body(message)
        return answer


class JSONErrors(ApplicationWrapper):
    """An application wrapper: the guestbook's errors as the contract's JSON, keeping the
    headers TurboGears set (Allow on a 405), and a 500 whose traceback goes to the log."""

    def __call__(self, controller: Any, environ: dict[str, Any], context: Any) -> Any:
        try:
            answer = self.next_handler(controller, environ, context)
        except Invalid as problem:
            answer = context.response
            answer.status_code, answer.content_type = 400, "application/json"
            answer.text = problem.body()
            return answer
        except Exception:
            log.exception("%s %s failed", environ["REQUEST_METHOD"], environ["PATH_INFO"])
            answer = context.response
            answer.status_code, answer.content_type = 500, "application/json"
            answer.text = error_body("The server failed; the log has the details.")
            return answer
        if answer.status_code >= 400 and answer.content_type != "application/json":
            message = getattr(answer, "detail", None) or answer.status
            answer.content_type, answer.charset = "application/json", "utf-8"
            answer.text = error_body(message)
        return answer


class AccessLog(ApplicationWrapper):
    """waitress logs no requests, so a wrapper around every request does."""

    def __call__(self, controller: Any, environ: dict[str, Any], context: Any) -> Any:
        answer = self.next_handler(controller, environ, context)
        query = environ.get("QUERY_STRING")
        log.info('%s "%s %s%s" %s', environ.get("REMOTE_ADDR"), environ["REQUEST_METHOD"],
                 environ.get("PATH_INFO"), f"?{query}" if query else "", answer.status_code)
        return answer


config = MinimalApplicationConfigurator()
config.update_blueprint({
    "root_controller": RootController(),
    "renderers": ["json", "kajiki"],
})
config.register_application_wrapper(RefuseBadInput)
config.register_application_wrapper(JSONErrors)
config.register_application_wrapper(AccessLog)
application = config.make_wsgi_app()

if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    # channel_timeout 10 s, not 120: a body that never arrives (shorter than its
    # Content-Length, or a chunk size larger than anything sent) ends in a close within seconds
    serve(application, listen="0.0.0.0:8000", threads=4, channel_timeout=10,
          cleanup_interval=5)
