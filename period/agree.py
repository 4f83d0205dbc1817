# -*- coding: utf-8 -*-
"""Runs cases through guestbook27 for the test that keeps it in step with guestbook.

Reads a JSON list of cases on stdin, each {"fn": name, "args": [...]}, and writes a JSON list
of results on stdout, one per case: {"ok": value}, {"invalid": [message, field]} or
{"raised": the exception's class name}. In the arguments {"b": text} stands for the byte str
whose bytes are the text's latin-1 code points, so that any bytes can be sent.
"""

import json
import re
import sys

import guestbook27 as g


def wire(value):
    if isinstance(value, dict) and value.keys() == [u'b']:
        return value[u'b'].encode('latin-1')
    if isinstance(value, list):
        return [wire(item) for item in value]
    return value


def render_page(exhibit, entries, total):
    return g.render_page(g.Identity(*exhibit), [g.Entry(*e) for e in entries], total)


def sql():
    return [g.SCHEMA, g.JOURNAL, g.INSERT, g.SELECT_ONE, g.SELECT_PAGE, g.SELECT_AFTER, g.COUNT,
            g.LAST_ID]


FUNCTIONS = {
    'check_entry': g.check_entry,
    'check_paging': g.check_paging,
    'whole_number': g.whole_number,
    'content_kind': g.content_kind,
    'entry_from_json': g.entry_from_json,
    'entry_from_form': g.entry_from_form,
    'entry_from_body': g.entry_from_body,
    'stream_params': g.stream_params,
    'slow_param': g.slow_param,
    'stream_line': g.stream_line,
    'error_body': g.error_body,
    'escape': g.escape,
    'to_json': lambda *fields: g.Entry(*fields).to_json(),
    'as_dict': lambda *fields: g.Entry(*fields).as_dict(),
    'location': lambda *fields: g.Entry(*fields).location,
    'event': lambda *fields: g.event(g.Entry(*fields)),
    'render_page': render_page,
    'sql': sql,
    'now_shape': lambda: re.sub(r'\d', '0', g.now()),
    'constants': lambda: [g.MAX_BODY, g.NAME_MAX, g.MESSAGE_MAX, g.LIMIT_DEFAULT, g.LIMIT_MAX,
                          g.LISTENING, g.KEEPALIVE, g.EVENT_STREAM, g.STYLE],
}


def run(case):
    try:
        return {'ok': FUNCTIONS[case[u'fn']](*wire(case[u'args']))}
    except g.Invalid as error:
        return {'invalid': [error.message, error.field]}
    except Exception as error:
        return {'raised': type(error).__name__}


def main():
    cases = json.loads(sys.stdin.read())
    sys.stdout.write(json.dumps([run(case) for case in cases]))


if __name__ == '__main__':
    main()
