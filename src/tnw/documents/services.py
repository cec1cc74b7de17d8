"""Issuing, downloading and signing documents; the daily run's letters.

Every document is made from `tnw.dossier.letters` (the one door) and stored once, immutably,
with its SHA-256 and the facts it was made from. Issuing and every download are audited.
Issuing is idempotent by key: the daily run's letters carry the key of their outbox message,
so a retry, a rerun after a kill, or two senders at once find the one stored document.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tnw.accounts.models import User
from tnw.audit.services import append
from tnw.documents.kinds import KINDS, LANGUAGES, SANCTION_KINDS, TEMPLATE_VERSION, Kind
from tnw.documents.models import IssuedDocument, Method, Party, Signature
from tnw.documents.render import html_of, pdf_of
from tnw.dossier import services as dossier_services
from tnw.dossier.letters import SignedForm, letter_facts, system_letter_facts, without_health
from tnw.thirdparties.selectors import letter_parties

CHANNEL = "documents"


def kind_of(code: str) -> Kind:
    if code not in KINDS:
        raise ValidationError(
            _("Unknown document kind %(kind)s; known kinds: %(known)s")
            % {"kind": code, "known": ", ".join(KINDS)},
            code="unknown_kind",
        )
    return KINDS[code]


def _check_language(language: str) -> None:
    if language not in LANGUAGES:
        raise ValidationError(
            _("Unknown language %(language)s; choose one of %(known)s")
            % {"language": language, "known": ", ".join(LANGUAGES)},
            code="unknown_language",
        )


def _check_inputs(kind: Kind, inputs: dict[str, Any]) -> dict[str, Any]:
    known = {i.name for i in kind.inputs}
    unknown = set(inputs) - known
    if unknown:
        raise ValidationError(
            _("Unknown fields for this document: %(fields)s") % {"fields": ", ".join(unknown)}
        )
    missing = [str(i.label) for i in kind.inputs if i.required and not inputs.get(i.name)]
    if missing:
        raise ValidationError(
            _("Fill in: %(fields)s") % {"fields": ", ".join(missing)}, code="missing_input"
        )
    return {k: v for k, v in inputs.items() if v not in (None, "")}


def _store(
    *, key: str, kind: Kind, language: str, facts: dict[str, Any], inputs: dict[str, Any],
    issued_on: date, user: User | None, copy_of: IssuedDocument | None = None,
) -> IssuedDocument:  # fmt: skip
    numbered = (copy_of.key if copy_of else key).encode()  # a copy bears its original's number
    number = f"{kind.code.upper().replace('_', '-')}-{hashlib.sha256(numbered).hexdigest()[:8]}"
    html = html_of(kind, language, facts, inputs, issued_on, number, copy=copy_of is not None)
    pdf, pages = pdf_of(html)
    document = IssuedDocument.objects.create(
        key=key, kind=kind.code, language=language, template_version=TEMPLATE_VERSION,
        episode_id=facts["episode"]["id"], person_id=facts["person_id"],
        mutuality_id=facts["mutuality_id"],
        medical=(kind.medical or kind.health_if_seen) and facts["health"],
        facts=json.loads(json.dumps({**facts, "inputs": inputs}, cls=DjangoJSONEncoder)),
        pdf=pdf, sha256=hashlib.sha256(pdf).hexdigest(), pages=pages, issued_by=user,
        issued_on=issued_on, copy_of=copy_of,
    )  # fmt: skip
    append(
        actor=user, action="create", object_type="documents.issued_document",
        object_id=document.pk, person_id=document.person_id,
        channel=CHANNEL if user else "system:letters",
        changes={"kind": kind.code, "language": language, "sha256": document.sha256,
                 "key": key, "template_version": TEMPLATE_VERSION,
                 "copy_of": copy_of.pk if copy_of else None},
        medical=document.medical,
    )  # fmt: skip
    return document


@transaction.atomic
def issue(
    *, user: User, episode_id: int, kind: str, language: str,
    inputs: dict[str, Any] | None = None, today: date | None = None, key: str | None = None,
) -> IssuedDocument:  # fmt: skip
    """Issue a document of `kind` for an episode as `user`: the role must be one of the kind's
    issuers, the kind must fit the dossier's state, a medical kind needs the physician's view."""
    spec = kind_of(kind)
    _check_language(language)
    if user.role not in spec.issuers:
        raise PermissionDenied(_("Your role may not issue this document."))
    facts = letter_facts(user=user, episode_id=episode_id, channel=CHANNEL)
    if spec.medical and not facts["health"]:
        raise PermissionDenied(_("Only the advising physician of this dossier may issue it."))
    if not spec.fits(facts):
        raise ValidationError(
            _("A %(kind)s does not fit this dossier's state now.") % {"kind": spec.title},
            code="does_not_fit",
        )
    issued_on = today or timezone.localdate()
    if spec.names_parties:
        facts.update(
            letter_parties(user=user, episode_id=episode_id, on=issued_on, channel=CHANNEL)
        )
    document = _store(
        key=key or f"user:{uuid.uuid4()}", kind=spec, language=language, facts=facts,
        inputs=_check_inputs(spec, inputs or {}), issued_on=issued_on,
        user=user,
    )  # fmt: skip
    if document.medical:
        coordinator_copy(document)
    return document


def coordinator_copy(original: IssuedDocument) -> IssuedDocument:
    """The coordinator's copy of a physician's medical document (Annex I, II): the same letter,
    date and number, made from the facts without health data and without the physician's
    motivation; stored once (its key is the original's), never medical."""
    key = f"copy:coordinator:{original.key}"
    found = IssuedDocument.objects.filter(key=key).first()
    if found is not None:
        return found
    facts = {k: v for k, v in original.facts.items() if k != "inputs"}
    inputs = {k: v for k, v in original.facts.get("inputs", {}).items() if k != "motivation"}
    return _store(
        key=key, kind=kind_of(original.kind), language=original.language,
        facts=without_health(facts), inputs=inputs, issued_on=original.issued_on,
        user=original.issued_by, copy_of=original,
    )  # fmt: skip


def issue_letter(*, key: str, kind: str, episode_id: int, today: date) -> IssuedDocument:
    """The daily run's letter under `key`, in the person's language: stored the first time,
    found after (also when another process stored it first)."""
    found = IssuedDocument.objects.filter(key=key).first()
    if found is not None:
        return found
    spec = kind_of(kind)
    # A sanction letter's key names what it is about (tnw.documents.daily): its subject.
    parts = key.split(":")
    inputs = {"subject": parts[4]} if kind in SANCTION_KINDS and len(parts) == 5 else {}
    try:
        with transaction.atomic():
            facts = system_letter_facts(episode_id=episode_id, today=today)
            return _store(key=key, kind=spec, language=facts["person"]["language"],
                          facts=facts, inputs=inputs, issued_on=today, user=None)  # fmt: skip
    except IntegrityError:  # a concurrent sender stored it first: theirs is the one
        return IssuedDocument.objects.get(key=key)


def letter_key(kind: str, episode_id: int, day: date, sequence: int) -> str:
    return f"letter:{kind}:{episode_id}:{day.isoformat()}:{sequence}"


def attachment_for(value: str) -> tuple[str, bytes, str]:
    """The outbox's resolver for "document:<letter key>" (rendered on first send)."""
    _prefix, kind, episode_id, day, _sequence = value.split(":")
    document = issue_letter(
        key=value, kind=kind, episode_id=int(episode_id), today=date.fromisoformat(day)
    )
    return filename_of(document), bytes(document.pdf), "application/pdf"


def filename_of(document: IssuedDocument) -> str:
    return f"{document.kind}-{document.issued_on.isoformat()}-{document.pk}.{document.language}.pdf"


@dataclass(frozen=True)
class Download:
    filename: str
    content: bytes
    sha256: str


@transaction.atomic
def download(*, user: User, document_id: int, channel: str | None = None) -> Download:
    """A stored document's PDF, after checking it may be shown and that it is intact."""
    from tnw.documents.selectors import visible_document

    document = visible_document(
        user=user, document_id=document_id, what="document download",
        channel=channel or "selector",
    )  # fmt: skip
    content = bytes(document.pdf)
    if hashlib.sha256(content).hexdigest() != document.sha256:
        raise ValidationError(_("This stored document fails its integrity check."))
    append(
        actor=user, action="read", object_type="documents.issued_document",
        object_id=document.pk, person_id=document.person_id, channel=channel or CHANNEL,
        changes={"read": "download", "sha256": document.sha256}, medical=document.medical,
    )  # fmt: skip
    return Download(filename_of(document), content, document.sha256)


# --- Signatures (Annexes III and IV) ---------------------------------------------------------

MAX_SCAN_BYTES = 10 * 1024 * 1024
# A scan's type is read from its first bytes, never from its name or the browser's word.
SCAN_TYPES = {b"%PDF-": "application/pdf", b"\x89PNG\r\n\x1a\n": "image/png",
              b"\xff\xd8\xff": "image/jpeg"}  # fmt: skip


def scan_type(content: bytes) -> str:
    for magic, mime in SCAN_TYPES.items():
        if content.startswith(magic):
            return mime
    raise ValidationError(_("The scan must be a PDF, PNG or JPEG file."), code="scan_type")


def _check_signer(user: User, document: IssuedDocument, party: str, password: str) -> None:
    """An electronic signature is the act of the signing user, after re-authentication: the
    coordinator or physician assigned to the episode signs for their own part only."""
    from tnw.documents.selectors import assigned_party

    if party == Party.INSURED:
        raise ValidationError(
            _("The insured person signs on paper here: upload the signed scan."),
            code="insured_on_paper",
        )
    if assigned_party(user=user, episode_id=document.episode_id) != party:
        raise PermissionDenied(_("Only the signatory themselves can sign electronically."))
    if not password or not user.check_password(password):
        raise PermissionDenied(_("Re-enter your password to sign."))


@transaction.atomic
def sign(
    *, user: User, document_id: int, party: str, method: str, signed_on: date,
    scan: bytes | None = None, password: str = "",
) -> Signature:  # fmt: skip
    """Record one party's signature of a model form: on paper (the scan, its type and hash) or
    electronically (the signing user's own act, after re-entering their password)."""
    from tnw.documents.selectors import visible_document

    document = visible_document(user=user, document_id=document_id, what="document signature")
    kind = kind_of(document.kind)
    if party not in kind.signers:
        raise ValidationError(_("This party does not sign this document."), code="party")
    if Signature.objects.filter(document=document, party=party).exists():
        raise ValidationError(_("This party has signed already."), code="signed")
    fields: dict[str, Any] = {}
    if method == Method.PAPER:
        if not scan:
            raise ValidationError(_("Upload the signed scan."), code="scan_missing")
        if len(scan) > MAX_SCAN_BYTES:
            raise ValidationError(_("The scan is larger than 10 MB."), code="scan_size")
        fields = {"scan": scan, "scan_type": scan_type(scan),
                  "scan_sha256": hashlib.sha256(scan).hexdigest()}  # fmt: skip
    elif method == Method.ELECTRONIC:
        _check_signer(user, document, party, password)
    else:
        raise ValidationError(_("Choose how it was signed."), code="method")
    signature = Signature.objects.create(
        document=document, party=party, method=method, signed_on=signed_on,
        recorded_by=user, **fields,
    )  # fmt: skip
    append(
        actor=user, action="create", object_type="documents.signature", object_id=signature.pk,
        person_id=document.person_id, channel=CHANNEL,
        changes={"document": document.pk, "party": party, "method": method,
                 "scan_sha256": fields.get("scan_sha256", "")},
    )  # fmt: skip
    return signature


def register_with_form(
    *, user: User, document_id: int, expected_version: int, on: date,
    fields: dict[str, Any] | None = None, note: str = "", today: date | None = None,
):  # fmt: skip
    """Register the step the signed form proves (consent given, ZIV started) through the
    dossier's `register_signed`, which checks that every party signed."""
    from tnw.documents.selectors import visible_document

    document = visible_document(user=user, document_id=document_id, what="signed form")
    if not document.verify():
        raise ValidationError(_("This stored document fails its integrity check."))
    kind = kind_of(document.kind)
    signed = frozenset(Signature.objects.filter(document=document).values_list("party", flat=True))
    return dossier_services.register_signed(
        user=user, episode_id=document.episode_id, expected_version=expected_version,
        event_type=kind.proves, on=on, fields=fields, note=note, today=today,
        signed=SignedForm(form=kind.code, reference=document.reference,
                          sha256=document.sha256, signed_by=signed),
    )  # fmt: skip


def signable(*, user: User, document_id: int) -> IssuedDocument:
    """A document that is signed (Annex III, IV) and that `user` may open."""
    from tnw.documents.selectors import visible_document

    document = visible_document(user=user, document_id=document_id, what="signature page")
    if not kind_of(document.kind).signers:
        raise IssuedDocument.DoesNotExist("this document is not signed")
    return document
