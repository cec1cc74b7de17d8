"""The screen of an episode's third parties: the person's own parties, the consents per party
and purpose (and their withdrawal), the consultations (circular II 2.2.1, IV 4.2)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tnw.thirdparties import selectors, services
from tnw.thirdparties.forms import (
    FORMS,
    KIND_LABELS,
    MODE_LABELS,
    PURPOSE_LABELS,
    SHARED_LABELS,
)  # fmt: skip
from tnw.web.views import CHANNEL, web_today


def _save(request, episode_id: int, kind: str, v: dict) -> None:
    common = {"user": request.user, "episode_id": episode_id, "channel": CHANNEL}
    today = web_today()
    if kind == "party":
        services.add_personal_party(**common, **v)
    elif kind == "consent":
        services.give_consent(**common, party_id=int(v["party"]), purposes=v["purposes"],
                              given_on=v["given_on"], form_reference=v["form_reference"],
                              today=today)  # fmt: skip
    elif kind == "withdraw":
        services.withdraw_consent(**common, consent_id=v["consent"], on=v["on"], today=today)
    else:
        services.register_consultation(
            **common, party_id=int(v["party"]), on=v["on"], mode=v["mode"],
            purpose=v["purpose"], shared=v["shared"], note=v["note"], today=today,
        )  # fmt: skip


def _forms(request, data: dict) -> dict:
    kind = request.POST.get("form", "") if request.method == "POST" else ""
    language = get_language() or "nl"
    parties = [(str(p.pk), f"{p.name_in(language)} ({KIND_LABELS[p.kind]})")
               for p in data["parties"]]  # fmt: skip
    forms = {name: cls(request.POST if name == kind else None, prefix=name)
             for name, cls in FORMS.items()}  # fmt: skip
    for name in ("consent", "consultation"):
        forms[name].fields["party"].choices = parties
    return forms


@login_required
def episode_third_parties(request, episode_id: int):
    try:
        data = selectors.overview(user=request.user, episode_id=episode_id, channel=CHANNEL)
    except ObjectDoesNotExist:
        raise Http404 from None
    forms = _forms(request, data)
    kind = request.POST.get("form", "") if request.method == "POST" else ""
    if kind in forms and forms[kind].is_valid():
        try:
            _save(request, episode_id, kind, forms[kind].cleaned_data)
        except ValidationError as error:
            forms[kind].add_error(None, error.messages[0])
        else:
            messages.success(request, _("Saved in the dossier."))
            return redirect("thirdparties:episode", episode_id=episode_id)
    context = {
        **data, "forms": forms, "kinds": KIND_LABELS, "purposes": PURPOSE_LABELS,
        "shared_labels": SHARED_LABELS, "modes": MODE_LABELS, "language": get_language(),
    }  # fmt: skip
    status = 400 if kind in forms else 200
    return render(request, "thirdparties/episode.html", context, status=status)
