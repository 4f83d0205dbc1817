# -*- coding: utf-8 -*-
# Models run before every request, in the environment web2py prepares: DAL, Field, request,
# response, session... are already there.
import logging
import traceback
from datetime import datetime

import guestbook27 as contract

# databases/ is the /data volume: the SQLite file and the DAL's .table migration records.
db = DAL('sqlite://guestbook.sqlite')

db.define_table('entry',
    Field('name', 'string', length=64, notnull=True),
    Field('message', 'text', notnull=True),
    Field('created', 'datetime', default=lambda: datetime.utcnow()))

# No logins and no carts: the guestbook keeps no session files.
session.forget(response)


def error_page(status, message, field=None, **headers):
    """The contract's JSON error, raised as web2py's HTTP exception."""
    headers['Content-Type'] = 'application/json'
    return HTTP(status, contract.error_body(message, field), **headers)


def report_and_reraise(function):
    """response._caller runs the controller's function: bad input becomes a 400, and any
    other exception is written to the log before web2py files its ticket."""
    try:
        return function()
    except contract.Invalid, problem:
        raise error_page(400, problem.message, problem.field)
    except HTTP:
        raise
    except Exception:
        logger.error('%s %s failed, ticket follows\n%s', request.env.request_method,
                     request.env.web2py_original_uri, traceback.format_exc())
        raise

logger = logging.getLogger('web2py.app.guestbook')
response._caller = report_and_reraise
