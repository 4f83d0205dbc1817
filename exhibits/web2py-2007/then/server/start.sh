#!/bin/sh
# Start web2py with its bundled Rocket server: plain HTTP on 8000 for the guestbook, and
# HTTPS on 8443 for the admin, which web2py opens only to local or HTTPS clients. The admin
# password is made up by web2py itself (-a '<random>') and printed below; the certificate is
# made here, at every start, and never kept.
set -e
scratch=/tmp/web2py
for app in admin guestbook welcome; do
    for folder in errors sessions cache uploads databases; do
        mkdir -p "$scratch/$app/$folder"
    done
done
mkdir -p "$scratch/deposit" "$scratch/logs"
openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj /CN=localhost \
    -keyout "$scratch/key.pem" -out "$scratch/cert.pem" 2>/dev/null
cd /app
# --interfaces' help says ip:port:cert:key, but Rocket reads the key first (gluon/rocket.py,
# Listener.wrap_socket: keyfile = interface[2], certfile = interface[3]), as -k/-c pass them.
exec runweb2py -a '<random>' -N -l /dev/stdout -d "$scratch/httpserver.pid" \
    --interfaces="0.0.0.0:8000;0.0.0.0:8443:$scratch/key.pem:$scratch/cert.pem"
