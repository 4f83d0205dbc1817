# -*- coding: utf-8 -*-
"""The guestbook's shared plumbing for the period editions, in Python 2.7.

The same contract as the guestbook package of the modern editions: its rules, its SQLite
store, its page, /inspect and the WSGI and event helpers. Text is unicode throughout; bytes
from the wire (query strings, form bodies, the environ) are decoded as UTF-8 where they enter.
"""

import json
import os
import platform
import re
import sqlite3
import threading
import time
import urllib
from collections import OrderedDict, namedtuple
from datetime import datetime

MAX_BODY = 64 * 1024
NAME_MAX = 64
MESSAGE_MAX = 1000
LIMIT_DEFAULT = 20
LIMIT_MAX = 100
_DIGITS = re.compile(r'[0-9]+\Z')
_SURROGATE = re.compile(u'[\ud800-\udfff]')

# What Python 3's str.strip() takes for whitespace. 2.7's older Unicode tables also count
# U+180E, which would let the two dialects trim the same name differently.
WHITESPACE = (u'\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004'
              u'\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000')


def utf8(data, errors='strict'):
    """UTF-8 bytes as unicode. 2.7's codec lets encoded surrogates (ED A0 80) through, which
    Python 3 and the standard refuse: strictly they are an error, else U+FFFD."""
    if isinstance(data, unicode):
        return data
    text = data.decode('utf-8', errors)
    if _SURROGATE.search(text):
        if errors == 'strict':
            raise UnicodeDecodeError('utf-8', data, 0, len(data), 'encoded surrogate')
        text = _SURROGATE.sub(u'\ufffd', text)
    return text


def latin1(data):
    """Bytes as unicode, one character per byte: lossless, for showing what arrived."""
    return data.decode('latin-1') if isinstance(data, str) else data


# ---------------------------------------------------------------------------------------
# Rules: input, entries and errors

class Invalid(ValueError):
    """Bad input: a 400 whose JSON body names the field, when there is one."""

    def __init__(self, message, field=None):
        ValueError.__init__(self, message)
        self.message = message
        self.field = field

    def body(self):
        return error_body(self.message, self.field)


def error_body(message, field=None):
    document = OrderedDict([('error', message)])
    if field is not None:
        document['field'] = field
    return json.dumps(document)


class Entry(namedtuple('Entry', 'id name message created')):
    __slots__ = ()

    def as_dict(self):
        return OrderedDict([('id', self.id), ('name', self.name), ('message', self.message),
                            ('created', self.created)])

    def to_json(self):
        return json_text(self.as_dict())

    @property
    def location(self):
        return '/guestbook/%d' % self.id


def whole_number(raw, field, low, high, default):
    """raw is str or unicode (a query value), None when absent; anything else is Invalid."""
    if raw is None:
        return default
    if not isinstance(raw, basestring) or not _DIGITS.match(raw):
        raise Invalid(u'%s must be a whole number from %d to %d' % (field, low, high), field)
    value = int(raw)
    if not low <= value <= high:
        raise Invalid(u'%s must be from %d to %d' % (field, low, high), field)
    return value


def check_paging(limit, offset):
    return (whole_number(limit, 'limit', 1, LIMIT_MAX, LIMIT_DEFAULT),
            whole_number(offset, 'offset', 0, 2 ** 62, 0))


def _check_text(value, field, most):
    if value is None:
        raise Invalid(u'%s is required' % field, field)
    if isinstance(value, str):
        try:
            value = utf8(value)
        except UnicodeDecodeError:
            raise Invalid(u'%s must be UTF-8 text' % field, field)
    if not isinstance(value, unicode):
        raise Invalid(u'%s must be a string' % field, field)
    text = value.strip(WHITESPACE)
    if _SURROGATE.search(text):  # valid JSON, not valid text
        raise Invalid(u'%s must be Unicode text: it holds a lone surrogate' % field, field)
    if not 1 <= len(text) <= most:
        raise Invalid(u'%s must be 1 to %d characters' % (field, most), field)
    return text


def check_entry(name, message):
    """The trimmed name and message as unicode (byte strs are read as UTF-8), or Invalid
    naming the first bad field."""
    return _check_text(name, 'name', NAME_MAX), _check_text(message, 'message', MESSAGE_MAX)


def content_kind(content_type):
    media = latin1(content_type or '').split(u';', 1)[0].strip(WHITESPACE).lower()
    if media == u'application/json':
        return 'json'
    if media == u'application/x-www-form-urlencoded':
        return 'form'
    return None


def entry_from_json(body):
    try:
        document = json.loads(utf8(body))
    except (UnicodeDecodeError, ValueError, RuntimeError):  # nested deeper than the stack
        raise Invalid(u'the body is not valid JSON')
    if not isinstance(document, dict):
        raise Invalid(u'the body must be a JSON object')
    return check_entry(document.get('name'), document.get('message'))


def form_fields(data, errors='strict'):
    """A urlencoded byte str as unicode, the first value of each field, blanks kept. Fields
    are split on `&` only, as Python 3 and the HTML standard do (not on `;`, as 2.7 did)."""
    fields = {}
    for field in data.split('&'):
        if field:
            name, _, value = [utf8(urllib.unquote(part.replace('+', ' ')), errors)
                              for part in field.partition('=')]
            fields.setdefault(name, value)
    return fields


def entry_from_form(body):
    try:
        body.decode('ascii')
        fields = form_fields(body)
    except UnicodeError:
        raise Invalid(u'the form is not valid UTF-8 urlencoded data')
    return check_entry(fields.get(u'name'), fields.get(u'message'))


def entry_from_body(content_type, body):
    """Parse a POST body of either kind; the caller has already answered 415 and 413."""
    if content_kind(content_type) == 'json':
        return entry_from_json(body)
    return entry_from_form(body)


def stream_params(chunks, delay_ms):
    return (whole_number(chunks, 'chunks', 1, 100, 5),
            whole_number(delay_ms, 'delay_ms', 0, 5000, 200))


def slow_param(ms):
    return whole_number(ms, 'ms', 0, 10000, 0)


def stream_line(index, total):
    return u'chunk %d/%d\n' % (index, total)


# ---------------------------------------------------------------------------------------
# Store: SQLite on the exhibit's volume, safe across processes and threads

DEFAULT_PATH = os.environ.get('GUESTBOOK_DB', '/data/guestbook.sqlite3')

SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    message TEXT NOT NULL,
    created TEXT NOT NULL
)
"""
JOURNAL = 'DELETE'  # as guestbook/store.py, and for the same full-disk reason
INSERT = 'INSERT INTO entries (name, message, created) VALUES (?, ?, ?)'
SELECT_ONE = 'SELECT id, name, message, created FROM entries WHERE id = ?'
SELECT_PAGE = ('SELECT id, name, message, created FROM entries '
               'ORDER BY id DESC LIMIT ? OFFSET ?')
SELECT_AFTER = 'SELECT id, name, message, created FROM entries WHERE id > ? ORDER BY id'
COUNT = 'SELECT COUNT(*) FROM entries'
LAST_ID = 'SELECT COALESCE(MAX(id), 0) FROM entries'
DISK_FULL = 'database or disk is full'  # SQLITE_FULL; 2.7's sqlite3 keeps no error code


class Full(Exception):
    """The store cannot write: its disk is full. A 507 for the client; nothing stored is lost."""


def now():
    """RFC 3339 in UTC, to the millisecond."""
    t = datetime.utcnow()
    return u'%04d-%02d-%02dT%02d:%02d:%02d.%03dZ' % (
        t.year, t.month, t.day, t.hour, t.minute, t.second, t.microsecond // 1000)


def _entry(row):
    return Entry(int(row[0]), row[1], row[2], row[3])


class Store(object):
    """One short connection per call: simple, and right for CGI's process per request."""

    def __init__(self, path=DEFAULT_PATH):
        self.path = path
        db = self._connect()
        try:
            db.execute('PRAGMA journal_mode=%s' % JOURNAL)
            db.execute(SCHEMA)
        finally:
            db.close()

    def _connect(self):
        db = sqlite3.connect(self.path, timeout=10.0, isolation_level=None)
        db.execute('PRAGMA busy_timeout = 10000')
        return db

    def add(self, name, message):
        """name and message as check_entry gives them; a byte str is read as UTF-8."""
        name, message, created = utf8(name), utf8(message), now()
        db = self._connect()
        try:
            cursor = db.execute(INSERT, (name, message, created))
        except sqlite3.OperationalError as error:
            if str(error) == DISK_FULL:
                raise Full("the guestbook's storage is full")
            raise
        finally:
            db.close()
        return Entry(cursor.lastrowid, name, message, created)

    def _rows(self, sql, params=()):
        db = self._connect()
        try:
            return db.execute(sql, params).fetchall()
        finally:
            db.close()

    def get(self, entry_id):
        if not isinstance(entry_id, (int, long)):
            raise TypeError('an entry id is an integer, not %r' % (entry_id,))
        if not 0 < entry_id < 2 ** 63:  # SQLite's integers; a larger id would overflow, not miss
            return None
        rows = self._rows(SELECT_ONE, (entry_id,))
        return _entry(rows[0]) if rows else None

    def page(self, limit, offset):
        db = self._connect()
        try:
            rows = db.execute(SELECT_PAGE, (limit, offset)).fetchall()
            total = int(db.execute(COUNT).fetchone()[0])
        finally:
            db.close()
        return [_entry(row) for row in rows], total

    def after(self, entry_id):
        return [_entry(row) for row in self._rows(SELECT_AFTER, (entry_id,))]

    def last_id(self):
        return int(self._rows(LAST_ID)[0][0])


# ---------------------------------------------------------------------------------------
# Page: the front page, and who this exhibit is

Identity = namedtuple('Identity', 'id title year server')


def identity():
    env = os.environ
    return Identity(*[utf8(env.get('MUSEUM_EXHIBIT_' + key, default), 'replace') for key, default
                      in [('ID', 'unnamed-exhibit'), ('TITLE', 'An exhibit outside the museum'),
                          ('YEAR', '?'), ('SERVER', '?')]])


def escape(text, quote=True):
    """Python 3's html.escape: cgi.escape leaves ' alone and needs quote asked for."""
    text = text.replace(u'&', u'&amp;').replace(u'<', u'&lt;').replace(u'>', u'&gt;')
    if quote:
        text = text.replace(u'"', u'&quot;').replace(u"'", u'&#x27;')
    return text


STYLE = u"""
body { font: 18px/1.5 Georgia, serif; max-width: 44em; margin: 2em auto; padding: 0 1em;
       color: #1d1d1d; background: #fbf8f1; }
header { border-bottom: 3px double #1d1d1d; margin-bottom: 1em; }
.era { font: bold 14px/1 sans-serif; letter-spacing: .2em; text-transform: uppercase; }
form { display: grid; gap: .5em; margin: 1em 0 2em; }
input, textarea { font: inherit; padding: .3em; }
li { margin: .6em 0; } .when { color: #666; font-size: 80%; }
"""

PAGE = u"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>%(title)s (%(id)s)</title>
<style>%(style)s</style>
</head>
<body>
<header>
<p class="era">%(year)s &middot; %(id)s</p>
<h1>%(title)s</h1>
<p>Served by %(server)s.</p>
</header>
<h2>Sign the guestbook</h2>
<form method="post" action="/guestbook">
<label>Name <input name="name" maxlength="64" required></label>
<label>Message <textarea name="message" maxlength="1000" required></textarea></label>
<button type="submit">Sign</button>
</form>
<h2>Entries (%(total)d)</h2>
<ul id="entries">
%(items)s
</ul>
</body>
</html>
"""


def entry_items(entries):
    items = [u'<li><strong>%s</strong>: %s <span class="when">%s</span></li>'
             % (escape(e.name), escape(e.message), escape(e.created)) for e in entries]
    return u'\n'.join(items) or u'<li>No entries yet: be the first to sign.</li>'


def render_page(exhibit, entries, total):
    return PAGE % {'title': escape(exhibit.title, quote=False), 'id': escape(exhibit.id),
                   'year': escape(exhibit.year), 'server': escape(exhibit.server),
                   'style': STYLE, 'total': total, 'items': entry_items(entries)}


# ---------------------------------------------------------------------------------------
# Inspect: the structure the app received, made JSON-safe but not rebuilt

MAX_DEPTH = 4


def _repr(value):
    return latin1(repr(value))


def _text(value):
    return latin1(value) if isinstance(value, str) else unicode(value)


def json_safe(value, depth=0):
    """Bytes become latin-1 text (lossless); objects become their attributes, then a repr."""
    if value is None or isinstance(value, (bool, int, long, float, unicode)):
        return value
    if isinstance(value, (str, bytearray)):
        return str(value).decode('latin-1')
    if depth >= MAX_DEPTH:
        return _repr(value)
    # list(): a repr further down may fill a lazy cache in this very dict
    if isinstance(value, dict):
        return dict((_key(k), json_safe(v, depth + 1)) for k, v in list(value.items()))
    if isinstance(value, (list, tuple, set, frozenset)):
        return [json_safe(v, depth + 1) for v in value]
    attributes = getattr(value, '__dict__', None)
    if isinstance(attributes, dict) and not callable(value):
        cls = getattr(value, '__class__', type(value))  # old-style instances too
        shown = dict((k, json_safe(v, depth + 1)) for k, v in list(attributes.items())
                     if not k.startswith('__'))
        shown['__class__'] = u'%s.%s' % (cls.__module__, cls.__name__)
        return shown
    return _repr(value)


def _key(key):
    if isinstance(key, (str, bytearray)):
        return str(key).decode('latin-1')
    return key if isinstance(key, unicode) else _repr(key)


def cgi_headers(environ):
    """The request's headers, lower-cased, from a CGI-style environment (CGI, WSGI, SCGI,
    FastCGI): HTTP_* variables, plus CONTENT_TYPE and CONTENT_LENGTH, which CGI keeps apart."""
    headers = dict((latin1(key[5:].replace('_', '-').lower()), _text(value))
                   for key, value in environ.items() if key.startswith('HTTP_'))
    for key in ('CONTENT_TYPE', 'CONTENT_LENGTH'):
        if environ.get(key):
            headers[latin1(key.replace('_', '-').lower())] = _text(environ[key])
    return headers


def process():
    return {'pid': os.getpid(), 'thread': threading.current_thread().name,
            'python': platform.python_version()}


def document(interface, software, version, request, native):
    return {
        'interface': interface,
        'server': {'software': software, 'version': version},
        'request': request,
        'process': process(),
        'native': json_safe(native),
    }


# ---------------------------------------------------------------------------------------
# WSGI: what a bare PEP 333 application needs; routing and start_response stay in the app

JSON = 'application/json'
TEXT = 'text/plain; charset=utf-8'
HTML = 'text/html; charset=utf-8'


def _path_text(raw):
    if isinstance(raw, unicode):  # a server that decoded it already, as latin-1
        raw = raw.encode('latin-1')
    return utf8(raw, 'replace')


def path_info(environ):
    """PATH_INFO as unicode: PEP 333 hands it over as the percent-decoded bytes."""
    return _path_text(environ.get('PATH_INFO', ''))


def query(environ):
    """The query string's fields as unicode, the first value of each (`+` is a space);
    bad UTF-8 becomes U+FFFD, as in Python 3's parse_qsl."""
    return form_fields(environ.get('QUERY_STRING', ''), 'replace')


def read_body(environ):
    """The request body: CONTENT_LENGTH bytes of wsgi.input, the way PEP 333 asks."""
    try:
        length = int(environ.get('CONTENT_LENGTH') or 0)
    except ValueError:
        length = 0
    return environ['wsgi.input'].read(length) if length > 0 else ''


def posted_entry(environ):
    """The trimmed name and message of a POST; Invalid (a 400) when they are not good."""
    return entry_from_body(environ.get('CONTENT_TYPE'), read_body(environ))


def reply(start_response, status, content_type, text, extra=()):
    """start_response with the usual headers, and the body as the one-item list."""
    body = text.encode('utf-8') if isinstance(text, unicode) else text
    start_response(status, [('Content-Type', content_type),
                            ('Content-Length', str(len(body)))] + list(extra))
    return [body]


def paced_lines(chunks, delay_ms):
    """/stream's body as a WSGI iterable: the thread sleeps between the blocks it yields."""
    for index in range(1, chunks + 1):
        if index > 1:
            time.sleep(delay_ms / 1000.0)
        yield stream_line(index, chunks).encode('utf-8')


def json_text(document):
    """JSON as unicode, non-ASCII left as it is (2.7's dumps may give str or unicode)."""
    return utf8(json.dumps(document, ensure_ascii=False), 'replace')


def request_info(environ):
    """/inspect's `request`, read from the CGI-style keys of the environ."""
    return {
        'method': latin1(environ['REQUEST_METHOD']),
        'path': _path_text(environ.get('SCRIPT_NAME', '')) + path_info(environ),
        'query': latin1(environ.get('QUERY_STRING', '')),
        'headers': cgi_headers(environ),
        'http_version': latin1(environ.get('SERVER_PROTOCOL', 'HTTP/1.0')).partition(u'/')[2],
        'scheme': latin1(environ['wsgi.url_scheme']),
        'client': latin1(environ.get('REMOTE_ADDR', '')),
    }


# ---------------------------------------------------------------------------------------
# Events: server-sent events as the contract spells them

EVENT_STREAM = 'text/event-stream'
LISTENING = u': listening for new guestbook entries\n\n'
KEEPALIVE = u': keep-alive\n\n'


def event(entry):
    return u'event: entry\nid: %d\ndata: %s\n\n' % (entry.id, entry.to_json())
