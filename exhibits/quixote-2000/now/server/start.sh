#!/bin/bash
# Two servers in one container: Quixote's SCGI server (a parent process handing each
# connection to one of five forked children) and nginx in front of it, both as the container's
# unprivileged user. SIGTERM stops both; if either dies, the other is stopped too and the
# container exits.
set -u

/opt/venv/bin/python3 -m quixote.server.scgi_server \
    --factory guestbook_site.create_publisher --host 127.0.0.1 --port 3000 &
scgi=$!
nginx -c /etc/museum/nginx.conf &
nginx=$!

stopping=0
trap 'stopping=1; kill -TERM "$scgi" "$nginx" 2>/dev/null' TERM INT
wait -n
status=$?
kill -TERM "$scgi" "$nginx" 2>/dev/null
wait
if [ "$stopping" = 1 ]; then exit 0; fi
echo "start.sh: a server exited (status $status); stopping the container" >&2
exit 1
