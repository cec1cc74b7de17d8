from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The insured person's portal at /portal/ (issue 14)."""

    name = "tnw.portal"
    label = "portal"
