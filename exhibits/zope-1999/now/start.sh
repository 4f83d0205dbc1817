#!/bin/sh
# Build or refresh the object tree in ZODB (the volume is empty on first start), then serve.
set -e
cd /opt/zope
zconsole run etc/zope.conf setup_site.py
exec runwsgi etc/zope.ini
