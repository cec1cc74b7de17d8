"""The insured person's letters on the portal (tnw.portal): list and download their own issued
documents, and sign the model forms they sign (Annex IV, Annex III) with their password.

The person is found through the dossier's one door (`tnw.dossier.portal.own_person_id`: the
portal log-in reaches its own person only). Every list, download and signature is audited with
the person as actor on the `portal` channel. A signature is the person's own electronic act,
after re-entering their password, stored once (one signature per party and document); the
coordinator sees it on the document's signature page and registers what the signed form proves.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from pypdf import PdfReader, PdfWriter

from tnw.accounts.models import User
from tnw.audit.services import append
from tnw.documents.kinds import KINDS
from tnw.documents.models import IssuedDocument, Method, Party, Signature
from tnw.documents.services import Download, filename_of
from tnw.dossier.errors import NotFound
from tnw.dossier.portal import own_person_id

CHANNEL = "portal"
# The kinds addressed to the insured person (docs/documents.md). A kind added later is not
# shown on the portal until it is listed here (an internal copy never leaks by default).
FOR_THE_PERSON = frozenset({
    "questionnaire_letter", "questionnaire_reminder", "no_questionnaire_letter", "invitation",
    "annex_i", "annex_ii", "annex_iii", "annex_iv", "consent_withdrawal", "plan",
    "evaluation", "sanction_invitation", "registered_letter", "sanction_notice",
})  # fmt: skip


@dataclass(frozen=True)
class OwnDocument:
    id: int
    kind: str
    language: str
    issued_on: date
    reference: str
    pages: int
    signs: bool  # the person is one of the form's signatories
    signed_on: date | None  # the day the person signed, if they did
    signed_by: tuple[str, ...]  # every party that signed so far

    @property
    def to_sign(self) -> bool:
        return self.signs and self.signed_on is None


def _own(user: User, what: str | None):
    person_id = own_person_id(user=user, what=what)
    # The coordinator's copy of an Annex I or II is not the person's letter: the original is.
    return IssuedDocument.objects.filter(
        person_id=person_id, kind__in=FOR_THE_PERSON, copy_of__isnull=True
    )


def _signatures(document_ids: list[int]) -> dict[int, dict[str, date]]:
    found: dict[int, dict[str, date]] = {}
    rows = Signature.objects.filter(document_id__in=document_ids)
    for document_id, party, signed_on in rows.values_list("document_id", "party", "signed_on"):
        found.setdefault(document_id, {})[party] = signed_on
    return found


def _row(document: IssuedDocument, signed: dict[str, date]) -> OwnDocument:
    return OwnDocument(
        id=document.pk, kind=document.kind, language=document.language,
        issued_on=document.issued_on, reference=document.reference, pages=document.pages,
        signs=Party.INSURED in KINDS[document.kind].signers,
        signed_on=signed.get(Party.INSURED), signed_by=tuple(signed),
    )  # fmt: skip


def own_documents(*, user: User) -> list[OwnDocument]:
    """The person's letters and forms, newest first; the read is audited."""
    documents = list(_own(user, what="portal letters").defer("pdf", "facts"))
    signed = _signatures([d.pk for d in documents])
    return [_row(d, signed.get(d.pk, {})) for d in documents]


def own_document(*, user: User, document_id: int) -> OwnDocument:
    """One of the person's documents (NotFound for anyone else's); the read is audited."""
    found = [d for d in own_documents(user=user) if d.id == document_id]
    if not found:
        raise NotFound("document")
    return found[0]


@transaction.atomic
def own_download(*, user: User, document_id: int) -> Download:
    """The PDF of one of the person's documents, after its integrity check; audited."""
    document = _own(user, what=None).filter(pk=document_id).first()
    if document is None:
        raise NotFound("document")
    content = bytes(document.pdf)
    if hashlib.sha256(content).hexdigest() != document.sha256:
        raise ValidationError("This stored document fails its integrity check.", code="integrity")
    append(
        actor=user, action="read", object_type="documents.issued_document",
        object_id=document.pk, person_id=document.person_id, channel=CHANNEL,
        changes={"read": "download", "sha256": document.sha256}, medical=document.medical,
    )  # fmt: skip
    return Download(filename_of(document), content, document.sha256)


@transaction.atomic
def sign_own(*, user: User, document_id: int, password: str, today: date) -> Signature:
    """The person signs one of their forms electronically: re-authenticated by their password,
    stored once. ValidationError codes: `wrong_password`, `not_signed_by_you`, `signed`."""
    document = _own(user, what=None).select_for_update().filter(pk=document_id).first()
    if document is None:
        raise NotFound("document")
    if Party.INSURED not in KINDS[document.kind].signers:
        raise ValidationError("the insured person does not sign this", code="not_signed_by_you")
    if not password or not user.check_password(password):
        raise ValidationError("wrong password", code="wrong_password")
    if Signature.objects.filter(document=document, party=Party.INSURED).exists():
        raise ValidationError("signed already", code="signed")
    try:
        with transaction.atomic():
            signature = Signature.objects.create(
                document=document, party=Party.INSURED, method=Method.ELECTRONIC,
                signed_on=today, recorded_by=user,
            )  # fmt: skip
    except IntegrityError:  # signed at the same moment in another tab: that one counts
        raise ValidationError("signed already", code="signed") from None
    append(
        actor=user, action="create", object_type="documents.signature", object_id=signature.pk,
        person_id=document.person_id, channel=CHANNEL,
        changes={"document": document.pk, "party": Party.INSURED, "method": Method.ELECTRONIC,
                 "sha256": document.sha256},
    )  # fmt: skip
    return signature


# --- The signed version: the stored document followed by its signature record ----------------


@dataclass(frozen=True)
class SignatureLine:
    party: str
    method: str
    signed_on: date
    recorded_at: datetime


def own_signatures(*, user: User, document_id: int) -> list[SignatureLine]:
    """Who signed one of the person's documents, how and when (NotFound for anyone else's)."""
    document = _own(user, what=None).filter(pk=document_id).first()
    if document is None:
        raise NotFound("document")
    rows = Signature.objects.filter(document=document).order_by("recorded_at", "id")
    return [SignatureLine(s.party, s.method, s.signed_on, s.recorded_at) for s in rows]


def with_record(document_pdf: bytes, record_pdf: bytes) -> bytes:
    """The stored PDF, unchanged page by page, followed by the signature record's pages."""
    writer = PdfWriter()
    for content in (document_pdf, record_pdf):
        for page in PdfReader(io.BytesIO(content)).pages:
            writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
