"""The screen of an episode's incapacity-evaluation contacts (multidisciplinary team): the
list and the form to register one. A coordinator who also works in the team is offered only
the preparatory contacts, with the reason (circular VII); any other kind is refused."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tnw.accounts.roles import (
    EVALUATION_CONTACT_KINDS,
    Cap,
    Role,
    evaluation_contact_kinds,
    has,
)
from tnw.dossier.selectors import find_for_evaluation
from tnw.evaluation import selectors, services
from tnw.web.forms import BelgianDateField
from tnw.web.views import CHANNEL, web_today

KIND_LABELS = {
    "preparatory": gettext_lazy("Preparatory contact"),
    "invalidity_extension": gettext_lazy("Contact for the extension of invalidity"),
    "interim": gettext_lazy("Interim contact"),
}
MODE_LABELS = {
    "physical": gettext_lazy("physical"), "video": gettext_lazy("video"),
    "phone": gettext_lazy("phone"), "mail": gettext_lazy("mail"),
}  # fmt: skip


class ContactForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind of contact"))
    on = BelgianDateField(label=gettext_lazy("Date"))
    mode = forms.ChoiceField(label=gettext_lazy("Mode"), choices=list(MODE_LABELS.items()))
    note = forms.CharField(
        label=gettext_lazy("Note"), required=False, max_length=2000, widget=forms.Textarea
    )

    def __init__(self, *args, kinds, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        offered = [k for k in EVALUATION_CONTACT_KINDS if k in kinds]
        self.fields["kind"].choices = [(k, KIND_LABELS[k]) for k in offered]


def _form(request, kinds):
    """The form offers the kinds the user may register; a posted kind is checked by the
    service, which refuses the others with the reason (VII)."""
    if request.method == "POST":
        return ContactForm(request.POST, kinds=set(EVALUATION_CONTACT_KINDS))
    return ContactForm(None, kinds=kinds)


@login_required
def episode_contacts(request, episode_id: int):
    user = request.user
    try:
        header, contacts = selectors.contacts_of_episode(
            user=user, episode_id=episode_id, channel=CHANNEL
        )
    except ObjectDoesNotExist:
        raise Http404 from None
    kinds = evaluation_contact_kinds(user)
    form = _form(request, kinds)
    if request.method == "POST" and form.is_valid():
        values = form.cleaned_data
        try:
            services.register_contact(
                user=user, episode_id=episode_id, kind=values["kind"], on=values["on"],
                mode=values["mode"], note=values["note"], today=web_today(), channel=CHANNEL,
            )  # fmt: skip
        except services.RoleLimit as refused:
            form.add_error("kind", str(refused))
        except ValidationError as error:
            form.add_error("on" if error.code == "on" else None, error.messages[0])
        else:
            messages.success(request, _("The contact was registered."))
            return redirect("evaluation:episode", episode_id=episode_id)
    context = {
        "episode": header, "contacts": contacts, "form": form, "kind_labels": KIND_LABELS,
        "mode_labels": MODE_LABELS,
        "limited": user.role == Role.COORDINATOR and bool(kinds),
    }  # fmt: skip
    return render(request, "evaluation/contacts.html", context, status=400 if form.errors else 200)


class FindForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("INSZ, name or dossier number"), max_length=100, required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )  # fmt: skip


@login_required
def find(request):
    """The multidisciplinary team's way in (circular VII): find the person by INSZ, name or
    dossier number and open the incapacity-evaluation contacts of an episode; nothing else of
    the dossier is shown. Every search is audited (tnw.dossier.selectors.find_for_evaluation)."""
    user = request.user
    if not has(user, Cap.VIEW_EVALUATION_CONTACTS):
        raise PermissionDenied("this role has no incapacity-evaluation contacts")
    form = FindForm(request.GET or None)
    text = form.cleaned_data["q"] if form.is_valid() else ""
    rows = find_for_evaluation(user=user, text=text, channel=CHANNEL) if text else []
    return render(request, "evaluation/find.html", {"form": form, "rows": rows, "q": text})
