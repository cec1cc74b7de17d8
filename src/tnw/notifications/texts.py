"""What an e-mail to a staff member needs to be read in the recipient's language: the language
they chose for the screens (`tnw.web.models.Preference`, the same choice the screens follow;
Dutch when they chose none), dates as a Belgian reader writes them (dd/mm/yyyy) and links that
work from a mail client (absolute, under `TNW_BASE_URL`)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.conf import settings

DEFAULT_LANGUAGE = "nl"


def languages_of(user_ids: Iterable[int]) -> dict[int, str]:
    """Each user's language (the screens' choice), DEFAULT_LANGUAGE for those without one."""
    from tnw.web.models import Preference

    ids = set(user_ids)
    chosen = dict(Preference.objects.filter(user_id__in=ids).values_list("user_id", "language"))
    return {pk: chosen.get(pk) or DEFAULT_LANGUAGE for pk in ids}


def be_date(day: date) -> str:
    """dd/mm/yyyy, as the screens write a date (one formatter: tnw.web.catalogue)."""
    from tnw.web.catalogue import belgian_date

    return belgian_date(day)


def absolute(path: str) -> str:
    """A link to a page of TNW-dossier that works from a mail client."""
    return settings.TNW_BASE_URL.rstrip("/") + path
