#!/bin/sh
# Build or refresh the object tree in ZODB (the volume is empty on first start), then serve.
set -e
zconsole run /opt/zope/etc/zope.conf /app/setup_site.py
exec runwsgi /opt/zope/etc/zope.ini
