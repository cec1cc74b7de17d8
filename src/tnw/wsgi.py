"""WSGI entry point. Without DJANGO_SETTINGS_MODULE it takes the production settings, which
refuse to start without their secrets: a WSGI server never runs the development settings by
default (`tnw serve` sets the module itself; the demo's runs through `make run`)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tnw.settings.prod")

application = get_wsgi_application()
