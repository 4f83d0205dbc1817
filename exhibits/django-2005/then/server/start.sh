#!/bin/sh
# Create the tables, start Django's FastCGI server on a Unix socket, then lighttpd in front;
# on SIGTERM (docker stop) end both.
set -e
cd /app/mysite
DJANGO_SECRET_KEY=$(python2.7 -c 'import binascii, os; print binascii.hexlify(os.urandom(25))')
export DJANGO_SECRET_KEY
python2.7 manage.py syncdb --noinput
rm -f /tmp/mysite.sock
python2.7 manage.py runfcgi method=prefork socket=/tmp/mysite.sock daemonize=false \
    maxchildren=10 maxspare=5 minspare=2 &
fcgi=$!
while [ ! -S /tmp/mysite.sock ]; do sleep 0.1; done
lighttpd -D -f /etc/museum/lighttpd.conf &
httpd=$!
trap 'kill -TERM $httpd $fcgi 2>/dev/null' TERM INT
# The first to end (or a signal) ends the container: stop the other and wait for both.
wait $httpd || true
kill -TERM $httpd $fcgi 2>/dev/null || true
wait
