# Django settings for mysite project, in the shape `startproject` gave them in Django 1.1.
import os

DEBUG = False
TEMPLATE_DEBUG = DEBUG

ADMINS = ()
MANAGERS = ADMINS

DATABASE_ENGINE = 'sqlite3'
DATABASE_NAME = os.environ.get('GUESTBOOK_DB', '/data/guestbook.sqlite3')
DATABASE_USER = ''
DATABASE_PASSWORD = ''
DATABASE_HOST = ''
DATABASE_PORT = ''
# Passed to sqlite3.connect(): prefork children share the file, so wait for its lock.
DATABASE_OPTIONS = {'timeout': 20}

# Django sets the process's TZ from this, so auto_now_add stores UTC.
TIME_ZONE = 'UTC'
LANGUAGE_CODE = 'en-us'
SITE_ID = 1
USE_I18N = False

MEDIA_ROOT = ''
MEDIA_URL = ''
ADMIN_MEDIA_PREFIX = '/media/'

# Made at every start by the start script; nothing here signs anything lasting.
SECRET_KEY = os.environ.get('DJANGO_SECRET_KEY', '')

TEMPLATE_LOADERS = (
    'django.template.loaders.filesystem.load_template_source',
    'django.template.loaders.app_directories.load_template_source',
)

MIDDLEWARE_CLASSES = (
    'guestbook.middleware.ContractMiddleware',
    'django.middleware.common.CommonMiddleware',
    'django.contrib.csrf.middleware.CsrfMiddleware',
)

ROOT_URLCONF = 'mysite.urls'

TEMPLATE_DIRS = ()

INSTALLED_APPS = (
    'guestbook',
)

# The contract's paths have no trailing slash: no redirect from /hello to /hello/.
APPEND_SLASH = False

# lighttpd rewrites every path to /mysite.fcgi/<path> and says SCRIPT_NAME=/mysite.fcgi;
# the FastCGI how-to of Django 1.1 says to force the prefix back to '' for a site at '/'.
FORCE_SCRIPT_NAME = ''
