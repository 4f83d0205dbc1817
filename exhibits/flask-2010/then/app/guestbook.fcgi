#!/usr/bin/python2.7
# -*- coding: utf-8 -*-
# Flask 0.1's deployment chapter, "Creating a .fcgi file": flup's FastCGI server on the socket
# that nginx passes requests to. debug=False: flup's debug page would show the traceback.
from flup.server.fcgi import WSGIServer
from guestbook import app

WSGIServer(app, bindAddress='/tmp/guestbook-fcgi.sock', debug=False).run()
