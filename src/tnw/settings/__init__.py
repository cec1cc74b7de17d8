"""Settings: `tnw.settings` is the development default; pick another with
DJANGO_SETTINGS_MODULE=tnw.settings.{dev,test,prod}."""

from .dev import *  # noqa: F403
