"""The guestbook in Flask: view functions on routes, with request and the app in contexts.

`request` is a proxy to the request of the current context; `jsonify` and `render_template`
build responses; Werkzeug routes and parses underneath, Jinja2 renders the page.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from urllib.parse import parse_qsl

from flask import Flask, Response, jsonify, render_template, request, stream_with_context
from werkzeug.exceptions import BadRequest, HTTPException, NotFound, UnsupportedMediaType

from guestbook import MAX_BODY, Full, Invalid, Store, check_entry, check_paging, content_kind
from guestbook.exhibit import identity
from guestbook.native import document, process
from guestbook.page import STYLE
from guestbook.rules import error_body, slow_param, stream_line, stream_params

app = Flask(__name__)
app.config["MAX_CONTENT_LENGTH"] = MAX_BODY  # Werkzeug answers 413 when the body is larger

store = Store()

TEXT = "text/plain"  # Flask adds "; charset=utf-8" to text mimetypes


@app.errorhandler(Invalid)
def invalid(problem: Invalid) -> tuple[Response, int]:
    return app.response_class(problem.body(), mimetype="application/json"), 400


@app.errorhandler(HTTPException)
def http_error(problem: HTTPException) -> Response:
    """Werkzeug's errors (404, 405 with Allow, 413, 500...) as the contract's JSON."""
    response = problem.get_response()
    response.data = error_body(problem.description or problem.name).encode()
    response.content_type = "application/json"
    return response


@app.before_request
def refuse_bytes_that_are_not_utf8() -> Response | None:
    """Werkzeug reads a URL's bytes that are not UTF-8 as U+FFFD, or leaves their escapes in
    place: the path and the query are the client's to get right, and a 400 says so."""
    environ = request.environ
    try:
        environ.get("PATH_INFO", "").encode("latin-1").decode("utf-8")
        parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True, errors="strict")
    except UnicodeError:
        return app.response_class(error_body("the URL is not UTF-8"), status=400,
                                  mimetype="application/json")
    return None


def body() -> bytes:
    """The whole body, read once. The server decodes a chunked body as the app reads it, and
    a framing it cannot decode (a size that is not hex, a missing CRLF...) surfaces here, as
    the server's own exception: that is the client's mistake, a 400, whatever the server."""
    try:
        data = request.get_data()
    except HTTPException:
        raise
    except Exception:
        raise BadRequest("the body's framing could not be read") from None
    if request.content_length is not None and len(data) < request.content_length:
        raise BadRequest("the body is shorter than its Content-Length")
    return data


def utf8_form(data: bytes) -> None:
    """Werkzeug decodes a form's bytes that are not UTF-8 as U+FFFD: refuse them instead."""
    try:
        parse_qsl(data.decode("ascii"), keep_blank_values=True, errors="strict")
    except UnicodeError:
        raise Invalid("the form is not valid UTF-8 urlencoded data") from None


@app.get("/")
def index() -> str:
    entries, total = store.page(20, 0)
    return render_template("index.html", exhibit=identity(), entries=entries, total=total,
                           style=STYLE)


@app.get("/hello")
@app.get("/hello/<name>")
def hello(name: str | None = None) -> Response:
    name = name or request.args.get("name") or "World"
    return Response(f"Hello, {name}!", mimetype=TEXT)


@app.get("/guestbook")
def entries() -> Response:
    limit, offset = check_paging(request.args.get("limit"), request.args.get("offset"))
    page, total = store.page(limit, offset)
    return jsonify(entries=[e.as_dict() for e in page], total=total)


@app.get("/guestbook/<int:entry_id>")
def entry(entry_id: int) -> Response:
    found = store.get(entry_id)
    if found is None:
        raise NotFound(f"There is no entry {entry_id}.")
    return jsonify(found.as_dict())


@app.post("/guestbook")
def sign() -> tuple[Response, int, dict[str, str]]:
    kind = content_kind(request.content_type)
    if kind is None:
        raise UnsupportedMediaType("Send application/json or a urlencoded form.")
    data = body()
    if kind == "json":
        try:
            data.decode("utf-8")  # get_json would also take UTF-16 and UTF-32
            document = request.get_json()  # Flask answers 400 itself when it is malformed
        except (UnicodeDecodeError, RecursionError):
            raise Invalid("the body is not valid JSON") from None
        if not isinstance(document, dict):
            raise Invalid("the body must be a JSON object")
        name, message = check_entry(document.get("name"), document.get("message"))
    else:
        utf8_form(data)
        name, message = check_entry(request.form.get("name"), request.form.get("message"))
    try:
        signed = store.add(name, message)
    except Full as full:  # the disk is full: nothing stored is lost, and this post waits
        return jsonify(error=str(full)), 507, {}
    if kind == "form":
        return jsonify(id=signed.id), 303, {"Location": "/"}
    return jsonify(signed.as_dict()), 201, {"Location": signed.location}


@app.get("/stream")
def stream() -> Response:
    total, delay = stream_params(request.args.get("chunks"), request.args.get("delay_ms"))

    @stream_with_context
    def lines() -> Iterator[str]:
        for index in range(1, total + 1):
            if index > 1:
                time.sleep(delay / 1000)
            yield stream_line(index, total)
    return Response(lines(), mimetype=TEXT)


@app.get("/slow")
def slow() -> Response:
    wait = slow_param(request.args.get("ms"))
    time.sleep(wait / 1000)  # this whole worker process sleeps
    return jsonify(ms=wait, **process())


@app.get("/inspect")
def inspect() -> Response:
    software, _, version = request.environ["SERVER_SOFTWARE"].partition("/")
    return jsonify(document(
        interface="WSGI", software=software, version=version,
        request={
            "method": request.method,
            "path": request.path,
            "query": request.query_string.decode("latin-1"),
            "headers": {k.lower(): v for k, v in request.headers.items()},
            "http_version": request.environ["SERVER_PROTOCOL"].partition("/")[2],
            "scheme": request.scheme,
            "client": request.remote_addr,
        },
        native=request._get_current_object()))  # the Request behind the context-local proxy


@app.get("/boom")
def boom() -> str:
    raise RuntimeError("boom: raised on purpose to show a 500")
