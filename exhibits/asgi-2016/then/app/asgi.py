"""The channel layer, where a Channels 1 project kept it: in asgi.py, for the interface server
(`daphne asgi:channel_layer`) and every worker to find.

asgi_ipc keeps every channel in one POSIX shared-memory segment under /dev/shm, locked by a
POSIX semaphore, so daphne and the workers can be separate processes on one machine without
a Redis server between them. The segments are sized for the container's 64 MB /dev/shm.
"""
import asgi_ipc

channel_layer = asgi_ipc.IPCChannelLayer(
    prefix="guestbook",
    message_memory=32 * 1024 * 1024,
    group_memory=1024 * 1024,
    capacity=100,  # messages a channel holds before send() raises ChannelFull (default 10)
    expiry=60,     # seconds a message waits for a reader before it is dropped
)
