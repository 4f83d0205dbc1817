#!/bin/sh
# The site's objects and a Manager with a fresh password (setup_site.py), then ZServer in
# the foreground: runzope, the instance's own start script, replaces this shell.
set -e
/opt/zope/bin/zopectl run /app/setup_site.py
exec /opt/zope/bin/runzope
