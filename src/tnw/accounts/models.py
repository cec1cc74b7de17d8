"""Users: one role each, and (except administrators) membership of one mutuality."""

from django.contrib.auth.models import AbstractUser
from django.db import models

from tnw.accounts.roles import Role


class User(AbstractUser):
    role = models.CharField(max_length=32, choices=Role.choices)
    mutuality = models.ForeignKey(
        "mutualities.Mutuality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        help_text="a person's data is only visible to users of that person's mutuality",
    )
    # A service account acts for an integrator's system (tnw.api.ApiClient), never logs in
    # to the screens, and acts for its whole mutuality (not by assignment).
    is_service_account = models.BooleanField(default=False, editable=False)
    # Circular VII: a coordinator may also work part-time in the multidisciplinary team as a
    # non-physician; that second role is limited to preparatory contacts (roles.py).
    mdt_non_physician = models.BooleanField(
        default=False,
        help_text="a TNW coordinator who also works part-time in the multidisciplinary team "
        "as a non-physician (circular VII)",
    )
    # Optimistic concurrency, like every other mutable record.
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role="admin") | models.Q(mutuality__isnull=False),
                name="user_mutuality_unless_admin",
            ),
            models.CheckConstraint(
                condition=models.Q(mdt_non_physician=False) | models.Q(role="coordinator"),
                name="user_mdt_second_role_of_a_coordinator",
            ),
        ]

    def __str__(self) -> str:
        full = self.get_full_name()
        return f"{full} ({self.username})" if full else self.username
