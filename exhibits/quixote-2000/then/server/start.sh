#!/bin/bash
# Two servers in one container, as a 2005 host ran them from two init scripts: the SCGI server
# (scgi 1.8's SCGIServer, a parent handing each connection to one of five forked Quixote
# children) and Apache with mod_scgi in front of it. SIGTERM stops both; if either dies, the
# other is stopped too and the container exits.
set -u

python2.7 /app/guestbook_scgi.py &
scgi=$!
apache2 -DFOREGROUND -f /etc/museum/apache2.conf &
apache=$!

stopping=0
trap 'stopping=1; kill -TERM "$scgi" "$apache" 2>/dev/null' TERM INT
wait -n
status=$?
kill -TERM "$scgi" "$apache" 2>/dev/null
wait
if [ "$stopping" = 1 ]; then exit 0; fi
echo "start.sh: a server exited (status $status); stopping the container" >&2
exit 1
