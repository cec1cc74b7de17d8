"""The forms of the third parties' screen, with the labels of the rules' codes."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tnw.thirdparties import rules
from tnw.web.forms import BelgianDateField

KIND_LABELS = {
    rules.REGIONAL_SERVICE: _("regional service"),
    rules.PROVIDER: _("provider of the mutuality"),
    rules.TREATING_PHYSICIAN: _("treating physician"),
    rules.COUNSELLOR: _("therapeutic counsellor"),
    rules.EMPLOYER: _("employer"),
}
PURPOSE_LABELS = {
    "plan": _("drawing up and following up the re-integration plan"),
    "guidance": _("guidance, training or job search"),
    "work_adaptation": _("adapted or other work with the employer"),
    "findings": _("the findings and the plan for the treating physician"),
}
SHARED_LABELS = {
    "identity": _("identity and contact data"),
    "career": _("career data"),
    "plan": _("the re-integration plan"),
    "health_findings": _("the advising physician's findings (health data)"),
}
MODE_LABELS = {"physical": _("physical"), "video": _("video"), "phone": _("phone"),
               "mail": _("mail")}  # fmt: skip


def _choices(labels):
    return list(labels.items())


class PartyForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of party"),
        choices=[(k, KIND_LABELS[k]) for k in rules.PERSONAL_KINDS],
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)


class ConsentForm(forms.Form):
    party = forms.ChoiceField(label=_("Party"))
    purposes = forms.MultipleChoiceField(
        label=_("Purposes"), choices=_choices(PURPOSE_LABELS),
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    given_on = BelgianDateField(label=_("Consent given on"))
    form_reference = forms.CharField(label=_("Signed consent form (Annex III)"), max_length=100)


class WithdrawForm(forms.Form):
    consent = forms.IntegerField(widget=forms.HiddenInput)
    on = BelgianDateField(label=_("Withdrawn on"))


class ConsultationForm(forms.Form):
    party = forms.ChoiceField(label=_("Party"))
    on = BelgianDateField(label=_("Date"))
    mode = forms.ChoiceField(label=_("Mode"), choices=_choices(MODE_LABELS))
    purpose = forms.ChoiceField(label=_("Purpose"), choices=_choices(PURPOSE_LABELS))
    shared = forms.MultipleChoiceField(
        label=_("What was shared"), choices=_choices(SHARED_LABELS),
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea)


FORMS = {"party": PartyForm, "consent": ConsentForm, "withdraw": WithdrawForm,
         "consultation": ConsultationForm}  # fmt: skip
