"""Reads of the reference data."""

from __future__ import annotations

from dataclasses import dataclass

from tnw.mutualities.models import Mutuality, TnwContact


@dataclass(frozen=True)
class PublicContact:
    region: str  # translated label ("" when the contact serves the whole mutuality)
    label: str
    email: str
    phone: str


@dataclass(frozen=True)
class PublicMutuality:
    code: str
    name: str
    union: str
    contacts: list[PublicContact]


def public_contacts() -> list[PublicMutuality]:
    """Every mutuality with a TNW contact, by insurer code (seed 001's published list)."""
    mutualities = Mutuality.objects.prefetch_related("contacts").order_by("code")
    return [
        PublicMutuality(m.code, m.name, m.union, [_contact(c) for c in m.contacts.all()])
        for m in mutualities
        if m.contacts.all()
    ]


def _contact(contact: TnwContact) -> PublicContact:
    region = contact.get_region_display() if contact.region else ""
    return PublicContact(str(region), contact.label, contact.email, contact.phone)
