#!/bin/sh
# Flask 0.1's deployment chapter: "Since Nginx doesn't load FastCGI apps, you have to do it by
# yourself." This starts flup's FastCGI server, then nginx once the socket is there, both as
# the unprivileged user; docker stop's SIGTERM (from tini, PID 1) stops both.
rm -f /tmp/guestbook-fcgi.sock
python2.7 /app/guestbook.fcgi &
app=$!
while [ ! -S /tmp/guestbook-fcgi.sock ] && kill -0 $app 2>/dev/null; do sleep 0.1; done
nginx -c /etc/museum/nginx.conf &
web=$!
trap 'kill -TERM $web $app 2>/dev/null; wait; exit 0' TERM INT
while kill -0 $app 2>/dev/null && kill -0 $web 2>/dev/null; do sleep 1; done
kill -TERM $web $app 2>/dev/null
wait
exit 1
