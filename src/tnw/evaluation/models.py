"""Contacts of the advising physician's multidisciplinary team in the incapacity-evaluation
domain (circular VII): preparatory contacts, contacts for the extension of invalidity, interim
contacts. Immutable: a correction is a new contact. The episode is reached only through the
dossier's door (`tnw.dossier.access`); its id and its person's are kept here."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from tnw.choices import TextChoices


class ContactKind(TextChoices):
    PREPARATORY = "preparatory", "preparatory contact"
    INVALIDITY_EXTENSION = "invalidity_extension", "contact for the extension of invalidity"
    INTERIM = "interim", "interim contact"


class Mode(TextChoices):
    PHYSICAL = "physical", "physical"
    VIDEO = "video", "video"
    PHONE = "phone", "phone"
    MAIL = "mail", "mail"


class EvaluationContact(models.Model):
    episode_id = models.BigIntegerField(db_index=True)
    person_id = models.BigIntegerField()
    kind = models.CharField(max_length=30, choices=ContactKind.choices)
    on = models.DateField()
    mode = models.CharField(max_length=10, choices=Mode.choices)
    note = models.TextField(blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    registered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["on", "pk"]

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise RuntimeError("evaluation contacts are immutable: register a new one")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("evaluation contacts cannot be deleted")
