#!/usr/bin/env python2.7
# -*- coding: utf-8 -*-
"""Start the guestbook the way a `tg-admin quickstart` project started: read the config file
named on the command line (dev.cfg by default), connect the model, put the Root controller on
CherryPy and start its server. TurboGears 1.0 did the middle two in
turbogears.update_config() and turbogears.start_server(Root()); here they are spelled out."""

import os
import socket
import sys

import cherrypy
from cherrypy import _cpwsgiserver

from guestbook import model
from guestbook.controllers import Root

if len(sys.argv) > 1:
    configfile = sys.argv[1]
elif os.path.exists(os.path.join(os.path.dirname(__file__), "setup.py")):
    configfile = "dev.cfg"
else:
    configfile = "prod.cfg"

cherrypy.config.update(file=configfile)
model.connect(cherrypy.config.get("sqlobject.dburi"))


class HTTPRequest(_cpwsgiserver.HTTPRequest):
    """CherryPy 2.2's server on Python 2.7: when a client leaves before its answer is sent,
    socket._fileobject keeps the unsent bytes, close() in terminate() raises again outside any
    handler, and the worker thread dies. Ten of them and nothing answers any more."""

    def terminate(self):
        try:
            super(HTTPRequest, self).terminate()
        except socket.error:
            self.socket.close()

_cpwsgiserver.HTTPRequest = HTTPRequest

cherrypy.root = Root()
cherrypy.server.start()
