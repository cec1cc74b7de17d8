"""The documents screens: issue a document, preview or download it, sign a model form and
register what it proves. The dossier page shows the panel (templatetags/documents_panel.py)."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tnw.documents import batch as printing
from tnw.documents import selectors, services
from tnw.documents.forms import ElectronicSignatureForm, IssueForm, PaperSignatureForm, RegisterForm
from tnw.documents.models import Method
from tnw.dossier.errors import ConflictError
from tnw.dossier.selectors import access_episode_by_id
from tnw.web.views import web_today


def _episode(user, episode_id: int):
    try:
        return access_episode_by_id(user=user, episode_id=episode_id, what="documents")
    except ObjectDoesNotExist:
        raise Http404 from None


def _back(episode) -> str:
    return f"{reverse('web:dossier', args=[episode.person_id])}#documents-{episode.id}"


def _errors(form, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


@login_required
def issue(request, episode_id: int, kind: str):
    episode = _episode(request.user, episode_id)
    offered = {k.code: k for k in selectors.offered_kinds(user=request.user, episode_id=episode_id)}
    if kind not in offered:
        raise Http404
    spec = offered[kind]
    initial = {"language": selectors.default_language(user=request.user, episode_id=episode_id)}
    form = IssueForm(request.POST or None, kind=spec, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            document = services.issue(
                user=request.user, episode_id=episode_id, kind=kind,
                language=form.cleaned_data["language"], inputs=form.inputs(), today=web_today(),
            )  # fmt: skip
        except ValidationError as error:
            _errors(form, error)
        else:
            messages.success(request, _("The document was issued: %(ref)s")
                             % {"ref": document.reference})  # fmt: skip
            return redirect(_back(episode))
    context = {"form": form, "kind": spec, "episode": episode}
    return render(request, "documents/issue.html", context)


def _pdf(request, document_id: int, disposition: str) -> HttpResponse:
    try:
        got = services.download(user=request.user, document_id=document_id)
    except ObjectDoesNotExist:
        raise Http404 from None
    response = HttpResponse(got.content, content_type="application/pdf")
    response["Content-Disposition"] = f'{disposition}; filename="{got.filename}"'
    response["X-Content-SHA256"] = got.sha256
    response["Cache-Control"] = "no-store"
    return response


@login_required
def download(request, document_id: int):
    return _pdf(request, document_id, "attachment")


@login_required
def preview(request, document_id: int):
    return _pdf(request, document_id, "inline")


def _sign(request, document, episode, forms_by_party):
    party, method = request.POST.get("party", ""), request.POST.get("method", "")
    form = forms_by_party.get((party, method))
    if form is None or not form.is_valid():
        return None
    scan = form.cleaned_data.get("scan")
    try:
        services.sign(
            user=request.user, document_id=document.id, party=party, method=method,
            signed_on=form.cleaned_data["signed_on"], scan=scan.read() if scan else None,
            password=form.cleaned_data.get("password", ""),
        )  # fmt: skip
    except (ValidationError, PermissionDenied) as error:
        form.add_error(None, " ".join(getattr(error, "messages", [str(error)])))
        return None
    messages.success(request, _("The signature was recorded."))
    return redirect(reverse("documents:sign", args=[document.id]))


def _register(request, document, episode, form):
    if not form.is_valid():
        return None
    fields = (
        {"situation": form.cleaned_data["situation"]} if "situation" in form.cleaned_data else {}
    )
    try:
        services.register_with_form(
            user=request.user, document_id=document.id, expected_version=episode.version,
            on=form.cleaned_data["on"], fields=fields, today=web_today(),
        )  # fmt: skip
    except (ValidationError, ConflictError, PermissionDenied) as error:
        form.add_error(None, " ".join(getattr(error, "messages", [str(error)])))
        return None
    messages.success(request, _("The registration was stored with the signed form."))
    return redirect(_back(episode))


def _bound(post, party: str, method: str):
    """The posted data for the one form that was submitted (party and method)."""
    return post if post and (post.get("party"), post.get("method")) == (party, method) else None


@login_required
def sign(request, document_id: int):
    try:
        document = services.signable(user=request.user, document_id=document_id)
    except ObjectDoesNotExist:
        raise Http404 from None
    episode = _episode(request.user, document.episode_id)
    rows = {r.id: r for r in selectors.documents_of(user=request.user, episode_id=episode.id)}
    row = rows[document.id]
    today = web_today()
    post = request.POST if request.method == "POST" else None
    files = request.FILES if post else None
    forms_by_party = {}
    for party in row.signers:
        if party in row.signed_by:
            continue
        forms_by_party[(party, Method.PAPER)] = PaperSignatureForm(
            _bound(post, party, Method.PAPER), files, prefix=f"{party}-paper",
            initial={"signed_on": today},
        )  # fmt: skip
        if party != "insured":
            forms_by_party[(party, Method.ELECTRONIC)] = ElectronicSignatureForm(
                _bound(post, party, Method.ELECTRONIC), prefix=f"{party}-el",
                initial={"signed_on": today},
            )  # fmt: skip
    kind = services.kind_of(document.kind)
    register_form = RegisterForm(post if post and post.get("action") == "register" else None,
                                 proves=kind.proves, initial={"on": today})  # fmt: skip
    if post:
        done = (_register(request, document, episode, register_form)
                if post.get("action") == "register"
                else _sign(request, document, episode, forms_by_party))  # fmt: skip
        if done is not None:
            return done
    context = {"document": row, "episode": episode, "forms": forms_by_party.items(),
               "register_form": register_form, "kind": kind,
               "complete": set(row.signers) <= set(row.signed_by)}  # fmt: skip
    return render(request, "documents/sign.html", context)


# --- The print batch (letters for paper post) -------------------------------------------------

PRINT_DAYS = 14  # as the daily run's catch-up window


def _attachment(filename: str, content: bytes, sha256: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-SHA256"] = sha256
    response["Cache-Control"] = "no-store"
    return response


@login_required
def print_list(request):
    """The letters of the last days for paper post: waiting ones to print and mark sent, the
    batches sent before to print again."""
    today = web_today()
    days = [today - timedelta(days=n) for n in range(PRINT_DAYS)]
    rows = printing.print_days(user=request.user, days=days)
    return render(request, "documents/print.html", {"rows": rows, "today": today})


@login_required
@require_POST
def print_send(request, day: str):
    try:
        on = date.fromisoformat(day)
    except ValueError:
        raise Http404 from None
    try:
        batch = printing.send_batch(user=request.user, day=on)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(reverse("documents:print"))
    return _attachment(printing.batch_filename(batch), bytes(batch.pdf), batch.sha256)


@login_required
def print_download(request, batch_id: int):
    try:
        got = printing.batch_download(user=request.user, batch_id=batch_id)
    except ObjectDoesNotExist:
        raise Http404 from None
    return _attachment(got.filename, got.content, got.sha256)
