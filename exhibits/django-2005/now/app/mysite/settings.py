"""Settings for the guestbook site: a Django project the way `startproject` lays it out."""

import os
import secrets

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(50)

# Off in the museum as in production: a 500 shows the visitor no traceback.
DEBUG = False
# Compose publishes the container on a loopback address only (127.0.0.1, or another address of
# 127.0.0.0/8 for a test run), so any Host that reaches it came through that door.
ALLOWED_HOSTS = os.environ.get("DJANGO_ALLOWED_HOSTS", "*").split(",")

# In 2005 an app lived inside its project and was named 'mysite.polls'.
INSTALLED_APPS = ["mysite.guestbook"]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "mysite.guestbook.middleware.body_limit",
    "mysite.guestbook.middleware.strict_query",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "mysite.guestbook.middleware.json_not_allowed",
]

ROOT_URLCONF = "mysite.urls"
WSGI_APPLICATION = "mysite.wsgi.application"
# The contract's paths have no trailing slash; do not redirect /hello to /hello/.
APPEND_SLASH = False

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {},
    },
]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("GUESTBOOK_DB", "/data/guestbook.sqlite3"),
        # Several gunicorn workers write to one file: wait for the lock, take it up front.
        # SQLite's default rollback journal, not WAL: with the disk full, a new connection
        # cannot recreate the WAL's files and even reads fail; with the journal, reads go on
        # and a write fails cleanly with SQLITE_FULL (a 507).
        "OPTIONS": {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
        },
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Django answers a bigger body with 400 (RequestDataTooBig); body_limit answers 413 first.
DATA_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

# With DEBUG off Django mails tracebacks to ADMINS; the museum sends them to stderr.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django": {"handlers": ["console"], "level": "INFO"}},
}
