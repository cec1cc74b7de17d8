"""Issued documents are records: immutable, with the facts they were made from and a digest.

`IssuedDocument.key` makes issuing idempotent: the daily run's letters use the outbox key's
document part (a rerun, a retry or two concurrent senders find the same row); a document a user
issues from the dossier page gets a fresh key. `Signature` records how each party signed a
model form (Annex III, IV): on paper (the scan's hash and bytes) or electronically (the act of
the signing user after re-authentication). `PrintItem` puts a letter for paper post in the day's
print batch of its mutuality; the batch PDF is assembled when it is printed, not in the run.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models


class ImmutableError(RuntimeError):
    pass


class _Immutable(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableError(f"{self.model._meta.verbose_name} records are immutable")

    def delete(self):
        raise ImmutableError(f"{self.model._meta.verbose_name} records cannot be deleted")


class _ImmutableModel(models.Model):
    objects = _Immutable.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableError(f"an issued {self._meta.verbose_name} is immutable")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableError(f"an issued {self._meta.verbose_name} cannot be deleted")


class IssuedDocument(_ImmutableModel):
    key = models.CharField(max_length=200, unique=True, help_text="idempotency key")
    kind = models.CharField(max_length=40)
    language = models.CharField(max_length=2)
    template_version = models.CharField(max_length=20)
    episode_id = models.BigIntegerField(db_index=True)
    person_id = models.BigIntegerField()
    mutuality_id = models.BigIntegerField()
    # Made with health data (a physician's copy): shown only to those who see all of it.
    medical = models.BooleanField(default=False)
    facts = models.JSONField(help_text="the facts the document was made from")
    pdf = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    pages = models.PositiveSmallIntegerField()
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", help_text="empty: issued by the daily run",
    )  # fmt: skip
    issued_on = models.DateField(help_text="the date printed on the document")
    issued_at = models.DateTimeField(auto_now_add=True)
    # The coordinator's copy of a physician's Annex I or II: the same letter without the
    # medical details, stored with the original (issue 12: "the coordinator's copy").
    copy_of = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="copies",
        help_text="the original this is the coordinator's copy of (without medical details)",
    )  # fmt: skip

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = "issued document"

    def __str__(self) -> str:
        return f"{self.kind} ({self.language}) {self.reference}"

    @property
    def reference(self) -> str:
        """The reference printed on the document and stored with the registration it proves."""
        return f"TNW-DOC-{self.pk}-{self.sha256[:8].upper()}"

    def verify(self) -> bool:
        return hashlib.sha256(bytes(self.pdf)).hexdigest() == self.sha256


class Party(models.TextChoices):
    INSURED = "insured", "insured person"
    COORDINATOR = "coordinator", "TNW coordinator"
    ADVISING_PHYSICIAN = "advising_physician", "advising physician"


class Method(models.TextChoices):
    PAPER = "paper", "on paper (scan uploaded)"
    ELECTRONIC = "electronic", "electronically (after re-authentication)"


class Signature(_ImmutableModel):
    document = models.ForeignKey(
        IssuedDocument, on_delete=models.PROTECT, related_name="signatures"
    )
    party = models.CharField(max_length=20, choices=Party.choices)
    method = models.CharField(max_length=10, choices=Method.choices)
    signed_on = models.DateField()
    scan = models.BinaryField(null=True, blank=True)
    scan_type = models.CharField(max_length=40, blank=True)
    scan_sha256 = models.CharField(max_length=64, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["document", "party"]
        constraints = [
            models.UniqueConstraint(fields=["document", "party"], name="one_signature_per_party")
        ]


class PrintBatch(_ImmutableModel):
    """The letters of a day and mutuality as they were printed and marked sent, once: the PDF
    (cover sheet, then per letter an address page and the letter), its SHA-256, who marked it
    sent and when. A letter that comes in after (a later run that day) goes in the next batch
    of that day (`number`)."""

    day = models.DateField()
    mutuality_id = models.BigIntegerField()
    number = models.PositiveSmallIntegerField(help_text="the day's batch number, from 1")
    letters = models.PositiveIntegerField()
    pdf = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                related_name="+")  # fmt: skip
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-day", "-number"]
        verbose_name = "print batch"
        constraints = [
            models.UniqueConstraint(
                fields=["day", "mutuality_id", "number"], name="one_print_batch_number"
            )
        ]

    def verify(self) -> bool:
        return hashlib.sha256(bytes(self.pdf)).hexdigest() == self.sha256


class PrintItem(models.Model):
    """A letter for paper post in the print batch of `day` and `mutuality_id`; `batch` once it
    was printed and marked sent (never twice)."""

    key = models.CharField(max_length=200, unique=True, help_text="the letter's occurrence")
    day = models.DateField()
    mutuality_id = models.BigIntegerField()
    document_key = models.CharField(max_length=200)
    kind = models.CharField(max_length=40)
    episode_id = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    batch = models.ForeignKey(PrintBatch, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="items")  # fmt: skip

    class Meta:
        ordering = ["day", "mutuality_id", "id"]
        indexes = [models.Index(fields=["day", "mutuality_id"])]
