"""The coordinator register (circular V.I. 2022/383, II 2.1). The status is never stored: the
selector computes it on a date from these facts with the dated rule in `tnw.rules`."""

from django.conf import settings
from django.db import models


class RegisterEntry(models.Model):
    coordinator = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="coordinator_register"
    )
    diploma_level_b = models.BooleanField(
        help_text="a diploma giving access to federal level B (II 2.1)"
    )
    started_on = models.DateField(help_text="the day the function of coordinator was taken up")
    version = models.PositiveIntegerField(default=1, editable=False)

    def __str__(self) -> str:
        return f"register: {self.coordinator}"


class ExamAttempt(models.Model):
    """An attempt at the RIZIV "Disability Management" exam and its result."""

    entry = models.ForeignKey(RegisterEntry, on_delete=models.PROTECT, related_name="exams")
    on = models.DateField()
    passed = models.BooleanField()

    class Meta:
        ordering = ["on", "pk"]


class IntervisionActivity(models.Model):
    """An RIZIV activity attended; `recognised`: the invitation said it counts (II 2.1)."""

    entry = models.ForeignKey(RegisterEntry, on_delete=models.PROTECT, related_name="activities")
    on = models.DateField()
    minutes = models.PositiveIntegerField()
    riziv_reference = models.CharField(max_length=100, blank=True)
    recognised = models.BooleanField(default=True)

    class Meta:
        ordering = ["on", "pk"]


class AssignmentOverride(models.Model):
    """The administrator's explicit permission to assign dossiers to a coordinator whose
    qualification has lapsed (II 2.1), with a reason, for a limited period. Granting,
    revoking and every assignment made under it are audited."""

    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignment_overrides"
    )
    reason = models.TextField()
    valid_from = models.DateField()
    valid_until = models.DateField()
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip

    class Meta:
        ordering = ["-valid_from", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__gte=models.F("valid_from")),
                name="override_period_in_order",
            )
        ]

    def __str__(self) -> str:
        return f"override for {self.coordinator} until {self.valid_until}"
