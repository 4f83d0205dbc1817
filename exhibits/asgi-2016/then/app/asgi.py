"""The channel layer, where a Channels 1 project kept it: in asgi.py, for the interface server
(`daphne asgi:channel_layer`) and every worker to find.

asgi_ipc keeps every channel in one POSIX shared-memory segment under /dev/shm, locked by a
POSIX semaphore, so daphne and the workers can be separate processes on one machine without
a Redis server between them. The segments are sized for the container's 64 MB /dev/shm.
"""
import asgi_ipc

from guestbook import MAX_BODY

MESSAGE_MAX = 1024 * 1024  # "The maximum message size is 1MB", says the ASGI 1 spec


class IPCChannelLayer(asgi_ipc.IPCChannelLayer):
    """asgi_ipc 1.4.2 pickles its whole store into the fixed segment on every change: a message
    that does not fit leaves the segment cut short, and every later operation fails
    ("UnpicklingError: pickle data was truncated") until the processes restart. daphne 1.x
    sends a request's whole body in its http.request message, whatever its size, where the
    spec says 1 MB and the rest on a body channel. So a body is cut to one byte more than the
    consumer takes (it answers 413 all the same), and any other message over 1 MB is refused
    as if its channel were full (daphne closes a WebSocket with 1013 for that)."""

    def send(self, channel, message):
        if channel == "http.request" and len(message.get("body", b"")) > MAX_BODY:
            message = dict(message, body=message["body"][:MAX_BODY + 1])
        elif sum(len(value) for value in message.values()
                 if isinstance(value, (bytes, str))) > MESSAGE_MAX:
            raise self.ChannelFull()
        super(IPCChannelLayer, self).send(channel, message)


channel_layer = IPCChannelLayer(
    prefix="guestbook",
    message_memory=32 * 1024 * 1024,
    group_memory=1024 * 1024,
    capacity=100,  # messages a channel holds before send() raises ChannelFull (default 10)
    expiry=60,     # seconds a message waits for a reader before it is dropped
)
