"""Third parties, the person's consent per party and purpose, and the consultations.

A person's own parties (treating physician, counsellor, employer) and every consent and
consultation are personal data: written and read only through `services`/`selectors`, which
reach the episode through the dossier's door. Regional services and the mutuality's providers
are reference data (admin). Consents and consultations are never edited; a consent is
withdrawn once, on a date (audited)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from tnw.thirdparties import rules

KINDS = [
    (rules.REGIONAL_SERVICE, "regional service"),
    (rules.PROVIDER, "provider of the mutuality"),
    (rules.TREATING_PHYSICIAN, "treating physician"),
    (rules.COUNSELLOR, "therapeutic counsellor"),
    (rules.EMPLOYER, "employer"),
]


class Party(models.Model):
    kind = models.CharField(max_length=30, choices=KINDS)
    name = models.CharField(max_length=200, help_text="the name (in Dutch for a service)")
    name_fr = models.CharField(max_length=200, blank=True)
    name_de = models.CharField(max_length=200, blank=True)
    region = models.CharField(max_length=20, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    mutuality = models.ForeignKey(
        "mutualities.Mutuality", on_delete=models.PROTECT, null=True, blank=True,
        help_text="the mutuality of a provider, or of the person",
    )  # fmt: skip
    person_id = models.BigIntegerField(null=True, blank=True, editable=False)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name_plural = "parties"
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind=rules.REGIONAL_SERVICE, person_id__isnull=True, mutuality__isnull=True)
                    | Q(kind=rules.PROVIDER, person_id__isnull=True, mutuality__isnull=False)
                    | Q(
                        kind__in=rules.PERSONAL_KINDS,
                        person_id__isnull=False,
                        mutuality__isnull=False,
                    )
                ),
                name="party_reference_or_personal",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def name_in(self, language: str) -> str:
        return {"fr": self.name_fr, "de": self.name_de}.get(language) or self.name


class PartyConsent(models.Model):
    episode_id = models.BigIntegerField(db_index=True)
    person_id = models.BigIntegerField()
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="consents")
    purposes = models.JSONField()
    given_on = models.DateField()
    form_reference = models.CharField(max_length=100, help_text="the signed Annex III")
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    registered_at = models.DateTimeField(auto_now_add=True)
    withdrawn_on = models.DateField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip

    class Meta:
        ordering = ["given_on", "pk"]

    def covers(self, *, party_id: int, purpose: str, on) -> bool:
        return (
            self.party_id == party_id and purpose in self.purposes and self.given_on <= on
            and (self.withdrawn_on is None or on < self.withdrawn_on)
        )  # fmt: skip


class Consultation(models.Model):
    episode_id = models.BigIntegerField(db_index=True)
    person_id = models.BigIntegerField()
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="consultations")
    consent = models.ForeignKey(PartyConsent, on_delete=models.PROTECT, related_name="+")
    on = models.DateField()
    mode = models.CharField(max_length=10)
    purpose = models.CharField(max_length=30)
    shared = models.JSONField()
    note = models.TextField(blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    registered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["on", "pk"]

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise RuntimeError("consultations are immutable: register a new one")
        super().save(*args, **kwargs)
