"""A worker, as `manage.py runworker` ran one: a loop that takes the next message from any
channel it serves and hands it to that channel's consumer. Single-threaded, one message at a
time; supervisord runs as many as ASGI_WORKERS asks, beside daphne.

    while True:
        channel, message = channel_layer.receive(channels)
        consumers[channel](message)
"""
import logging
import os
import signal
import sys
import time

from asgi import channel_layer
from consumers import channel_routing

logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                    format="%(asctime)-15s %(levelname)-8s worker %(process)d %(message)s")
logger = logging.getLogger("worker")

IDLE = 0.01  # asgi_ipc cannot block in receive(): poll, as the worker of the time did


class Worker(object):

    def __init__(self, channel_layer, routing):
        self.channel_layer = channel_layer
        self.routing = routing
        self.channels = sorted(routing)
        self.stopping = False

    def stop(self, signum, frame):
        # As runworker did on SIGTERM: finish the message in hand, then exit.
        self.stopping = True

    def run(self):
        logger.info("Listening on channels %s", ", ".join(self.channels))
        while not self.stopping:
            channel, message = self.channel_layer.receive(self.channels, block=False)
            if channel is None:
                time.sleep(IDLE)
                continue
            try:
                self.routing[channel](message)
            except Exception:
                logger.exception("Error processing message on %s", channel)
        logger.info("Stopped")


if __name__ == "__main__":
    worker = Worker(channel_layer, channel_routing)
    signal.signal(signal.SIGTERM, worker.stop)
    signal.signal(signal.SIGINT, worker.stop)
    logger.info("Worker pid %s starting", os.getpid())
    worker.run()
