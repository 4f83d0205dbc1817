"""The guestbook's total, as the contract's GET /guestbook reports it."""

import json
import sys
import urllib.request

# as museum bench sends it: Django's ALLOWED_HOSTS holds no service name
HOST = {"Host": "127.0.0.1:8000"}

with urllib.request.urlopen(urllib.request.Request(
        f"{sys.argv[1]}/guestbook?limit=1", headers=HOST), timeout=30) as response:
    print(json.load(response)["total"])
