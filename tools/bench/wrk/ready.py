"""Poll URL/hello until it answers 200; print the wall-clock time (epoch seconds) it first did."""

import sys
import time
import urllib.request

# as museum bench sends it: Django's ALLOWED_HOSTS holds no service name
HOST = {"Host": "127.0.0.1:8000"}

url, deadline = sys.argv[1], time.time() + float(sys.argv[2])
while time.time() < deadline:
    try:
        with urllib.request.urlopen(urllib.request.Request(
                f"{url}/hello", headers=HOST), timeout=2) as response:
            if response.status == 200:
                print(time.time())
                sys.exit(0)
    except OSError:
        pass
    time.sleep(0.02)
sys.exit(1)
