#!/bin/sh
# Apply the migrations to the SQLite file on /data, then hand the process over to gunicorn.
set -e
# One secret for all of gunicorn's workers (nothing here signs cookies, but Django wants one).
DJANGO_SECRET_KEY="${DJANGO_SECRET_KEY:-$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')}"
export DJANGO_SECRET_KEY
python3 manage.py migrate --noinput
exec gunicorn mysite.wsgi
