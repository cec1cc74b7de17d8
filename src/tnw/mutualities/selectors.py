"""Reads on reference data: a mutuality's TNW contact details (stated in letters)."""

from __future__ import annotations

from tnw.mutualities.models import Mutuality, TnwContact


def tnw_contacts(mutuality: Mutuality) -> list[TnwContact]:
    """The TNW coordinators' contact details of a mutuality (reference data, not personal)."""
    return list(mutuality.contacts.order_by("label", "id"))
