#!/usr/bin/env python
# The project's command line, as `django-admin.py startproject mysite` made it in Django 1.1:
# execute_manager puts the project's parent on sys.path and names mysite.settings.
from django.core.management import execute_manager
import settings

if __name__ == "__main__":
    execute_manager(settings)
