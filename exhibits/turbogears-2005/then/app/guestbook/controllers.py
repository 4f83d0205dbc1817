# -*- coding: utf-8 -*-
"""The controllers: a Root object whose exposed methods are the URLs, as TurboGears 1.0
quickstarted them. TurboGears' @expose(template="guestbook.templates.welcome") rendered the
returned dict through the TurboKid plugin and @expose("json") through TurboJson; both are
spelled out here as render() and as_json(), since TurboGears itself cannot be installed."""

import re
import socket
import sys
import time
from StringIO import StringIO

import cherrypy
import simplejson
from cherrypy.filters.basefilter import BaseFilter
from kid.serialization import HTMLSerializer
from sqlobject import SQLObjectNotFound
from turbokid import KidSupport

import guestbook27 as contract
from guestbook import model

kid_escape_cdata = HTMLSerializer.escape_cdata


def escape_cdata(text, encoding=None, entity_map=None, escape=True):
    """Kid's HTML output escapes & and < in text, which HTML allows; the guestbook's contract
    wants > escaped too (&lt;script&gt;). HTMLSerializer.generate() calls
    HTMLSerializer.escape_cdata by name, so a subclass would not do: the class gets this."""
    text = kid_escape_cdata(text, encoding, entity_map, escape)
    return escape and text.replace(">", "&gt;") or text

HTMLSerializer.escape_cdata = staticmethod(escape_cdata)


kid = KidSupport()
JSON = "application/json"
TEXT = "text/plain; charset=utf-8"
READ = ("GET", "HEAD")


def render(template, **info):
    """What @expose(template=...) did: the dict, through Kid, found by dotted name."""
    cherrypy.response.headers["Content-Type"] = "text/html; charset=utf-8"
    return kid.render(info, format="html", template=template)


def as_json(document, status=200):
    """What @expose("json") did, with TurboJson's simplejson underneath."""
    cherrypy.response.status = status
    cherrypy.response.headers["Content-Type"] = JSON
    return simplejson.dumps(document)


def allow(*methods):
    """CherryPy hands every HTTP method to the controller: refuse the others (405, Allow)."""
    if cherrypy.request.method not in methods:
        cherrypy.response.headers["Allow"] = ", ".join(methods)
        raise cherrypy.HTTPError(405, u"%s is not allowed here." % cherrypy.request.method)


def declared_charset(content_type):
    for parameter in (content_type or "").split(";")[1:]:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip('"').lower()
    return None


TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+\Z")
HOST = re.compile(r"(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]*)(:[0-9]*)?\Z")
CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
LONGEST = 32 * 1024  # a URL or header longer than this is refused (414, 431)


def refused(protocol, target, headers):
    """What the server lets through and HTTP forbids: (status, message), or None. A version
    other than 1.0 and 1.1, a URL over 32 KiB, no Host in HTTP/1.1 or a malformed one, a
    header name that is not a token, a value with control characters or over 32 KiB, a
    Content-Length that is not digits."""
    if protocol not in ('HTTP/1.0', 'HTTP/1.1'):
        if re.match(r'HTTP/\d\.\d\Z', protocol):
            return 505, u'%s is not spoken here.' % protocol
        return 400, u'The request line is malformed.'
    if len(target) > LONGEST:
        return 414, u'The URL is too long.'
    hosts = [value for name, value in headers if name.lower() == 'host']
    if (not hosts and protocol == 'HTTP/1.1') or len(hosts) > 1 \
            or [host for host in hosts if not HOST.match(host)]:
        return 400, u'HTTP/1.1 needs one well-formed Host header.'
    for name, value in headers:
        if not TOKEN.match(name) or CONTROL.search(value):
            return 400, u'A header is malformed.'
        if len(value) > LONGEST:
            return 431, u'A header is too large.'
        if name.lower() == 'content-length' and value and not value.isdigit():
            return 400, u'The Content-Length is not a number.'
    return None


class RequestGuardFilter(BaseFilter):
    """Refuses, before anything is read, a request HTTP forbids and 2.2's server passed on."""

    def before_request_body(self):
        request = cherrypy.request
        target = request.requestLine.split(' ')[1]
        problem = refused(request.protocol, target, request.header_list)
        if problem is not None:
            raise cherrypy.HTTPError(*problem)


class BodyFilter(BaseFilter):
    """Reads the body whole before CherryPy parses it: one shorter than its Content-Length ends
    in the server's socket timeout, which cgi.FieldStorage would let through as a 500."""

    def before_request_body(self):
        request = cherrypy.request
        if not request.processRequestBody:
            return
        try:
            length = int(request.headers.get("Content-Length") or 0)
        except ValueError:
            raise cherrypy.HTTPError(400, u"The Content-Length is not a number.")
        try:
            if length > contract.MAX_BODY:
                if length <= 1024 * 1024:
                    request.rfile.read(length)  # so that the client reads the 413
                raise cherrypy.HTTPError(413, u"The body is over 64 KiB.")
            body = request.rfile.read(length)
        except socket.timeout:
            body = None
        if body is None or len(body) != length:
            raise cherrypy.HTTPError(400, u"The body is shorter than its Content-Length.")
        request.rfile = StringIO(body)


class StrictDecodingFilter(BaseFilter):
    """The path and every parameter as unicode, or a 400 when they are not UTF-8
    (CherryPy's decoding_filter raises UnicodeDecodeError: a 500)."""

    def before_main(self):
        request = cherrypy.request
        try:
            contract.utf8(request.path)
            for key, value in request.params.items():
                if isinstance(value, list):  # ?name=a&name=b: the first, as the contract says
                    value = value[0]
                if isinstance(value, str):
                    request.params[key] = contract.utf8(value)
        except UnicodeDecodeError:
            raise cherrypy.HTTPError(400, u"The URL or the form is not valid UTF-8.")


class Root(object):
    _cp_filters = [RequestGuardFilter(), BodyFilter(), StrictDecodingFilter()]

    @cherrypy.expose
    def index(self, **ignored):
        allow(*READ)
        entries = list(model.Entry.select()[:20])
        return render("guestbook.templates.welcome", exhibit=contract.identity(),
                      style=contract.STYLE, entries=entries, total=model.Entry.select().count())

    @cherrypy.expose
    def hello(self, name=u"World", *rest, **ignored):
        allow(*READ)
        cherrypy.response.headers["Content-Type"] = TEXT
        return (u"Hello, %s!" % contract.utf8(name)).encode("utf-8")  # /hello/Zo%C3%AB: bytes

    @cherrypy.expose
    def guestbook(self, entry_id=None, *rest, **params):
        """/guestbook reads and signs; /guestbook/7 arrives with entry_id="7" (CherryPy 2.2's
        positional parameters)."""
        if entry_id is not None:
            allow(*READ)
            return self.entry(entry_id, rest)
        allow("GET", "HEAD", "POST")
        try:
            if cherrypy.request.method == "POST":
                return self.sign(params.get("name"), params.get("message"))
            limit, offset = contract.check_paging(params.get("limit"), params.get("offset"))
        except contract.Invalid, problem:
            return as_json({"error": problem.message, "field": problem.field}, 400)
        page = model.Entry.select()[offset:offset + limit]
        return as_json({"entries": [e.as_dict() for e in page],
                        "total": model.Entry.select().count()})

    def entry(self, entry_id, rest):
        found = None
        if entry_id.isdigit() and not rest and 0 < int(entry_id) < 2 ** 63:
            try:
                found = model.Entry.get(int(entry_id))
            except SQLObjectNotFound:
                pass
        if found is None:
            return as_json({"error": u"There is no entry %s." % entry_id}, 404)
        return as_json(found.as_dict())

    def sign(self, name, message):
        content_type = cherrypy.request.headers.get("Content-Type")
        kind = contract.content_kind(content_type)
        if kind is None:
            return as_json({"error": u"Send application/json or a urlencoded form."}, 415)
        if declared_charset(content_type) not in (None, "utf-8"):
            return as_json({"error": u"Send the form as UTF-8."}, 415)
        if kind == "json":
            name, message = contract.entry_from_json(cherrypy.request.body.read())
        else:  # CherryPy parsed the form into keyword arguments
            name, message = contract.check_entry(name, message)
        for field, text in (("name", name), ("message", message)):
            if u"\x00" in text:  # SQLObject writes values into the SQL; sqlite3 refuses NUL there
                return as_json({"error": u"%s must not hold NUL" % field, "field": field}, 400)
        try:
            entry = model.Entry(name=name, message=message)
        except Exception, problem:
            if contract.DISK_FULL not in str(problem):
                raise
            return as_json({"error": u"The guestbook's storage is full; nothing was stored."},
                           507)
        if kind == "form":
            cherrypy.response.headers["Location"] = "/"
            return as_json({"id": entry.id}, 303)
        cherrypy.response.headers["Location"] = entry.location
        return as_json(entry.as_dict(), 201)

    @cherrypy.expose
    def stream(self, chunks=None, delay_ms=None, **ignored):
        allow(*READ)
        try:
            total, delay = contract.stream_params(chunks, delay_ms)
        except contract.Invalid, problem:
            return as_json({"error": problem.message, "field": problem.field}, 400)
        cherrypy.response.headers["Content-Type"] = TEXT
        return contract.paced_lines(total, delay)  # stream_response: each line as it comes

    @cherrypy.expose
    def slow(self, ms=None, **ignored):
        allow(*READ)
        try:
            wait = contract.slow_param(ms)
        except contract.Invalid, problem:
            return as_json({"error": problem.message, "field": problem.field}, 400)
        time.sleep(wait / 1000.0)  # one of CherryPy's ten worker threads sleeps
        document = {"ms": wait}
        document.update(contract.process())
        return as_json(document)

    @cherrypy.expose
    def inspect(self, **params):
        allow(*READ)
        request = cherrypy.request
        software, _, version = cherrypy.server.httpserver.version.partition("/")
        return as_json(contract.document(
            interface="WSGI", software=software, version=version,
            request={
                "method": request.method,
                "path": contract.utf8(request.path, "replace"),
                "query": contract.latin1(request.query_string),
                "headers": dict((k.lower(), contract.latin1(v))
                                for k, v in request.headers.items()),
                "http_version": request.protocol.partition("/")[2],
                "scheme": request.scheme,
                "client": request.remote_addr,
            },
            native=cherrypy.serving.request))  # the Request behind cherrypy.request

    @cherrypy.expose
    def boom(self, **ignored):
        raise RuntimeError("boom: raised on purpose to show a 500")

    def _cp_on_http_error(self, status, message):
        """CherryPy 2.2's special attribute for its own errors (404, 405, 413...): JSON."""
        cherrypy.response.status = status
        cherrypy.response.headers["Content-Type"] = JSON
        cherrypy.response.body = [simplejson.dumps({"error": message or u"HTTP %s" % status})]

    def _cp_on_error(self):
        """And for an exception a controller let through: a short 500, the traceback logged."""
        problem = sys.exc_info()[1]
        if isinstance(problem, contract.Invalid):
            cherrypy.response.body = [as_json(
                {"error": problem.message, "field": problem.field}, 400)]
            return
        cherrypy.log(cherrypy._cputil.formatExc(), "ERROR", 2)
        cherrypy.response.body = [as_json(
            {"error": u"The server failed; the log has the details."}, 500)]
