# -*- coding: utf-8 -*-
# The guestbook as a Twisted application: `twistd -ny guestbook.tac` runs it.
from twisted.application import internet, service
from twisted.web import server
from twisted.web.resource import Resource

from guestbook_web import (Boom, Events, FrontPage, Guestbook, GuestbookChannel,
                           GuestbookRequest, Hello, Inspect, Slow, Stream, dbpool)
import guestbook27 as gb

events = Events()
root = Resource()
root.putChild('', FrontPage())
root.putChild('hello', Hello())
root.putChild('guestbook', Guestbook(events))
root.putChild('stream', Stream())
root.putChild('slow', Slow())
root.putChild('events', events)
root.putChild('inspect', Inspect())
root.putChild('boom', Boom())

site = server.Site(root, timeout=5)
site.protocol = GuestbookChannel
site.requestFactory = GuestbookRequest
site.displayTracebacks = False

dbpool.runOperation(gb.SCHEMA)  # the pool's one thread runs this before any request's call

application = service.Application('guestbook')
internet.TCPServer(8000, site).setServiceParent(application)
