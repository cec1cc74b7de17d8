"""Writes on third parties, consents and consultations (circular II 2.2.1, IV 4.2; the rules in
`tnw.thirdparties.rules`). Each reaches the episode through the dossier's door (role,
mutuality, assignment or broken glass), validates, stores and audits in one transaction: after
a refusal nothing is stored. Messages in the user's language."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from tnw.accounts.models import User
from tnw.accounts.roles import Cap
from tnw.audit.services import audit_write, snapshot
from tnw.dossier.access import access_episode_by_id
from tnw.thirdparties import rules
from tnw.thirdparties.models import Consultation, Party, PartyConsent

PARTY_FIELDS = ("kind", "name", "email", "phone", "mutuality_id", "person_id")
CONSENT_FIELDS = (
    "episode_id", "person_id", "party_id", "purposes", "given_on", "form_reference",
    "withdrawn_on", "withdrawn_by_id",
)  # fmt: skip
CONSULTATION_FIELDS = (
    "episode_id", "person_id", "party_id", "consent_id", "on", "mode", "purpose", "shared",
    "note",
)  # fmt: skip


def _episode(user: User, episode_id: int, cap: Cap, channel: str):
    episode, access = access_episode_by_id(
        user=user, episode_id=episode_id, caps=(cap,), what=None, channel=channel, act=True
    )
    return episode, access.channel(channel)


def parties_for(episode) -> Q:
    """The parties that may be named for this episode's person: the regional services, the
    providers of the person's mutuality, the person's own."""
    person = episode.person
    return Q(active=True) & (
        Q(kind=rules.REGIONAL_SERVICE)
        | Q(kind=rules.PROVIDER, mutuality_id=person.mutuality_id)
        | Q(person_id=person.pk)
    )


def _party(episode, party_id: int) -> Party:
    party = Party.objects.filter(parties_for(episode), pk=party_id).first()
    if party is None:
        raise ValidationError(_("Choose a party from the list."), code="party")
    return party


def _in_episode(episode, on: date, today: date) -> None:
    if on > today or on < episode.start:
        raise ValidationError(
            _("The date falls between the start of the incapacity and today."), code="on"
        )


@transaction.atomic
def add_personal_party(
    *, user: User, episode_id: int, kind: str, name: str, email: str = "", phone: str = "",
    channel: str = "service",
) -> Party:  # fmt: skip
    """The person's treating physician, therapeutic counsellor or employer."""
    episode, channel = _episode(user, episode_id, Cap.EDIT_PERSON, channel)
    if kind not in rules.PERSONAL_KINDS or not name.strip():
        raise ValidationError(_("Give the kind of party and a name."), code="party")
    party = Party.objects.create(
        kind=kind, name=name.strip(), email=email.strip(), phone=phone.strip(),
        mutuality_id=episode.person.mutuality_id, person_id=episode.person_id,
    )  # fmt: skip
    audit_write(
        actor=user, action="create", obj=party, before=None,
        after=snapshot(party, PARTY_FIELDS), channel=channel, person_id=episode.person_id,
    )  # fmt: skip
    return party


def _check_purposes(party: Party, purposes: Collection[str]) -> list[str]:
    chosen = [p for p in rules.PURPOSES if p in purposes]
    if not chosen or len(chosen) != len(set(purposes)):
        raise ValidationError(_("Choose at least one purpose from the list."), code="purposes")
    wrong = [p for p in chosen if party.kind not in rules.PARTIES[p]]
    if wrong:
        raise ValidationError(
            _("This party cannot be consulted for this purpose (circular II 2.2.1, IV 4.2)."),
            code="purposes",
        )
    return chosen


@transaction.atomic
def give_consent(
    *, user: User, episode_id: int, party_id: int, purposes: Collection[str], given_on: date,
    form_reference: str, today: date, channel: str = "service",
) -> PartyConsent:  # fmt: skip
    """The person agrees that this party be consulted for these purposes (signed Annex III,
    which names the party)."""
    episode, channel = _episode(user, episode_id, Cap.EDIT_CONSENT, channel)
    party = _party(episode, party_id)
    chosen = _check_purposes(party, purposes)
    _in_episode(episode, given_on, today)
    if not form_reference.strip():
        raise ValidationError(
            _("Give the reference of the signed consent form (Annex III)."), code="form_reference"
        )
    consent = PartyConsent.objects.create(
        episode_id=episode.pk, person_id=episode.person_id, party=party, purposes=chosen,
        given_on=given_on, form_reference=form_reference.strip(), registered_by=user,
    )  # fmt: skip
    audit_write(
        actor=user, action="create", obj=consent, before=None,
        after=snapshot(consent, CONSENT_FIELDS), channel=channel, person_id=episode.person_id,
    )  # fmt: skip
    return consent


@transaction.atomic
def withdraw_consent(
    *, user: User, episode_id: int, consent_id: int, on: date, today: date,
    channel: str = "service",
) -> PartyConsent:  # fmt: skip
    """The person withdraws the consent from `on`: no consultation under it from that day."""
    episode, channel = _episode(user, episode_id, Cap.EDIT_CONSENT, channel)
    consent = (
        PartyConsent.objects.select_for_update()
        .filter(pk=consent_id, episode_id=episode.pk, withdrawn_on__isnull=True)
        .first()
    )
    if consent is None:
        raise ValidationError(_("This consent is not in force."), code="consent")
    if on < consent.given_on or on > today:
        raise ValidationError(_("The withdrawal falls between the consent and today."), code="on")
    before = snapshot(consent, CONSENT_FIELDS)
    consent.withdrawn_on, consent.withdrawn_by = on, user
    consent.save(update_fields=["withdrawn_on", "withdrawn_by"])
    audit_write(
        actor=user, action="update", obj=consent, before=before,
        after=snapshot(consent, CONSENT_FIELDS), channel=channel, person_id=episode.person_id,
    )  # fmt: skip
    return consent


def _check_consultation(party: Party, purpose: str, mode: str, shared: Collection[str]) -> None:
    if purpose not in rules.PURPOSES or mode not in rules.MODES:
        raise ValidationError(_("Choose a purpose and a mode from the list."), code="purpose")
    if party.kind not in rules.PARTIES[purpose]:
        raise ValidationError(
            _("This party cannot be consulted for this purpose (circular II 2.2.1, IV 4.2)."),
            code="purpose",
        )
    if not shared or not set(shared) <= rules.SHARES[purpose]:
        raise ValidationError(
            _("Share only what the purpose needs: health findings go only to the treating "
              "physician, through the advising physician (circular IV 4.2)."),
            code="shared",
        )  # fmt: skip


@transaction.atomic
def register_consultation(
    *, user: User, episode_id: int, party_id: int, on: date, mode: str, purpose: str,
    shared: Collection[str], note: str = "", today: date, channel: str = "service",
) -> Consultation:  # fmt: skip
    """A consultation of a third party, only under the person's consent for that party and
    purpose on that day. The findings for the treating physician are the advising
    physician's to pass on (IV 4.2)."""
    cap = Cap.REGISTER_MEDICAL if purpose in rules.PHYSICIAN_PURPOSES else (
        Cap.REGISTER_COORDINATION
    )  # fmt: skip
    episode, channel = _episode(user, episode_id, cap, channel)
    party = _party(episode, party_id)
    _check_consultation(party, purpose, mode, shared)
    _in_episode(episode, on, today)
    consents = PartyConsent.objects.filter(episode_id=episode.pk, party=party)
    consent = next((c for c in consents if c.covers(party_id=party.pk, purpose=purpose, on=on)),
                   None)  # fmt: skip
    if consent is None:
        raise ValidationError(
            _("The person has not consented to consulting this party for this purpose on "
              "that day: register the consent (Annex III) first."),
            code="no_consent",
        )  # fmt: skip
    consultation = Consultation.objects.create(
        episode_id=episode.pk, person_id=episode.person_id, party=party, consent=consent,
        on=on, mode=mode, purpose=purpose, shared=[s for s in rules.SHARED if s in shared],
        note=note.strip(), registered_by=user,
    )  # fmt: skip
    audit_write(
        actor=user, action="create", obj=consultation, before=None,
        after=snapshot(consultation, CONSULTATION_FIELDS), channel=channel,
        person_id=episode.person_id, medical="health_findings" in shared,
    )  # fmt: skip
    return consultation
