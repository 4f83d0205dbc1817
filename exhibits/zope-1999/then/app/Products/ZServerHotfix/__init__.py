"""A hotfix, the way Zope's were shipped: a Product whose import patches Zope itself.

Two faults of ZServer's HTTP handling, both of them races between medusa's thread, which
reads the connections, and the publisher threads, which answer them; they are fixed so that
every request gets one answer, always the same. The requests that ZServer 1.1 answers wrongly
but always alike stay as they are: timeline.yaml records them as quirks.

1. ZServer reads a request's body by its Content-Length and by nothing else. A body sent with
   Transfer-Encoding (chunked) is never read: its bytes stay in the connection and medusa
   parses them as the next request, which it refuses itself with a 400 from its own thread,
   often before Zope has answered the request they belong to. Refused here at once, from the
   same thread, with 411 Length Required, and the connection closed behind it.

2. A client may send its request and then shut down its half of the connection, waiting for
   the answer. medusa takes that end of the stream for a hang-up and closes the channel,
   throwing away the answer a publisher thread is still preparing, unless that thread was
   quicker. Here the channel stops reading and closes once its answers are sent.
"""

import re

from ZServer.HTTPServer import zhttp_channel, zhttp_handler
from ZServer.medusa.http_server import get_header

TRANSFER_ENCODING = re.compile('Transfer-Encoding: (.*)', re.IGNORECASE)

_handle_request = zhttp_handler.handle_request
_readable = zhttp_channel.readable
_done = zhttp_channel.done


def handle_request(self, request):
    if get_header(TRANSFER_ENCODING, request.header):
        request.error(411)
        request.channel.close_when_done()  # the chunks that follow are never parsed
        return
    return _handle_request(self, request)


def handle_close(self):
    if self.current_request is None and (self.working or self.queue):
        self.end_of_input = 1  # answer what was asked first
    else:
        self.close()


def readable(self):
    return not self.end_of_input and _readable(self)


def done(self):
    _done(self)
    if self.end_of_input and not self.working and not self.queue:
        self.close_when_done()


zhttp_handler.handle_request = handle_request
zhttp_channel.end_of_input = 0
zhttp_channel.handle_close = handle_close
zhttp_channel.readable = readable
zhttp_channel.done = done


def initialize(context):
    pass
