"""Rendering a document kind to PDF with WeasyPrint (tagged PDF/UA, the language set).

The template of a kind and language gets the facts (`tnw.dossier.letters`), the issuer's
inputs, the date it is issued on and its number. Nothing here reads the database.
"""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from tnw.documents.kinds import Kind, reduction_warning, subject_of
from tnw.dossier.letters import sanction_terms


def html_of(
    kind: Kind, language: str, facts: dict[str, Any], inputs: dict[str, Any], issued_on: date,
    number: str, copy: bool = False,
) -> str:  # fmt: skip
    """`copy`: the coordinator's copy of a medical kind (the template leaves the medical
    details out and says so)."""
    registrations = {r["type"]: r for r in facts["registrations"]}
    obligations = {o["code"]: o for o in facts["obligations"]}
    # The questionnaire is returned within two weeks (circular III 3.1 step 3): the engine's
    # term when it is known, else two weeks from the letter.
    returned = obligations.get("return_questionnaire")
    return_by = returned["due"] if returned and returned["due"] else issued_on + timedelta(14)
    context = {
        "kind": kind, "lang": language, "f": facts, "person": facts["person"],
        "mutuality": facts["mutuality"], "inputs": inputs, "issued_on": issued_on,
        "number": number, "last": registrations, "warning": reduction_warning(facts),
        "obligations": obligations, "return_by": return_by,
        "plan": facts["plans"][-1] if facts["plans"] else None, "copy": copy,
        "s": subject_of(kind.code, facts, str(inputs.get("subject", ""))),
        "invitation_terms": _invitation_terms(kind, facts, inputs),
        "outcome": {o["kind"]: o for o in facts.get("outcomes", [])},
    }  # fmt: skip
    with translation.override(language):
        return render_to_string(kind.template(language), context)


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _invitation_terms(kind: Kind, facts: dict[str, Any], inputs: dict[str, Any]) -> Any:
    """The sanction an invitation to the first contact warns of: the law in force on the
    appointment's date (2.5% from 2023, 10% from 2026), for incapacities from 1-1-2023."""
    if kind.code != "invitation" or not inputs.get("appointment_date"):
        return None
    return sanction_terms(
        start=_day(facts["episode"]["start"]), day=_day(inputs["appointment_date"]),
        appointment="first_contact", mode=str(inputs.get("mode", "")),
    )  # fmt: skip


def pdf_of(html: str) -> tuple[bytes, int]:
    """The PDF and its number of pages."""
    from weasyprint import HTML  # imported late: loading Pango costs ~0.3 s

    document = HTML(string=html, base_url=".").render()
    out = io.BytesIO()
    document.write_pdf(out, pdf_variant="pdf/ua-1", pdf_tags=True)
    return out.getvalue(), len(document.pages)
