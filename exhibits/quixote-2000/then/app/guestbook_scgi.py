#!/usr/bin/python
"""The SCGI server, as Quixote's doc/web-server.txt shows it: a script that calls run().

scgi's SCGIServer listens on port 3000 and forks up to five children; each child builds its
own Publisher (create_publisher) and handles the connections the parent passes it, one at a
time. Apache's mod_scgi connects to the port.
"""
from quixote.server.scgi_server import run
from guestbook_site import create_publisher

run(create_publisher, host='127.0.0.1', port=3000, max_children=5)
