import json
import sqlite3
import time
from collections.abc import Iterator
from urllib.parse import parse_qsl

from django.db import OperationalError
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
    StreamingHttpResponse,
    UnreadablePostError,
)
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from guestbook import Invalid, check_paging, content_kind, error_body
from guestbook.exhibit import identity
from guestbook.native import document, process
from guestbook.page import STYLE
from guestbook.rules import slow_param, stream_line, stream_params
from mysite.guestbook.forms import EntryForm
from mysite.guestbook.models import Entry


class HttpResponseSeeOther(HttpResponseRedirect):
    status_code = 303


def error(status: int, message: str, field: str | None = None) -> HttpResponse:
    return HttpResponse(error_body(message, field), status=status,
                        content_type="application/json")


def invalid(problem: Invalid) -> HttpResponse:
    return error(400, problem.message, problem.field)


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "guestbook/index.html", {
        "exhibit": identity(),
        "style": STYLE,
        "form": EntryForm(),
        "entries": Entry.objects.all()[:20],
        "total": Entry.objects.count(),
    })


@require_safe
def hello(request: HttpRequest, name: str | None = None) -> HttpResponse:
    name = name or request.GET.get("name") or "World"
    return HttpResponse(f"Hello, {name}!", content_type="text/plain; charset=utf-8")


@require_http_methods(["GET", "HEAD", "POST"])
def guestbook(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return sign(request)
    try:
        limit, offset = check_paging(request.GET.get("limit"), request.GET.get("offset"))
    except Invalid as problem:
        return invalid(problem)
    entries = Entry.objects.all()[offset:offset + limit]
    return JsonResponse({"entries": [e.as_json() for e in entries],
                         "total": Entry.objects.count()})


def sign(request: HttpRequest) -> HttpResponse:
    kind = content_kind(request.content_type)
    if kind is None:
        return error(415, "send application/json or application/x-www-form-urlencoded")
    if request.content_params.get("charset", "utf-8").lower() not in ("utf-8", "utf8"):
        return error(415, "send the body as UTF-8")
    try:
        body = request.body
    except UnreadablePostError:  # the client stopped short of its Content-Length
        return error(400, "the body ended before its Content-Length")
    if len(body) < int(request.META.get("CONTENT_LENGTH") or 0):
        return error(400, "the body ended before its Content-Length")
    if kind == "json":
        try:
            # UTF-8 only: json.loads would guess UTF-16 or UTF-32 from the bytes.
            fields = json.loads(body.decode("utf-8"))
        except (ValueError, RecursionError):
            return error(400, "the body is not valid JSON")
        if not isinstance(fields, dict):
            return error(400, "the body must be a JSON object")
        form = EntryForm(fields)
    else:
        # request.POST decodes with errors="replace"; bad UTF-8 is a 400 instead.
        try:
            parse_qsl(body.decode("ascii"), keep_blank_values=True, errors="strict")
        except (UnicodeDecodeError, ValueError):
            return error(400, "the form is not valid UTF-8 urlencoded data")
        form = EntryForm(request.POST)
    if not form.is_valid():
        field, messages = next(iter(form.errors.items()))
        return error(400, f"{field}: {messages[0]}", field)
    try:
        entry = form.save()
    except OperationalError as problem:
        cause = problem.__cause__
        if getattr(cause, "sqlite_errorcode", None) != sqlite3.SQLITE_FULL:
            raise
        return error(507, "the guestbook's storage is full; nothing was stored")
    if kind == "form":
        return HttpResponseSeeOther(reverse("index"))
    return JsonResponse(entry.as_json(), status=201,
                        headers={"Location": reverse("entry", args=[entry.id])})


@require_safe
def entry(request: HttpRequest, entry_id: int) -> HttpResponse:
    return JsonResponse(get_object_or_404(Entry, pk=entry_id).as_json())


@require_safe
def inspect(request: HttpRequest) -> JsonResponse:
    meta = request.META
    software, _, version = meta.get("SERVER_SOFTWARE", "").partition("/")
    return JsonResponse(document(
        interface="WSGI",
        software=software,
        version=version,
        request={
            "method": request.method,
            "path": request.path,
            "query": meta.get("QUERY_STRING", ""),
            "headers": {name.lower(): value for name, value in request.headers.items()},
            "http_version": meta.get("SERVER_PROTOCOL", "").partition("/")[2],
            "scheme": request.scheme,
            "client": meta.get("REMOTE_ADDR"),
        },
        native=meta,
    ))


@require_safe
def stream(request: HttpRequest) -> HttpResponse:
    try:
        chunks, delay_ms = stream_params(request.GET.get("chunks"), request.GET.get("delay_ms"))
    except Invalid as problem:
        return invalid(problem)

    def lines() -> Iterator[str]:
        for index in range(1, chunks + 1):
            if index > 1:
                time.sleep(delay_ms / 1000)
            yield stream_line(index, chunks)

    return StreamingHttpResponse(lines(), content_type="text/plain; charset=utf-8")


@require_safe
def slow(request: HttpRequest) -> HttpResponse:
    try:
        ms = slow_param(request.GET.get("ms"))
    except Invalid as problem:
        return invalid(problem)
    time.sleep(ms / 1000)  # the sync worker's process sleeps: it serves no one else meanwhile
    return JsonResponse({"ms": ms, **process()})


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("boom: the view raised on purpose")


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return error(404, f"nothing at {request.path}")


def server_error(request: HttpRequest) -> HttpResponse:
    return error(500, "the server failed; the traceback is in its log")
