"""Mutualities (ziekenfondsen) and their TNW contact details (reference data)."""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Mutuality(models.Model):
    """A health insurance fund. `code` is the 3-digit insurer code (first digit = union)."""

    code = models.CharField(
        max_length=3,
        unique=True,
        validators=[RegexValidator(r"^[1-9][0-9]{2}$", "a 3-digit insurer code, e.g. 203")],
    )
    name = models.CharField(max_length=200)
    union = models.CharField(max_length=200, blank=True, help_text="national union (landsbond)")
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["code"]
        verbose_name_plural = "mutualities"

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class TnwContact(models.Model):
    """How insured people reach the TNW coordinators of a mutuality (one row per region/desk).

    Letters (e.g. "no questionnaire for medical reasons") must state these contact details.
    """

    class Region(models.TextChoices):
        ALL = "", _("the whole country")
        FLANDERS = "flanders", _("Flanders")
        WALLONIA = "wallonia", _("Wallonia")
        BRUSSELS = "brussels", _("Brussels")
        GERMAN_SPEAKING = "german_speaking", _("German-speaking Community")

    mutuality = models.ForeignKey(Mutuality, on_delete=models.CASCADE, related_name="contacts")
    # The public directory (/contact/) shows the region in the reader's language.
    region = models.CharField(max_length=20, choices=Region.choices, blank=True, default="")
    label = models.CharField(max_length=100, blank=True, help_text="desk or town, if several")
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["mutuality", "label", "id"]
        constraints = [
            models.UniqueConstraint(fields=["mutuality", "label"], name="uniq_contact_label"),
        ]

    def __str__(self) -> str:
        parts = [p for p in (self.label, self.email, self.phone) if p]
        return " · ".join(parts)
