"""The demo's coordinator register (`tnw demo`): `tnwc` qualified since the exam of 2023 with
two intervision moments a year and one of two so far this year (a deadline on 31 December);
`tnwc2` in the grace period, without the exam yet. Idempotent: a coordinator already in the
register is left as it is. Recorded through the services, by the demo's administrator."""

from __future__ import annotations

from datetime import date

from tnw.accounts.models import User
from tnw.coordinators import services
from tnw.coordinators.models import RegisterEntry


def load_register(*, today: date) -> int:
    """Record the demo coordinators; returns how many were added."""
    found = {u.username: u for u in User.objects.filter(username__in=("admin", "tnwc", "tnwc2"))}
    admin = found.get("admin")
    if admin is None:
        return 0
    added = 0
    if "tnwc" in found and not RegisterEntry.objects.filter(coordinator=found["tnwc"]).exists():
        _qualified(admin, found["tnwc"], today)
        added += 1
    if "tnwc2" in found and not RegisterEntry.objects.filter(coordinator=found["tnwc2"]).exists():
        started = date(today.year - 1, today.month, 1)
        services.record_coordinator(
            actor=admin, coordinator=found["tnwc2"], diploma_level_b=True, started_on=started,
            channel="command:demo",
        )  # fmt: skip
        added += 1
    return added


def _qualified(admin: User, coordinator: User, today: date) -> None:
    channel = "command:demo"
    services.record_coordinator(
        actor=admin, coordinator=coordinator, diploma_level_b=True,
        started_on=date(2023, 3, 1), channel=channel,
    )  # fmt: skip
    services.record_exam(
        actor=admin, coordinator=coordinator, on=date(2023, 9, 15), passed=True, channel=channel
    )
    days = [date(y, m, 14) for y in range(2024, today.year) for m in (3, 10)]
    days += [date(today.year, 3, 14)] if today >= date(today.year, 3, 14) else []
    for day in days:
        services.record_intervision(
            actor=admin, coordinator=coordinator, on=day, minutes=120,
            riziv_reference=f"RIZIV-DM-{day:%Y-%m}", channel=channel,
        )  # fmt: skip
