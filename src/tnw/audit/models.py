"""The audit trail: append-only, hash-chained.

Each entry's `hash` is SHA-256 over the previous entry's hash and the entry's own content
(`tnw.audit.chain.entry_digest`). Changing, inserting or deleting an entry breaks the chain;
deleting entries at the end is caught by `AuditHead`, which holds the last sequence number and
hash. `tnw audit verify` checks it all. The application never updates or deletes an entry:
the model and its queryset refuse, the admin is read-only, and on PostgreSQL a trigger refuses
UPDATE and DELETE at the database level too.
"""

from django.db import models


class AppendOnlyError(RuntimeError):
    """Someone tried to change or delete an audit entry."""


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("the audit trail is append-only: entries cannot be updated")

    def delete(self):
        raise AppendOnlyError("the audit trail is append-only: entries cannot be deleted")

    def bulk_update(self, *args, **kwargs):
        raise AppendOnlyError("the audit trail is append-only: entries cannot be updated")


class Action(models.TextChoices):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    READ = "read"
    # Security events (issue 18, finding 11): log-ins, failures, lockouts, log-outs, refusals.
    LOGIN = "login"
    LOGIN_FAILED = "login_fail"
    LOCKOUT = "lockout"
    LOGOUT = "logout"
    REFUSED = "refused"


class AuditEntry(models.Model):
    seq = models.PositiveBigIntegerField(unique=True, editable=False)
    at = models.DateTimeField(editable=False, db_index=True)
    actor_id = models.BigIntegerField(null=True, blank=True, db_index=True, editable=False)
    actor_username = models.CharField(max_length=150, blank=True, editable=False)
    action = models.CharField(max_length=10, choices=Action.choices, editable=False)
    object_type = models.CharField(max_length=100, editable=False)
    object_id = models.CharField(max_length=64, blank=True, editable=False)
    # The person whose dossier this concerns (no foreign key: the trail outlives everything).
    person_id = models.BigIntegerField(null=True, blank=True, db_index=True, editable=False)
    channel = models.CharField(max_length=100, editable=False, help_text="through what")
    changes = models.JSONField(default=dict, editable=False)
    # True when `changes` holds health data: the admin then hides the values.
    medical = models.BooleanField(default=False, editable=False)
    prev_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, editable=False)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["seq"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        who = self.actor_username or "-"
        return f"#{self.seq} {self.at:%Y-%m-%d %H:%M} {who} {self.action} {self.object_type}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("the audit trail is append-only: entries cannot be updated")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("the audit trail is append-only: entries cannot be deleted")


class AuditHead(models.Model):
    """The end of the chain: a single row with the last sequence number and hash."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)
