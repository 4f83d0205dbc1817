"""The site's objects, made at every start by `zopectl run`, which hands this script `app`,
the root of the object database.

What a site manager of 1999 did by clicking in the ZMI, done again at each start so that it
cannot drift: the guestbook and the other published objects are added when missing, the DTML
Methods are refreshed from the files beside this script, and the Manager who may log in to
the ZMI gets a new random password, printed to the log and kept nowhere else.
"""

import binascii
import os
import sys

import transaction
from OFS.DTMLMethod import addDTMLMethod
from Products.Guestbook.Guestbook import Boom, FrontDoor, Hello, Inspector, Sleeper, Stream
from ZPublisher.BeforeTraverse import registerBeforeTraverse, unregisterBeforeTraverse

import guestbook27

SITE = os.path.join(os.path.dirname(sys.argv[0]), 'site')  # zopectl run: argv[0] is this script
OBJECTS = [('hello', Hello), ('inspect', Inspector), ('slow', Sleeper), ('boom', Boom),
           ('stream', Stream)]
METHODS = ['standard_html_header', 'standard_html_footer', 'index_html',
           'standard_error_message']
MANAGER = 'admin'

if 'guestbook' not in app.objectIds():
    app.manage_addProduct['Guestbook'].manage_addGuestbook('guestbook', 'The guestbook')
for name, kind in OBJECTS:
    if name not in app.objectIds():
        app._setObject(name, kind(name))

if 'index_html' in app.objectIds() and app.index_html.meta_type != 'DTML Method':
    app.manage_delObjects(['index_html'])  # the Page Template a new Zope starts with
for name in METHODS:
    source = open(os.path.join(SITE, name + '.dtml')).read()
    if name not in app.objectIds():
        addDTMLMethod(app, name)
    app[name].manage_edit(source, name)
# HEAD / is answered by WebDAV's HEAD of index_html, which reads the type from here.
app.index_html.content_type = 'text/html; charset=utf-8'

unregisterBeforeTraverse(app, 'FrontDoor')
registerBeforeTraverse(app, FrontDoor(), 'FrontDoor')

# Who this exhibit is: properties of the root folder, acquired by the DTML.
exhibit = guestbook27.identity()
app.manage_changeProperties(title=exhibit.title)
for key, value in [('exhibit_id', exhibit.id), ('exhibit_year', exhibit.year),
                   ('exhibit_server', exhibit.server)]:
    if app.hasProperty(key):
        app.manage_changeProperties(**{key: value})
    else:
        app.manage_addProperty(key, value, 'ustring')

# Tracebacks of what raises go to the event log, and so to the container's log.
app.error_log.setProperties(keep_entries=20, copy_to_zlog=True,
                            ignored_exceptions=('Unauthorized', 'NotFound', 'Redirect'))

password = binascii.hexlify(os.urandom(12))
if app.acl_users.getUser(MANAGER) is None:
    app.acl_users._doAddUser(MANAGER, password, ['Manager'], [])
else:
    app.acl_users._doChangeUser(MANAGER, password, ['Manager'], [])

transaction.get().note('setup_site.py: the museum\'s objects')
transaction.commit()
print('Site ready: %s' % ', '.join(sorted(app.objectIds())))
print('The ZMI is at /manage: log in as %s with the password %s' % (MANAGER, password))
