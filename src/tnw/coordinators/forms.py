"""The manager's forms for the coordinator register (circular II 2.1)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tnw.security.validators import plausible_date

DATE = forms.DateInput(attrs={"type": "date"})


class EntryForm(forms.Form):
    diploma_level_b = forms.BooleanField(
        label=_("Diploma giving access to federal level B"), required=False
    )
    started_on = forms.DateField(
        validators=[plausible_date], label=_("Took up the function on"), widget=DATE
    )


class ExamForm(forms.Form):
    on = forms.DateField(validators=[plausible_date], label=_("Exam date"), widget=DATE)
    passed = forms.BooleanField(label=_("Passed"), required=False)


class IntervisionForm(forms.Form):
    on = forms.DateField(validators=[plausible_date], label=_("Date of the activity"), widget=DATE)
    minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=1, max_value=24 * 60)
    riziv_reference = forms.CharField(label=_("RIZIV reference"), required=False, max_length=100)
    recognised = forms.BooleanField(
        label=_("Counts as an intervision moment (RIZIV invitation)"), required=False,
        initial=True,
    )  # fmt: skip


FORMS = {"entry": EntryForm, "exam": ExamForm, "intervision": IntervisionForm}
