# -*- coding: utf-8 -*-
"""The guestbook as a Zope Product: objects kept in the object database, published by URL.

ZPublisher walks the URL through the objects (/guestbook/3 is entry 3 of the guestbook),
calls the method it ends on and fills the method's arguments by name from the request: form
fields, REQUEST and RESPONSE. Only a method with a docstring is published; what a method
returns is the body of the response.
"""

import errno
import time

import transaction
from AccessControl import ClassSecurityInfo
from App.class_init import InitializeClass
from AccessControl.Permissions import view as View
from App.special_dtml import DTMLFile
from BTrees.Length import Length
from BTrees.LOBTree import LOBTree
from DateTime import DateTime
from OFS.SimpleItem import SimpleItem
from ZODB.POSException import ConflictError
from zExceptions import MethodNotAllowed

import guestbook27
from guestbook27 import Invalid

SignGuestbook = 'Sign Guestbook'
JSON = 'application/json'
TEXT = 'text/plain; charset=utf-8'
ROOT_METHODS = ('GET', 'HEAD', 'POST')


def reply(REQUEST, RESPONSE, status, content_type, text):
    """Status, type and length on the response, and the body to return. ZServer sends
    whatever body it is given, even to HEAD: a HEAD gets the headers only."""
    if isinstance(text, unicode):
        text = text.encode('utf-8')
    RESPONSE.setStatus(status)
    RESPONSE.setHeader('Content-Type', content_type)
    RESPONSE.setHeader('Content-Length', str(len(text)))
    if REQUEST['REQUEST_METHOD'] == 'HEAD':
        return ''
    return text


def reply_json(REQUEST, RESPONSE, status, document):
    return reply(REQUEST, RESPONSE, status, JSON, guestbook27.json_text(document))


def refuse(REQUEST, RESPONSE, status, message, field=None):
    return reply(REQUEST, RESPONSE, status, JSON, guestbook27.error_body(message, field))


def field_text(value, field):
    """A form field as the guestbook's rules read it: unicode, or None when absent. The
    publisher hands over bytes (or a number, after a converter like limit:int, or a list
    when the field came twice)."""
    if isinstance(value, list):
        value = value and value[0] or None
    if value is None or isinstance(value, unicode):
        return value
    if not isinstance(value, str):
        value = str(value)
    try:
        return guestbook27.utf8(value)
    except UnicodeDecodeError:
        raise Invalid(u'%s must be UTF-8 text' % field, field)


class Published(SimpleItem):
    """Something ZPublisher serves: it answers the HTTP methods in `views`, and a 405 to the
    others."""

    security = ClassSecurityInfo()
    security.declareObjectProtected(View)
    views = {'GET': 'index_html', 'HEAD': 'index_html'}

    def __init__(self, id):
        self.id = id

    def __browser_default__(self, REQUEST):
        # What the publisher calls when the URL ends on this object.
        return self, (self.views.get(REQUEST['REQUEST_METHOD'], 'method_not_allowed'),)

    security.declarePublic('method_not_allowed')
    def method_not_allowed(self, REQUEST, RESPONSE):
        """Refuses a method this object does not take."""
        RESPONSE.setHeader('Allow', ', '.join(sorted(self.views)))
        return refuse(REQUEST, RESPONSE, 405, u'%s does not take %s' % (
            self.absolute_url_path(), guestbook27.latin1(REQUEST['REQUEST_METHOD'])))

InitializeClass(Published)


def greet(REQUEST, RESPONSE, name):
    return reply(REQUEST, RESPONSE, 200, TEXT, u'Hello, %s!' % name)


class Hello(Published):
    """Greets the name in the query string or, as a step of the path, in the URL."""

    meta_type = 'Museum Hello'
    security = ClassSecurityInfo()

    def __bobo_traverse__(self, REQUEST, name):
        # /hello/Zoe: the step after /hello is a name, not an attribute.
        if name in ('index_html', 'method_not_allowed'):
            return getattr(self, name)
        try:
            return Greeting(guestbook27.utf8(name)).__of__(self)
        except UnicodeDecodeError:
            return NoSuchName(name).__of__(self)

    security.declareProtected(View, 'index_html')
    def index_html(self, REQUEST, RESPONSE, name=None):
        """Hello, name! (or World)."""
        try:
            name = field_text(name, 'name')
        except Invalid as error:
            return refuse(REQUEST, RESPONSE, 400, error.message, error.field)
        return greet(REQUEST, RESPONSE, name or u'World')

InitializeClass(Hello)


class Greeting(Published):
    """/hello/Zoe: stands for the name in the path while the publisher calls it."""

    security = ClassSecurityInfo()

    def __init__(self, name):
        self.id = self.name = name

    security.declareProtected(View, 'index_html')
    def index_html(self, REQUEST, RESPONSE):
        """Hello, name!"""
        return greet(REQUEST, RESPONSE, self.name)

InitializeClass(Greeting)


class NoSuchName(Published):
    """A step of the path that is not UTF-8, or an entry the guestbook does not have."""

    security = ClassSecurityInfo()
    views = {'GET': 'index_html', 'HEAD': 'index_html', 'POST': 'index_html'}

    def __init__(self, name):
        self.id = 'missing'
        self.name = guestbook27.latin1(name)

    security.declareProtected(View, 'index_html')
    def index_html(self, REQUEST, RESPONSE):
        """Nothing is published here."""
        return refuse(REQUEST, RESPONSE, 404, u'there is nothing at this address')

InitializeClass(NoSuchName)


class Entry(Published):
    """One signature, kept in the guestbook's BTree under its number."""

    meta_type = 'Guestbook Entry'
    security = ClassSecurityInfo()
    security.setDefaultAccess('allow')  # DTML reads name, message and created

    def __init__(self, number, name, message):
        self.id = str(number)
        self.number = number
        self.name = name
        self.message = message
        self.created = DateTime()

    def record(self):
        return guestbook27.Entry(self.number, self.name, self.message,
                                 unicode(self.created.HTML4()))

    security.declareProtected(View, 'index_html')
    def index_html(self, REQUEST, RESPONSE):
        """The entry, as JSON."""
        return reply_json(REQUEST, RESPONSE, 200, self.record().as_dict())

InitializeClass(Entry)


manage_addGuestbookForm = DTMLFile('dtml/addGuestbook', globals())


def manage_addGuestbook(self, id, title='', REQUEST=None):
    """Adds a Guestbook to a folder."""
    self._setObject(id, Guestbook(id, title))
    if REQUEST is not None:
        return self.manage_main(self, REQUEST, update_menu=1)


class Guestbook(Published):
    """The guestbook: its entries, numbered from 1, in a BTree in the object database."""

    meta_type = 'Guestbook'
    security = ClassSecurityInfo()
    security.setPermissionDefault(SignGuestbook, ('Anonymous', 'Manager'))
    views = {'GET': 'index_html', 'HEAD': 'index_html', 'POST': 'sign'}
    manage_options = ({'label': 'View', 'action': 'index_html'},) + SimpleItem.manage_options

    def __init__(self, id, title=''):
        self.id = id
        self.title = title
        self._entries = LOBTree()
        self._count = Length()  # resolves concurrent additions instead of conflicting

    def __bobo_traverse__(self, REQUEST, name):
        # /guestbook/3 is entry 3; any other step is an attribute, as usual.
        if not name.isdigit():
            return getattr(self, name)
        entry = None
        if len(name) < 19:
            entry = self._entries.get(int(name))
        if entry is None:
            return NoSuchName(name).__of__(self)
        return entry.__of__(self)

    security.declareProtected(View, 'newest')
    def newest(self, count=10, skip=0):
        # For the front page's DTML and the JSON list: newest first.
        numbers = self._entries.keys()
        end = max(len(numbers) - skip, 0)
        chosen = list(numbers[max(end - count, 0):end])
        chosen.reverse()
        return [self._entries[number].__of__(self) for number in chosen]

    security.declareProtected(View, 'total')
    def total(self):
        return self._count()

    security.declareProtected(View, 'index_html')
    def index_html(self, REQUEST, RESPONSE, limit=None, offset=None):
        """The newest entries, as JSON."""
        try:
            count, skip = guestbook27.check_paging(field_text(limit, 'limit'),
                                                   field_text(offset, 'offset'))
        except Invalid as error:
            return refuse(REQUEST, RESPONSE, 400, error.message, error.field)
        return reply_json(REQUEST, RESPONSE, 200, {
            'entries': [entry.record().as_dict() for entry in self.newest(count, skip)],
            'total': self.total(),
        })

    security.declareProtected(SignGuestbook, 'sign')
    def sign(self, REQUEST, RESPONSE, name=None, message=None):
        """Signs the guestbook: a form's fields arrive as the arguments name and message; a
        JSON document is read from the request's BODY."""
        if REQUEST['REQUEST_METHOD'] != 'POST':  # /guestbook/sign is a URL too
            return self.method_not_allowed(REQUEST, RESPONSE)
        content_type = REQUEST.get_header('Content-Type')
        kind = guestbook27.content_kind(content_type)
        if kind is None:
            return refuse(REQUEST, RESPONSE, 415, u'send application/json or a form')
        if kind == 'form' and not utf8_form(content_type):
            return refuse(REQUEST, RESPONSE, 415, u'send the form as UTF-8')
        if REQUEST.get_header('Transfer-Encoding'):
            # ZServer reads a body by its Content-Length only: a chunked one never arrives.
            return refuse(REQUEST, RESPONSE, 411, u'send the body with a Content-Length')
        length = REQUEST.get_header('Content-Length') or '0'
        if not length.isdigit():
            return refuse(REQUEST, RESPONSE, 400, u'the Content-Length is not a number')
        if int(length) > guestbook27.MAX_BODY:
            return refuse(REQUEST, RESPONSE, 413,
                          u'the body is over %d bytes' % guestbook27.MAX_BODY)
        try:
            if kind == 'json':
                name, message = guestbook27.entry_from_json(REQUEST.get('BODY') or '')
            else:
                name, message = guestbook27.check_entry(field_text(name, 'name'),
                                                        field_text(message, 'message'))
        except Invalid as error:
            return refuse(REQUEST, RESPONSE, 400, error.message, error.field)
        entry = self.add(name, message)
        if entry is None:
            return refuse(REQUEST, RESPONSE, 507, u"the guestbook's storage is full")
        if kind == 'form':
            RESPONSE.setHeader('Location', '/')
            return reply(REQUEST, RESPONSE, 303, TEXT, u'Signed: see the front page.\n')
        RESPONSE.setHeader('Location', '/guestbook/%d' % entry.number)
        return reply_json(REQUEST, RESPONSE, 201, entry.record().as_dict())

    def add(self, name, message):
        # Two signers at once may pick the same number: ZODB then raises ConflictError in
        # the second commit, and the publisher runs that request again from the start.
        number = self._entries and self._entries.maxKey() + 1 or 1
        entry = Entry(number, name, message)
        self._entries[number] = entry
        self._count.change(1)
        try:
            transaction.commit()
        except ConflictError:
            raise
        except EnvironmentError as error:
            transaction.abort()  # FileStorage cuts Data.fs back to its last whole transaction
            if error.errno == errno.ENOSPC:
                return None
            raise
        return entry

InitializeClass(Guestbook)


def utf8_form(content_type):
    charset = None
    for parameter in content_type.split(';')[1:]:
        key, _, value = parameter.partition('=')
        if key.strip().lower() == 'charset':
            charset = value.strip().strip('"').lower()
    return charset in (None, 'utf-8', 'utf8')


class FrontDoor:
    """Stands at the root: ZPublisher calls it before it traverses the site (a hook that
    BeforeTraverse keeps on the root folder). The root is the front page, which takes GET,
    HEAD and POST; on any other method ZPublisher 2.13 itself fails there, with an
    IndexError in BaseRequest.traverse, or asks for a WebDAV login."""

    def __call__(self, container, request):
        if request['TraversalRequestNameStack'] or request['REQUEST_METHOD'] in ROOT_METHODS:
            return
        request.RESPONSE.setHeader('Allow', ', '.join(ROOT_METHODS))
        raise MethodNotAllowed('the front page takes GET, HEAD and POST')


class Inspector(Published):
    """Shows the REQUEST object that ZPublisher built from what ZServer received."""

    meta_type = 'Museum Inspector'
    security = ClassSecurityInfo()

    security.declareProtected(View, 'index_html')
    def index_html(self, REQUEST, RESPONSE):
        """The request, the server and the process, as JSON."""
        environ = REQUEST.environ
        # "Zope/(2.13.30, python 2.7.18, linux2) ZServer/1.1": the server says who it is.
        software, _, version = environ['SERVER_SOFTWARE'].split()[-1].partition('/')
        request = {
            'method': environ['REQUEST_METHOD'],
            'path': guestbook27.utf8(environ['PATH_INFO'], 'replace'),
            'query': guestbook27.latin1(environ.get('QUERY_STRING', '')),
            'headers': guestbook27.cgi_headers(environ),
            'http_version': environ['SERVER_PROTOCOL'].partition('/')[2],
            'scheme': REQUEST['SERVER_URL'].partition(':')[0],
            'client': environ['REMOTE_ADDR'],
        }
        native = {'class': 'ZPublisher.HTTPRequest.HTTPRequest', 'environ': environ,
                  'other': REQUEST.other, 'form': REQUEST.form, 'cookies': REQUEST.cookies}
        return reply_json(REQUEST, RESPONSE, 200, guestbook27.document(
            'native', software, version, request, native))

InitializeClass(Inspector)


class Sleeper(Published):
    """Holds one of ZServer's publisher threads, and its ZODB connection, for ms ms."""

    meta_type = 'Museum Sleeper'
    security = ClassSecurityInfo()

    security.declareProtected(View, 'index_html')
    def index_html(self, REQUEST, RESPONSE, ms=None):
        """Waits, then says which process and thread waited."""
        try:
            wait = guestbook27.slow_param(field_text(ms, 'ms'))
        except Invalid as error:
            return refuse(REQUEST, RESPONSE, 400, error.message, error.field)
        time.sleep(wait / 1000.0)
        document = guestbook27.process()
        document['ms'] = wait
        return reply_json(REQUEST, RESPONSE, 200, document)

InitializeClass(Sleeper)


class Boom(Published):
    """Raises, so that the error log and standard_error_message show how Zope fails."""

    meta_type = 'Museum Boom'
    security = ClassSecurityInfo()

    security.declareProtected(View, 'index_html')
    def index_html(self):
        """Raises on purpose."""
        raise RuntimeError('boom: this object raises on purpose')

InitializeClass(Boom)


class Stream(Published):
    """Writes its lines with RESPONSE.write: ZServer sends each one as it comes, chunked."""

    meta_type = 'Museum Stream'
    security = ClassSecurityInfo()

    security.declareProtected(View, 'index_html')
    def index_html(self, REQUEST, RESPONSE, chunks=None, delay_ms=None):
        """Lines, one after another, with a pause between them."""
        try:
            count, delay = guestbook27.stream_params(field_text(chunks, 'chunks'),
                                                     field_text(delay_ms, 'delay_ms'))
        except Invalid as error:
            return refuse(REQUEST, RESPONSE, 400, error.message, error.field)
        RESPONSE.setHeader('Content-Type', TEXT)
        if REQUEST['REQUEST_METHOD'] == 'HEAD':
            return ''
        for index in range(1, count + 1):
            if index > 1:
                time.sleep(delay / 1000.0)
            RESPONSE.write(guestbook27.stream_line(index, count).encode('utf-8'))
        return ''

InitializeClass(Stream)
