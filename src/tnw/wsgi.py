"""WSGI entry point (production: DJANGO_SETTINGS_MODULE=tnw.settings.prod)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tnw.settings")

application = get_wsgi_application()
