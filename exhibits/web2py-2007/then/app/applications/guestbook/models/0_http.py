# -*- coding: utf-8 -*-
# Models run in alphabetical order before every request, so this one runs first. Rocket 1.2
# keeps header lines that HTTP forbids (a name with spaces or brackets, a value with a NUL or
# a bare CR) and sets no limit on a request's size; what still shows in request.env is
# refused here, before the guestbook sees it.
import re

import guestbook27 as contract

HEADER_NAME = re.compile(r"[a-z0-9_!#$%&'*+.^`|~]+\Z")  # as request.env spells it
CONTROL = re.compile(r'[\x00-\x08\x0a-\x1f\x7f]')
LIMIT = 64 * 1024


def refuse_malformed(env):
    if len(env.web2py_original_uri or '') > LIMIT:
        return 414, 'the request target is over 64 KiB'
    for key, value in env.items():
        if not key.startswith('http_') or not isinstance(value, str):
            continue
        if not HEADER_NAME.match(key[5:]):
            return 400, 'a header name holds a character a name may not'
        if CONTROL.search(value):
            return 400, 'a header value holds a control character'
        if len(value) > LIMIT:
            return 431, 'a header is over 64 KiB'
    return None

malformed = refuse_malformed(request.env)
if malformed:
    raise HTTP(malformed[0], contract.error_body(malformed[1]),
               **{'Content-Type': 'application/json', 'Connection': 'close'})
