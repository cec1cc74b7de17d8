"""The screens of a change of mutuality: the form that moves a person's dossier (coordinator
or advising physician of the person's mutuality) and the managers' list of the moves out of and
into their mutuality."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tnw.accounts.roles import Cap
from tnw.dossier.access import access_person_by_id
from tnw.mutualities.models import Mutuality
from tnw.transfers import services
from tnw.web.forms import BelgianDateField
from tnw.web.views import CHANNEL, web_today

ERRORS = {
    "mutuality": gettext_lazy("Choose a mutuality from the list."),
    "reason": gettext_lazy("Give the reason in at least 10 characters."),
    "same": gettext_lazy("The person already belongs to this mutuality."),
    "future": gettext_lazy("The change of mutuality cannot be in the future."),
    "duplicate": gettext_lazy(
        "The other mutuality already has a dossier for this national register number: the two "
        "dossiers cannot be merged here."
    ),
}


class TransferForm(forms.Form):
    to = forms.ChoiceField(label=gettext_lazy("New mutuality"))
    on = BelgianDateField(label=gettext_lazy("Member of the new mutuality from"))
    reason = forms.CharField(label=gettext_lazy("Reason"), widget=forms.Textarea)


@login_required
def move_person(request, person_id: int):
    user = request.user
    try:
        person = access_person_by_id(
            user=user, person_id=person_id, caps=(Cap.EDIT_PERSON,), what="identity",
            channel=CHANNEL,
        )  # fmt: skip
    except ObjectDoesNotExist:
        raise Http404 from None
    form = TransferForm(request.POST or None)
    others = Mutuality.objects.exclude(pk=person.mutuality_id).order_by("code")
    form.fields["to"].choices = [(m.code, f"{m.code} {m.name}") for m in others]
    if request.method == "POST" and form.is_valid():
        values = form.cleaned_data
        try:
            services.transfer(
                user=user, person_id=person.pk, to_code=values["to"], on=values["on"],
                reason=values["reason"], today=web_today(), channel=CHANNEL,
            )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, str(ERRORS.get(error.code or "", error.messages[0])))
        else:
            messages.success(request, _("The dossier moved to the new mutuality."))
            return redirect("web:home")
    context = {"person": person, "form": form}
    return render(request, "transfers/move.html", context, status=400 if form.errors else 200)


@login_required
def transfer_list(request):
    rows = services.transfers_of(user=request.user)
    return render(request, "transfers/list.html", {"rows": rows})
