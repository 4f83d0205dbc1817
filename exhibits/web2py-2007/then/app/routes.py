# -*- coding: utf-8 -*-
# routes.py: web2py's URL rewriting (the book's "Pattern-based system"). Every path is
# /application/controller/function/args; routes_in maps the guestbook's short paths onto
# the functions of applications/guestbook/controllers/default.py, in order, first match wins.

# The guestbook parses its own arguments (request.raw_args): web2py's default check allows
# only [\w@=.-] in them, and "Zoë" is a name.
routes_apps_raw = ['guestbook']

routes_in = (
    ('/admin', '/admin'),
    ('/admin/$anything', '/admin/$anything'),
    ('/', '/guestbook/default/index'),
    ('/hello', '/guestbook/default/hello'),
    ('/hello/(?P<name>.+)', '/guestbook/default/hello/\g<name>'),
    ('/guestbook', '/guestbook/default/entries'),
    ('/guestbook/(?P<id>\d+)', '/guestbook/default/entry/\g<id>'),
    ('/inspect', '/guestbook/default/inspect'),
    ('/stream', '/guestbook/default/stream'),
    ('/slow', '/guestbook/default/slow'),
    ('/boom', '/guestbook/default/boom'),
    ('/$anything', '/guestbook/default/not_found'),
)

routes_out = (
    ('/guestbook/default/index', '/'),
    ('/guestbook/default/entry/$id', '/guestbook/$id'),
)
