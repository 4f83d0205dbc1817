"""Serve the Webware application with waitress, and stop on SIGTERM.

`webware serve` does the same but ignores SIGTERM; this launcher loads the application
object from the working directory's Scripts/WSGIScript.py, as mod_wsgi would.
"""

from __future__ import annotations

import runpy
import signal
import sys
from types import FrameType

from waitress.server import create_server

WSGI_SCRIPT = "/opt/museum/app/Scripts/WSGIScript.py"
# WebKit's ThreadedAppServer started 10 request threads (StartServerThreads = 10).
THREADS = 10


def stop(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(0)  # waitress's run() catches it, closes the sockets, joins its threads


def main() -> None:
    application = runpy.run_path(WSGI_SCRIPT)["application"]
    server = create_server(application, host="0.0.0.0", port=8000, threads=THREADS)
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print(f"waitress serving Webware on http://0.0.0.0:8000 with {THREADS} threads",
          file=sys.stderr)
    server.run()


if __name__ == "__main__":
    main()
