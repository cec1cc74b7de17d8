"""Reads of issued documents, through the dossier's one door.

A user sees the documents of the episodes they may open; a document made with health data
(Annexes I and II as the physician issued them) only when they see all health data of that
episode. Others see that it exists, not its content (`DocumentRow.restricted`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from tnw.accounts.models import User
from tnw.accounts.roles import Cap, has
from tnw.documents.kinds import KINDS, LETTER_LANGUAGES, Kind
from tnw.documents.models import IssuedDocument, Signature
from tnw.dossier.errors import NotFound
from tnw.dossier.letters import letter_facts
from tnw.dossier.selectors import access_episode_by_id


@dataclass(frozen=True)
class DocumentRow:
    id: int
    kind: str
    title: str
    language: str
    issued_on: date
    issued_at: datetime
    issued_by: str
    sha256: str
    reference: str
    pages: int
    restricted: bool
    signers: tuple[str, ...]
    signed_by: tuple[str, ...]
    copy_id: int | None = None  # the coordinator's copy without the medical details


def _sees_medical(user: User, acts: bool) -> bool:
    return acts and has(user, Cap.VIEW_HEALTH_ALL)


def _row(
    document: IssuedDocument, medical_ok: bool, signed: tuple[str, ...], copy_id: int | None
) -> DocumentRow:
    kind = KINDS.get(document.kind)
    return DocumentRow(
        id=document.pk, kind=document.kind, title=str(kind.title) if kind else document.kind,
        language=document.language, issued_on=document.issued_on,
        issued_at=document.issued_at,
        issued_by=document.issued_by.username if document.issued_by else _("daily run"),
        sha256=document.sha256, reference=document.reference, pages=document.pages,
        restricted=document.medical and not medical_ok,
        signers=kind.signers if kind else (), signed_by=signed, copy_id=copy_id,
    )  # fmt: skip


def documents_of(*, user: User, episode_id: int, channel: str = "selector") -> list[DocumentRow]:
    """The documents of one episode, newest first; the read is audited. A coordinator's copy
    is not a row of its own: it is the `copy_id` of its original's row."""
    header = access_episode_by_id(
        user=user, episode_id=episode_id, what="documents", channel=channel
    )
    medical_ok = _sees_medical(user, header.acts)
    found = list(IssuedDocument.objects.filter(episode_id=episode_id).defer("pdf", "facts")
                 .select_related("issued_by"))  # fmt: skip
    copies = {d.copy_of_id: d.pk for d in found if d.copy_of_id}
    documents = [d for d in found if not d.copy_of_id]
    signed: dict[int, list[str]] = {}
    for document_id, party in Signature.objects.filter(
        document_id__in=[d.pk for d in documents]
    ).values_list("document_id", "party"):
        signed.setdefault(document_id, []).append(party)
    return [_row(d, medical_ok, tuple(signed.get(d.pk, ())), copies.get(d.pk)) for d in documents]


def visible_document(
    *, user: User, document_id: int, what: str, channel: str = "selector"
) -> IssuedDocument:
    """The document if `user` may read its content; NotFound when not of their mutuality."""
    document = IssuedDocument.objects.filter(pk=document_id).first()
    if document is None:
        raise NotFound("document")
    header = access_episode_by_id(
        user=user, episode_id=document.episode_id, what=what, channel=channel
    )
    if document.medical and not _sees_medical(user, header.acts):
        raise PermissionDenied(_("This document holds health data of the advising physician."))
    return document


def offered_kinds(*, user: User, episode_id: int) -> list[Kind]:
    """The kinds `user` may issue for the episode as it stands now (its registrations and
    obligations, as the dossier gives them)."""
    facts = letter_facts(user=user, episode_id=episode_id, channel="documents")
    return [
        k for k in KINDS.values()
        if user.role in k.issuers and (facts["health"] or not k.medical) and k.fits(facts)
    ]  # fmt: skip


def default_language(*, user: User, episode_id: int) -> str:
    facts = letter_facts(user=user, episode_id=episode_id, channel="documents")
    language = facts["person"]["language"]
    return language if language in LETTER_LANGUAGES else "nl"


def assigned_party(*, user: User, episode_id: int) -> str | None:
    """Which signing party `user` is for the episode: its assigned coordinator or physician."""
    header = access_episode_by_id(user=user, episode_id=episode_id, what="signatory check")
    if not header.acts or header.glass_broken:
        return None
    return user.role if user.role in ("coordinator", "advising_physician") else None
