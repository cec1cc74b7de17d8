"""The person's letters on the portal: the list, reading a PDF, and signing a form (the
engagement declaration, Annex IV; the consent form, Annex III) with their password. Thin:
everything goes through `tnw.documents.portal`."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tnw.documents import portal as documents
from tnw.documents.render import pdf_of
from tnw.portal.forms import SignatureForm
from tnw.portal.views import insured_required
from tnw.web.views import web_today

SIGN_ERRORS = {
    "wrong_password": lambda: _("This password is not right."),
    "signed": lambda: _("You signed this document already."),
    "not_signed_by_you": lambda: _("You do not need to sign this document."),
}


@insured_required
def letters(request: HttpRequest) -> HttpResponse:
    rows = documents.own_documents(user=request.user)
    return render(request, "portal/letters.html", {"documents": rows})


@insured_required
def letter_pdf(request: HttpRequest, document_id: int) -> HttpResponse:
    got = documents.own_download(user=request.user, document_id=document_id)
    response = HttpResponse(got.content, content_type="application/pdf")
    disposition = "attachment" if request.GET.get("download") else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{got.filename}"'
    response["Cache-Control"] = "no-store"
    return response


@insured_required
@require_http_methods(["GET", "POST"])
def sign(request: HttpRequest, document_id: int) -> HttpResponse:
    document = documents.own_document(user=request.user, document_id=document_id)
    form = SignatureForm(request.POST or None)
    if request.method == "POST" and document.to_sign and form.is_valid():
        try:
            documents.sign_own(
                user=request.user, document_id=document.id,
                password=form.cleaned_data["password"], today=web_today(),
            )  # fmt: skip
        except ValidationError as error:
            form.add_error("password" if error.code == "wrong_password" else None,
                           SIGN_ERRORS.get(error.code or "", SIGN_ERRORS["signed"])())  # fmt: skip
        else:
            messages.success(
                request, _("You signed the document. Your TNW coordinator sees your signature.")
            )
            return redirect("portal:letters")
    return render(request, "portal/sign.html", {"document": document, "form": form})


@insured_required
def letter_signed(request: HttpRequest, document_id: int) -> HttpResponse:
    """The signed version: the stored document, unchanged, followed by a page that records who
    signed it, how and when, with the document's reference and SHA-256 (in its language)."""
    document = documents.own_document(user=request.user, document_id=document_id)
    if not document.signed_by:
        raise Http404(_("Not found"))
    got = documents.own_download(user=request.user, document_id=document.id)
    context = {"document": document, "sha256": got.sha256,
               "signatures": documents.own_signatures(user=request.user,
                                                      document_id=document.id)}  # fmt: skip
    with translation.override(document.language):
        record, _pages = pdf_of(render_to_string("portal/signed_record.html", context))
    response = HttpResponse(documents.with_record(got.content, record),
                            content_type="application/pdf")  # fmt: skip
    name = got.filename.removesuffix(".pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}.signed.pdf"'
    response["Cache-Control"] = "no-store"
    return response
