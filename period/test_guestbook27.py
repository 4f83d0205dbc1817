# -*- coding: utf-8 -*-
"""Tests for guestbook27, the period editions' shared module (Python 2.7, unittest)."""

import json
import os
import re
import shutil
import sqlite3
import tempfile
import threading
import time
import unittest
from StringIO import StringIO

import guestbook27 as g

ENTRIES = [g.Entry(2, u'<script>alert(1)</script>', u'Tom & "Jerry" say \'hi\'',
                   u'2010-01-02T03:04:05.678Z'),
           g.Entry(1, u'Zo\u00eb', u'\u65e5\u672c', u'2010-01-01T00:00:00.000Z')]
IDENTITY = g.Identity(u'tornado-2009', u'Tornado <1.0> & "friends"', u'2009',
                      u"Tornado 'then'")


class Rules(unittest.TestCase):

    def invalid(self, field, call, *args):
        try:
            call(*args)
        except g.Invalid as error:
            self.assertEqual(error.field, field)
            return error.message
        self.fail('%r did not raise Invalid' % (args,))

    def test_constants(self):
        self.assertEqual((g.MAX_BODY, g.NAME_MAX, g.MESSAGE_MAX, g.LIMIT_DEFAULT, g.LIMIT_MAX),
                         (65536, 64, 1000, 20, 100))

    def test_invalid_and_error_body(self):
        error = g.Invalid(u'limit must be from 1 to 100', 'limit')
        self.assertTrue(isinstance(error, ValueError))
        self.assertEqual((error.message, error.field), (u'limit must be from 1 to 100', 'limit'))
        self.assertEqual(error.body(),
                         '{"error": "limit must be from 1 to 100", "field": "limit"}')
        self.assertEqual(g.Invalid(u'bad').body(), '{"error": "bad"}')
        self.assertEqual(g.error_body(u'caf\u00e9', u'name'),
                         '{"error": "caf\\u00e9", "field": "name"}')

    def test_entry(self):
        entry = g.Entry(7, u'Zo\u00eb', u'"\u65e5"', u'2010-01-01T00:00:00.000Z')
        self.assertEqual(entry.location, '/guestbook/7')
        self.assertEqual(entry.as_dict(), {'id': 7, 'name': u'Zo\u00eb', 'message': u'"\u65e5"',
                                           'created': u'2010-01-01T00:00:00.000Z'})
        self.assertEqual(entry.to_json(), u'{"id": 7, "name": "Zo\u00eb", "message": '
                                          u'"\\"\u65e5\\"", "created": "2010-01-01T00:00:00.000Z"}')
        self.assertTrue(isinstance(entry.to_json(), unicode))

    def test_whole_number(self):
        self.assertEqual(g.whole_number(None, 'n', 0, 9, 4), 4)
        self.assertEqual(g.whole_number('07', 'n', 0, 9, 4), 7)
        self.assertEqual(g.whole_number(u'9', 'n', 0, 9, 4), 9)
        for raw in ('', ' 1', '1\n', '-1', '1.0', 'x', u'\u0663', 3, ['1']):
            self.assertTrue('whole number' in self.invalid('n', g.whole_number, raw, 'n', 0, 9, 4))
        self.assertEqual(self.invalid('n', g.whole_number, '10', 'n', 0, 9, 4),
                         u'n must be from 0 to 9')

    def test_check_paging(self):
        self.assertEqual(g.check_paging(None, None), (20, 0))
        self.assertEqual(g.check_paging('100', str(2 ** 62)), (100, 2 ** 62))
        for limit in ('0', '101', 'x'):
            self.invalid('limit', g.check_paging, limit, None)
        self.invalid('offset', g.check_paging, '1', str(2 ** 62 + 1))
        self.invalid('offset', g.check_paging, None, '-1')

    def test_check_entry_trims_and_counts_characters(self):
        self.assertEqual(g.check_entry(u'  Ada \t', u'\n hi \u3000'), (u'Ada', u'hi'))
        self.assertEqual(g.check_entry(u'\u00e9' * 64, u'x' * 1000),
                         (u'\u00e9' * 64, u'x' * 1000))
        self.assertEqual(g.check_entry(u'\U0001F600' * 64, u'm')[0], u'\U0001F600' * 64)
        self.assertEqual(self.invalid('name', g.check_entry, u'\u00e9' * 65, u'm'),
                         u'name must be 1 to 64 characters')
        self.invalid('message', g.check_entry, u'a', u'x' * 1001)
        self.invalid('name', g.check_entry, u' \t ', u'm')
        self.assertEqual(self.invalid('message', g.check_entry, u'a', None),
                         u'message is required')

    def test_check_entry_trims_as_python_3_does(self):
        # U+180E was whitespace in 2.7's Unicode 5.2 tables, and is not any more
        self.assertEqual(g.check_entry(u'\u180e', u'\x1c m \x85')[0], u'\u180e')
        self.assertEqual(g.check_entry(u'a', u'\x1c m \x85')[1], u'm')

    def test_check_entry_rejects_non_strings(self):
        for value in (5, 1.5, True, [u'a'], {u'a': 1}):
            self.assertEqual(self.invalid('name', g.check_entry, value, u'm'),
                             u'name must be a string')

    def test_check_entry_rejects_lone_surrogates(self):
        for text in (u'\ud800', u'a\udfffb'):
            self.assertTrue('surrogate' in self.invalid('message', g.check_entry, u'a', text))

    def test_check_entry_reads_byte_strings_as_utf8(self):
        self.assertEqual(g.check_entry(' Zo\xc3\xab ', '\xe6\x97\xa5'), (u'Zo\u00eb', u'\u65e5'))
        self.assertEqual(self.invalid('name', g.check_entry, '\xff', u'm'),
                         u'name must be UTF-8 text')
        self.invalid('message', g.check_entry, u'a', '\xed\xa0\x80')  # an encoded surrogate

    def test_utf8_and_latin1(self):
        self.assertEqual(g.utf8('\xc3\xa9'), u'\u00e9')
        self.assertRaises(UnicodeDecodeError, g.utf8, '\xed\xa0\x80')
        self.assertEqual(g.utf8('a\xed\xa0\x80\xff', 'replace'), u'a\ufffd\ufffd')
        self.assertEqual(g.latin1('\xff'), u'\u00ff')
        self.assertEqual(g.latin1(u'\u65e5'), u'\u65e5')

    def test_content_kind(self):
        self.assertEqual(g.content_kind('Application/JSON; charset=utf-8'), 'json')
        self.assertEqual(g.content_kind(' application/x-www-form-urlencoded '), 'form')
        for other in (None, '', 'text/plain', 'multipart/form-data; boundary=x', '\xff'):
            self.assertEqual(g.content_kind(other), None)

    def test_entry_from_json(self):
        self.assertEqual(g.entry_from_json('{"name": " Zo\xc3\xab ", "message": "\\u65e5"}'),
                         (u'Zo\u00eb', u'\u65e5'))
        for body in ('', '\xff', '{"name": "\xed\xa0\x80", "message": "m"}', '{} x',
                     '\xef\xbb\xbf{"name": "a", "message": "b"}', '[' * 5000 + ']' * 5000):
            self.assertEqual(self.invalid(None, g.entry_from_json, body),
                             u'the body is not valid JSON')
        self.assertEqual(self.invalid(None, g.entry_from_json, '[1]'),
                         u'the body must be a JSON object')
        self.invalid('name', g.entry_from_json, '{"name": 5, "message": "m"}')
        self.invalid('name', g.entry_from_json, '{"name": "\\ud800", "message": "m"}')
        self.invalid('name', g.entry_from_json, '{"message": "m"}')

    def test_form_fields(self):
        self.assertEqual(g.form_fields('a=1&a=2&b&c=+x+%2B&&d=%zz'),
                         {u'a': u'1', u'b': u'', u'c': u' x +', u'd': u'%zz'})
        self.assertEqual(g.form_fields('a=1;b=2'), {u'a': u'1;b=2'})
        self.assertEqual(g.form_fields('n=%FF', 'replace'), {u'n': u'\ufffd'})
        self.assertRaises(UnicodeDecodeError, g.form_fields, 'n=%FF')

    def test_entry_from_form(self):
        self.assertEqual(g.entry_from_form('name=+Zo%C3%AB+&message=%E6%97%A5&name=x'),
                         (u'Zo\u00eb', u'\u65e5'))
        for body in ('name=%FF&message=m', 'name=\xc3\xa9&message=m',
                     'name=%ED%A0%80&message=m', 'name=a&message=b&other=%C3'):
            self.assertEqual(self.invalid(None, g.entry_from_form, body),
                             u'the form is not valid UTF-8 urlencoded data')
        self.invalid('name', g.entry_from_form, '')
        self.invalid('name', g.entry_from_form, 'name=&message=m')
        self.invalid('name', g.entry_from_form, 'name=' + '%C3%A9' * 65 + '&message=m')
        self.invalid('message', g.entry_from_form, 'name=a;message=b')

    def test_entry_from_body(self):
        self.assertEqual(g.entry_from_body('application/json', '{"name":"a","message":"b"}'),
                         (u'a', u'b'))
        self.assertEqual(g.entry_from_body('application/x-www-form-urlencoded',
                                           'name=a&message=b'), (u'a', u'b'))
        self.invalid(None, g.entry_from_body, 'application/json', 'name=a&message=b')

    def test_stream_and_slow(self):
        self.assertEqual(g.stream_params(None, None), (5, 200))
        self.assertEqual(g.stream_params('100', '5000'), (100, 5000))
        self.invalid('chunks', g.stream_params, '0', None)
        self.invalid('chunks', g.stream_params, '101', None)
        self.invalid('delay_ms', g.stream_params, None, '5001')
        self.assertEqual(g.slow_param(None), 0)
        self.assertEqual(g.slow_param('10000'), 10000)
        self.invalid('ms', g.slow_param, '10001')
        self.invalid('ms', g.slow_param, 'abc')
        self.assertEqual(g.stream_line(2, 5), u'chunk 2/5\n')


class Store(unittest.TestCase):

    def setUp(self):
        self.folder = tempfile.mkdtemp()
        self.path = os.path.join(self.folder, 'guestbook.sqlite3')

    def tearDown(self):
        shutil.rmtree(self.folder)

    def test_now_is_rfc3339_utc_to_the_millisecond(self):
        self.assertTrue(re.match(r'\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\Z', g.now()))

    def test_add_get_page_after_last_id(self):
        store = g.Store(self.path)
        self.assertEqual((store.page(20, 0), store.last_id(), store.after(0)), (([], 0), 0, []))
        first = store.add(u'Ada', u'one')
        second = store.add(u'Zo\u00eb', u'\u65e5\u672c')
        self.assertEqual(store.get(first.id), first)
        self.assertTrue(isinstance(store.get(second.id).name, unicode))
        self.assertEqual(store.get(second.id).name, u'Zo\u00eb')
        self.assertEqual(store.page(1, 0), ([second], 2))
        self.assertEqual(store.page(5, 1), ([first], 2))
        self.assertEqual(store.after(first.id), [second])
        self.assertEqual(store.last_id(), second.id)
        self.assertEqual(store.add('Zo\xc3\xab', 'x').name, u'Zo\u00eb')  # bytes read as UTF-8
        self.assertTrue(re.match(r'\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\Z', first.created))

    def test_schema_and_journal_as_the_modern_store(self):
        g.Store(self.path)
        db = sqlite3.connect(self.path)
        try:
            self.assertEqual(db.execute('PRAGMA journal_mode').fetchone()[0], u'delete')
            sql = db.execute("SELECT sql FROM sqlite_master WHERE name = 'entries'").fetchone()[0]
        finally:
            db.close()
        self.assertEqual(sql, g.SCHEMA.strip().replace('IF NOT EXISTS ', ''))

    def test_get_outside_sqlite_integers_is_none(self):
        store = g.Store(self.path)
        store.add(u'a', u'b')
        for entry_id in (0, -1, 2 ** 63, 10 ** 23, 999):
            self.assertEqual(store.get(entry_id), None)
        self.assertRaises(TypeError, store.get, '1')

    def test_two_stores_on_one_file_and_threads(self):
        one, two = g.Store(self.path), g.Store(self.path)
        entry = one.add(u'a', u'from one')
        self.assertEqual(two.get(entry.id), entry)
        ids = []

        def sign(i):
            ids.append(g.Store(self.path).add(u'n', unicode(i)).id)
        threads = [threading.Thread(target=sign, args=(i,)) for i in range(20)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(len(set(ids)), 20)
        self.assertEqual(one.page(100, 0)[1], 21)

    def test_a_full_disk_is_full(self):
        store = g.Store(self.path)
        real = store._connect

        def cramped():  # SQLite itself answers SQLITE_FULL once no page may be added
            db = real()
            pages = db.execute('PRAGMA page_count').fetchone()[0]
            db.execute('PRAGMA max_page_count = %d' % pages)
            return db
        store._connect = cramped
        self.assertRaises(g.Full, store.add, u'a', u'x' * 20000)
        store._connect = real
        self.assertEqual(store.page(20, 0), ([], 0))

    def test_the_full_message_is_mapped_and_other_errors_are_not(self):
        store = g.Store(self.path)

        class Refusing(object):
            def __init__(self, message):
                self.message = message

            def execute(self, *args):
                raise sqlite3.OperationalError(self.message)

            def close(self):
                pass
        store._connect = lambda: Refusing('database or disk is full')
        self.assertRaises(g.Full, store.add, u'a', u'b')
        store._connect = lambda: Refusing('database is locked')
        self.assertRaises(sqlite3.OperationalError, store.add, u'a', u'b')


class Page(unittest.TestCase):

    def test_escape_as_python_3(self):
        self.assertEqual(g.escape(u'<a href="x">Tom & \'Jerry\'</a>'),
                         u'&lt;a href=&quot;x&quot;&gt;Tom &amp; &#x27;Jerry&#x27;&lt;/a&gt;')
        self.assertEqual(g.escape(u'"&\'<>', quote=False), u'"&amp;\'&lt;&gt;')

    def test_render_page_escapes(self):
        page = g.render_page(IDENTITY, ENTRIES, 2)
        self.assertTrue(isinstance(page, unicode))
        self.assertTrue(u'<strong>&lt;script&gt;alert(1)&lt;/script&gt;</strong>' in page)
        self.assertTrue(u'Tom &amp; &quot;Jerry&quot; say &#x27;hi&#x27;' in page)
        self.assertTrue(u'<title>Tornado &lt;1.0&gt; &amp; "friends" (tornado-2009)</title>'
                        in page)
        self.assertTrue(u'<p>Served by Tornado &#x27;then&#x27;.</p>' in page)
        self.assertTrue(u'<strong>Zo\u00eb</strong>: \u65e5\u672c' in page)
        self.assertTrue(u'<h2>Entries (2)</h2>' in page and u'font-size: 80%;' in page)
        self.assertTrue(page.index(u'alert') < page.index(u'Zo\u00eb'))
        self.assertTrue(u'<form method="post" action="/guestbook">' in page)
        self.assertFalse(u'<script>' in page)

    def test_render_page_without_entries(self):
        page = g.render_page(IDENTITY, [], 0)
        self.assertTrue(u'<li>No entries yet: be the first to sign.</li>' in page)

    def test_identity_from_the_environment(self):
        saved = dict(os.environ)
        try:
            for key in ('ID', 'TITLE', 'YEAR', 'SERVER'):
                os.environ.pop('MUSEUM_EXHIBIT_' + key, None)
            self.assertEqual(g.identity(), (u'unnamed-exhibit', u'An exhibit outside the museum',
                                            u'?', u'?'))
            os.environ.update({'MUSEUM_EXHIBIT_ID': 'flask-2010',
                               'MUSEUM_EXHIBIT_TITLE': 'Flask \xc3\xa0 la 0.1',
                               'MUSEUM_EXHIBIT_YEAR': '2010', 'MUSEUM_EXHIBIT_SERVER': 'Werkzeug'})
            found = g.identity()
            self.assertEqual(found.title, u'Flask \u00e0 la 0.1')
            self.assertEqual((found.id, found.year, found.server),
                             (u'flask-2010', u'2010', u'Werkzeug'))
        finally:
            os.environ.clear()
            os.environ.update(saved)


class Thing(object):
    def __init__(self):
        self.method = 'GET'
        self.headers = {'x-probe': ['\xe9t\xe9']}
        self.callback = len
        self.__hidden = 1


class OldStyle:
    def __init__(self):
        self.path = '/'


def environ(**extra):
    base = {'REQUEST_METHOD': 'GET', 'SCRIPT_NAME': '', 'PATH_INFO': '/hello/Zo\xc3\xab',
            'QUERY_STRING': 'name=Zo%C3%AB&limit=5&limit=6&x=\xe9', 'SERVER_PROTOCOL': 'HTTP/1.1',
            'wsgi.url_scheme': 'http', 'REMOTE_ADDR': '127.0.0.1', 'HTTP_X_MUSEUM_PROBE': 'abc',
            'HTTP_HOST': 'localhost', 'CONTENT_TYPE': 'text/plain', 'CONTENT_LENGTH': '',
            'wsgi.input': StringIO('')}
    base.update(extra)
    return base


class Inspect(unittest.TestCase):

    def test_json_safe_keeps_structure(self):
        shown = g.json_safe({'scope': Thing(), 'numbers': (1, 2L), 'raw': '\xff',
                             'old': OldStyle(), 3: bytearray('\xfe'), u'set': set([1])})
        self.assertEqual(json.loads(json.dumps(shown)), shown)
        thing = shown[u'scope']
        self.assertTrue(thing['__class__'].endswith('.Thing'))
        self.assertEqual((thing['method'], thing['headers']),
                         (u'GET', {u'x-probe': [u'\xe9t\xe9']}))
        self.assertTrue(isinstance(thing['callback'], unicode))
        self.assertEqual(thing['_Thing__hidden'], 1)
        self.assertEqual(shown[u'old'], {'__class__': 'test_guestbook27.OldStyle', 'path': u'/'})
        self.assertEqual((shown[u'numbers'], shown[u'raw'], shown[u'3'], shown[u'set']),
                         ([1, 2], u'\xff', u'\xfe', [1]))

    def test_json_safe_stops_at_depth(self):
        deep = node = {}
        for _ in range(10):
            node['next'] = {}
            node = node['next']
        shown = g.json_safe(deep)
        for _ in range(g.MAX_DEPTH):
            shown = shown['next']
        self.assertEqual(shown, u"{'next': {'next': {'next': {'next': {'next': {'next': {}}}}}}}")

    def test_cgi_headers(self):
        self.assertEqual(g.cgi_headers(environ(HTTP_X_VALUE='\xe9')),
                         {u'x-museum-probe': u'abc', u'host': u'localhost',
                          u'content-type': u'text/plain', u'x-value': u'\xe9'})

    def test_process_and_document(self):
        found = g.process()
        self.assertEqual((found['pid'], found['thread']), (os.getpid(), 'MainThread'))
        self.assertTrue(found['python'].startswith('2.7'))
        shown = g.document('WSGI (PEP 333)', 'Tornado', '1.0', {'path': u'/'}, environ())
        self.assertEqual(shown['server'], {'software': 'Tornado', 'version': '1.0'})
        self.assertEqual((shown['interface'], shown['request']), ('WSGI (PEP 333)', {'path': u'/'}))
        self.assertEqual(shown['native']['HTTP_X_MUSEUM_PROBE'], u'abc')
        self.assertEqual(shown['process']['pid'], os.getpid())
        json.dumps(shown)


class Wsgi(unittest.TestCase):

    def test_path_and_query(self):
        self.assertEqual(g.path_info(environ()), u'/hello/Zo\u00eb')
        self.assertEqual(g.path_info(environ(PATH_INFO='/\xff')), u'/\ufffd')
        self.assertEqual(g.path_info({}), u'')
        self.assertEqual(g.query(environ()),
                         {u'name': u'Zo\u00eb', u'limit': u'5', u'x': u'\ufffd'})
        self.assertEqual(g.query(environ(QUERY_STRING='name=a+b')), {u'name': u'a b'})
        self.assertEqual(g.check_paging(g.query(environ()).get('limit'), None), (5, 0))

    def test_read_body_and_posted_entry(self):
        body = 'name=Ada&message=hi'
        posted = environ(REQUEST_METHOD='POST', CONTENT_TYPE='application/x-www-form-urlencoded',
                         CONTENT_LENGTH=str(len(body)), **{'wsgi.input': StringIO(body + 'junk')})
        self.assertEqual(g.posted_entry(posted), (u'Ada', u'hi'))
        self.assertEqual(g.read_body(environ(CONTENT_LENGTH='x')), '')
        self.assertEqual(g.read_body(environ(CONTENT_LENGTH='-3')), '')

    def test_reply(self):
        started = []
        body = g.reply(lambda status, headers: started.append((status, headers)), '201 Created',
                       g.JSON, u'{"name": "Zo\u00eb"}', [('Location', '/guestbook/1')])
        self.assertEqual(body, ['{"name": "Zo\xc3\xab"}'])
        self.assertEqual(started, [('201 Created', [('Content-Type', 'application/json'),
                                                    ('Content-Length', '16'),
                                                    ('Location', '/guestbook/1')])])
        self.assertTrue(all(type(v) is str for _, h in started for p in h for v in p))

    def test_paced_lines(self):
        began = time.time()
        lines = list(g.paced_lines(3, 20))
        self.assertEqual(lines, ['chunk 1/3\n', 'chunk 2/3\n', 'chunk 3/3\n'])
        self.assertTrue(time.time() - began >= 0.04)

    def test_json_text(self):
        self.assertEqual(g.json_text({'a': u'\u65e5'}), u'{"a": "\u65e5"}')
        self.assertEqual(g.json_text(['x']), u'["x"]')

    def test_request_info(self):
        found = g.request_info(environ(SCRIPT_NAME='/app'))
        self.assertEqual(found, {
            'method': u'GET', 'path': u'/app/hello/Zo\u00eb',
            'query': u'name=Zo%C3%AB&limit=5&limit=6&x=\xe9',
            'headers': {u'x-museum-probe': u'abc', u'host': u'localhost',
                        u'content-type': u'text/plain'},
            'http_version': u'1.1', 'scheme': u'http', 'client': u'127.0.0.1'})
        json.dumps(found)


class Events(unittest.TestCase):

    def test_event_text(self):
        entry = g.Entry(3, u'Zo\u00eb', u'hi', u'2010-01-01T00:00:00.000Z')
        self.assertEqual(g.event(entry), u'event: entry\nid: 3\ndata: %s\n\n' % entry.to_json())
        self.assertEqual(g.LISTENING, u': listening for new guestbook entries\n\n')
        self.assertEqual(g.KEEPALIVE, u': keep-alive\n\n')
        self.assertEqual(g.EVENT_STREAM, 'text/event-stream')


if __name__ == '__main__':
    unittest.main()
