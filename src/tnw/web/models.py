"""The screens' own data: the language each user chose for the interface."""

from django.conf import settings
from django.db import models


class Preference(models.Model):
    """Per-user interface settings (the accounts app owns the user; this app owns this)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="web_preference"
    )
    language = models.CharField(max_length=5, choices=settings.LANGUAGES)

    def __str__(self) -> str:
        return f"{self.user} ({self.language})"
