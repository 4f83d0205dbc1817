"""N concurrent GET /slow?ms=D at once; prints seconds until all N were answered, as JSON."""

import json
import sys
import threading
import time
import urllib.request

# as museum bench sends it: Django's ALLOWED_HOSTS holds no service name
HOST = {"Host": "127.0.0.1:8000"}

url, n, ms = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
limit = float(sys.argv[4]) if len(sys.argv) > 4 else 120.0
gate = threading.Barrier(n + 1)
finished: list[float] = []
failures: list[str] = []


def one() -> None:
    gate.wait()
    try:
        with urllib.request.urlopen(urllib.request.Request(
                f"{url}/slow?ms={ms}", headers=HOST), timeout=limit) as response:
            response.read()
        finished.append(time.monotonic())
    except (OSError, ValueError) as error:
        failures.append(str(error))


threads = [threading.Thread(target=one) for _ in range(n)]
for thread in threads:
    thread.start()
gate.wait()
start = time.monotonic()
for thread in threads:
    thread.join()
print(json.dumps({"wall": (max(finished) - start) if finished else None,
                  "answered": len(finished), "failures": failures[:3]}))
