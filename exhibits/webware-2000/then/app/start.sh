#!/bin/sh
# Two servers in one container, started as a Webware site started them: the AppServer (the
# working directory's own script, which restarts it while it exits with 3) and Apache in front.
# docker stop's SIGTERM reaches this shell through tini and is passed on to both; when either
# server stops, the other is stopped too, and the container with them.
cd /app
./AppServer &
appserver=$!
apache2 -f /etc/apache2/webkit.conf -DFOREGROUND &
apache=$!
trap 'trap "" TERM INT; kill -TERM 0' TERM INT
while kill -0 $appserver 2>/dev/null && kill -0 $apache 2>/dev/null; do
	sleep 1 & wait $!
done
trap "" TERM INT
kill -TERM 0
wait
