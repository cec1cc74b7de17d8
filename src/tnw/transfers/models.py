"""The record of a move of a person's dossier to another mutuality. It holds the dossier
number, not the person's identity: the former mutuality keeps this record, not the dossier."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class MutualityTransfer(models.Model):
    person_id = models.BigIntegerField(db_index=True)
    from_mutuality = models.ForeignKey(
        "mutualities.Mutuality", on_delete=models.PROTECT, related_name="+"
    )
    to_mutuality = models.ForeignKey(
        "mutualities.Mutuality", on_delete=models.PROTECT, related_name="+"
    )
    on = models.DateField()
    reason = models.TextField()
    episodes_unassigned = models.JSONField(default=list)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-on", "-pk"]

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise RuntimeError("a transfer record is never rewritten")
        super().save(*args, **kwargs)
