# -*- coding: utf-8 -*-
"""app.application keeps PEP 333: every route of the guestbook, run in-process under
Python 2.7's wsgiref.validate.validator, which raises AssertionError on any breach of the
spec (a status or a header that is unicode, not str; headers that are not a list of pairs;
an iterable that is not closed...). Run in the image: python2.7 -m unittest -v test_pep333
"""

import json
import os
import shutil
import sys
import tempfile
import unittest
import wsgiref.util
import wsgiref.validate
from StringIO import StringIO

FOLDER = tempfile.mkdtemp(prefix='guestbook-')
os.environ['GUESTBOOK_DB'] = os.path.join(FOLDER, 'guestbook.sqlite3')
os.environ['MUSEUM_EXHIBIT_ID'] = 'wsgi-2003'

import app  # noqa: E402  (the store opens where GUESTBOOK_DB says, at import)


class Result(object):

    def __init__(self, status, headers, chunks):
        self.status, self.headers, self.chunks = status, headers, chunks
        self.body = ''.join(chunks)
        self.code = int(status.split()[0])

    def header(self, name):
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None

    def json(self):
        return json.loads(self.body)


def call(application, method, path, query='', body='', content_type=None, headers=None):
    """One request through validator(application), the way a server would drive it."""
    environ = {
        'REQUEST_METHOD': method,
        'SCRIPT_NAME': '',
        'PATH_INFO': path,  # PEP 333: percent-decoded, as bytes (a str)
        'QUERY_STRING': query,
        'wsgi.input': StringIO(body),
        'wsgi.errors': StringIO(),
    }
    if body or method == 'POST':
        environ['CONTENT_LENGTH'] = str(len(body))
    if content_type is not None:
        environ['CONTENT_TYPE'] = content_type
    for name, value in (headers or {}).items():
        environ['HTTP_' + name.upper().replace('-', '_')] = value
    wsgiref.util.setup_testing_defaults(environ)
    started = []

    def start_response(status, response_headers, exc_info=None):
        started.append((status, response_headers))
        return lambda data: None

    iterable = wsgiref.validate.validator(application)(environ, start_response)
    try:
        chunks = list(iterable)
    finally:
        iterable.close()
    assert len(started) == 1, started
    assert [type(chunk) for chunk in chunks if type(chunk) is not str] == [], chunks
    return Result(started[0][0], started[0][1], chunks)


def sign(name, message):
    result = call(app.application, 'POST', '/guestbook', body=json.dumps(
        {'name': name, 'message': message}), content_type='application/json')
    assert result.code == 201, result.body
    return result.json()


def total():
    return call(app.application, 'GET', '/guestbook').json()['total']


class PEP333(unittest.TestCase):

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(FOLDER, ignore_errors=True)

    def test_the_validator_catches_a_broken_app(self):
        def broken(environ, start_response):
            start_response(u'200 OK', [('Content-Type', 'text/plain')])
            return ['a unicode status line, where PEP 333 wants a str']
        self.assertRaises(AssertionError, call, broken, 'GET', '/')

    def test_front_page_and_head(self):
        sign('<script>', 'hi')
        got = call(app.application, 'GET', '/')
        self.assertEqual((got.code, got.header('Content-Type')), (200, 'text/html; charset=utf-8'))
        self.assertTrue('&lt;script&gt;' in got.body and 'action="/guestbook"' in got.body)
        head = call(app.application, 'HEAD', '/')
        self.assertEqual((head.code, head.body), (200, ''))
        self.assertEqual(head.header('Content-Length'), got.header('Content-Length'))

    def test_hello(self):
        for path, query, text in [('/hello', '', 'Hello, World!'),
                                  ('/hello/Zo\xc3\xab', '', 'Hello, Zo\xc3\xab!'),
                                  ('/hello', 'name=Ada+Lovelace', 'Hello, Ada Lovelace!'),
                                  ('/hello', 'name=Zo%C3%AB', 'Hello, Zo\xc3\xab!')]:
            got = call(app.application, 'GET', path, query)
            self.assertEqual((got.code, got.body), (200, text))
            self.assertEqual(got.header('Content-Type'), 'text/plain; charset=utf-8')

    def test_bytes_that_are_not_utf8_are_400(self):
        self.assertEqual(call(app.application, 'GET', '/hello/\xff').code, 400)
        self.assertEqual(call(app.application, 'GET', '/hello', 'name=%ff').code, 400)

    def test_guestbook_read_and_paging(self):
        first, second = sign('Ada', 'one'), sign('Bob', 'two')
        newest = call(app.application, 'GET', '/guestbook', 'limit=2').json()['entries']
        self.assertEqual(newest, [second, first])
        got = call(app.application, 'GET', '/guestbook', 'limit=1&offset=1').json()
        self.assertEqual(got['entries'], [first])
        self.assertEqual(call(app.application, 'GET', '/guestbook/%d' % first['id']).json(),
                         first)
        self.assertEqual(call(app.application, 'GET', '/guestbook/' + '9' * 30).code, 404)
        for query, field in [('limit=0', 'limit'), ('limit=101', 'limit'), ('limit=x', 'limit'),
                             ('offset=-1', 'offset')]:
            got = call(app.application, 'GET', '/guestbook', query)
            self.assertEqual((got.code, got.json()['field']), (400, field))

    def test_post_form_redirects(self):
        got = call(app.application, 'POST', '/guestbook', body='name=Zo%C3%AB&message=+hi+',
                   content_type='application/x-www-form-urlencoded')
        self.assertEqual((got.code, got.header('Location')), (303, '/'))
        entry = call(app.application, 'GET', '/guestbook').json()['entries'][0]
        self.assertEqual((entry['name'], entry['message']), (u'Zo\xeb', u'hi'))

    def test_post_rejections_store_nothing(self):
        before = total()
        for body, status, field in [
                ('{"name": "", "message": "hi"}', 400, 'name'),
                ('{"name": "Ada", "message": 42}', 400, 'message'),
                ('{"name": "\\ud800", "message": "hi"}', 400, 'name'),
                ('{not json', 400, None), ('[1, 2]', 400, None),
                ('{"name": "Ada", "message": "' + 'x' * 65536 + '"}', 413, None)]:
            got = call(app.application, 'POST', '/guestbook', body=body,
                       content_type='application/json')
            self.assertEqual((got.code, got.json().get('field')), (status, field))
        for content_type in [None, 'text/plain']:
            got = call(app.application, 'POST', '/guestbook', body='name=a&message=b',
                       content_type=content_type)
            self.assertEqual(got.code, 415)
        got = call(app.application, 'POST', '/guestbook', body='{}',
                   content_type='application/json', headers={'Transfer-Encoding': 'chunked'})
        self.assertEqual(got.code, 411)
        self.assertEqual(total(), before)

    def test_inspect(self):
        got = call(app.application, 'GET', '/inspect', 'probe=1',
                   headers={'X-Museum-Probe': 'here'}).json()
        self.assertEqual(got['interface'], 'WSGI')
        self.assertEqual(got['request']['headers']['x-museum-probe'], 'here')
        self.assertEqual((got['request']['path'], got['request']['query']), ('/inspect', 'probe=1'))
        self.assertEqual(got['native']['HTTP_X_MUSEUM_PROBE'], 'here')
        self.assertEqual(got['native']['wsgi.version'], [1, 0])
        self.assertEqual(got['process']['python'], '2.7.18')

    def test_stream_is_a_generator_of_str(self):
        got = call(app.application, 'GET', '/stream', 'chunks=3&delay_ms=0')
        self.assertEqual(got.chunks, ['chunk 1/3\n', 'chunk 2/3\n', 'chunk 3/3\n'])
        self.assertEqual(call(app.application, 'GET', '/stream', 'chunks=0').json()['field'],
                         'chunks')

    def test_slow(self):
        got = call(app.application, 'GET', '/slow', 'ms=10').json()
        self.assertEqual(got['ms'], 10)
        self.assertEqual(call(app.application, 'GET', '/slow', 'ms=soon').json()['field'], 'ms')

    def test_boom_is_a_500_with_exc_info_and_a_logged_traceback(self):
        got = call(app.application, 'GET', '/boom')
        self.assertEqual(got.code, 500)
        self.assertFalse('Traceback' in got.body)

    def test_wrong_method_is_405_and_unknown_path_404(self):
        for method, path, allow in [('POST', '/hello/x', 'GET, HEAD'),
                                    ('DELETE', '/guestbook', 'GET, POST, HEAD'),
                                    ('PUT', '/inspect', 'GET, HEAD')]:
            got = call(app.application, method, path)
            self.assertEqual((got.code, got.header('Allow')), (405, allow))
        for path in ['/nowhere', '/events', '/ws']:
            got = call(app.application, 'GET', path)
            self.assertEqual((got.code, got.header('Content-Type')), (404, 'application/json'))


if __name__ == '__main__':
    unittest.main()
