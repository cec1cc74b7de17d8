"""The agenda's forms and labels (this app's catalogue, NL/FR/DE/EN)."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tnw.accounts.roles import Role
from tnw.security.validators import plausible_date
from tnw.web.forms import BelgianDateField

NAV_LABEL = _("Agenda")
KIND_LABELS = {
    "first_contact": _("First contact"),
    "follow_up": _("Follow-up meeting"),
    "medical_exam": _("Medical examination"),
    "other": _("Other meeting"),
}
MODE_LABELS = {"physical": _("in person"), "phone": _("by telephone"), "video": _("by video call")}
OUTCOME_LABELS = {"held": _("held"), "absent": _("absent"), "moved": _("moved")}
ENTRY_LABELS = {
    "plan_appointment": _("agreed in the plan"),
    "proposal": _("proposed by the person, confirmed"),
    "deadline": _("legal deadline"),
}
APPOINTMENT_MESSAGES = {
    "place_required": _("Give the place of a meeting in person."),
    "after_end": _("The incapacity ended before this day."),
    "no_holder": _("No coordinator or advising physician is assigned to this episode."),
    "outcome_known": _("The outcome of this appointment was registered already."),
    "not_yet": _("The appointment has not begun yet: it can only be moved."),
    "moved_to_required": _("Give the new day and time of a moved appointment."),
    "past": _("This moment has passed: give a day and time to come."),
    "conflict": _("Someone else changed this appointment meanwhile: nothing was saved."),
    "invalid": _("The appointment could not be saved: check the fields."),
}


def kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind))


def kinds_for(user) -> list[str]:
    """The physician schedules medical examinations, the coordinator the meetings."""
    if user.role == Role.ADVISING_PHYSICIAN:
        return ["medical_exam"]
    return ["first_contact", "follow_up", "other"]


class AgendaForm(forms.Form):
    day = forms.DateField(validators=[plausible_date], required=False, input_formats=["%Y-%m-%d"])
    view = forms.ChoiceField(choices=[("day", "day"), ("week", "week")], required=False)

    def chosen(self, today: date) -> tuple[date, str]:
        if not self.is_bound or not self.is_valid():
            return today, "week"
        return self.cleaned_data["day"] or today, self.cleaned_data["view"] or "week"


def _aware(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


class AppointmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of appointment"), widget=forms.RadioSelect)
    day = BelgianDateField(label=_("Day"))
    at = forms.TimeField(
        label=_("Time"), input_formats=["%H:%M", "%H.%M", "%Hu%M", "%Hh%M"],
        widget=forms.TimeInput(format="%H:%M", attrs={"placeholder": "14:30"}),
    )  # fmt: skip
    minutes = forms.TypedChoiceField(
        label=_("Duration"), coerce=int, initial=45,
        choices=[(n, _("%(n)d minutes") % {"n": n}) for n in (15, 30, 45, 60, 90)],
    )  # fmt: skip
    mode = forms.ChoiceField(
        label=_("Mode"), choices=list(MODE_LABELS.items()), widget=forms.RadioSelect
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args: Any, kinds: list[str], now: datetime, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.now = now
        self.fields["kind"].choices = [(k, KIND_LABELS[k]) for k in kinds]
        if len(kinds) == 1:
            self.fields["kind"].initial = kinds[0]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("day") and data.get("at"):
            data["starts_at"] = _aware(data["day"], data["at"])
            if data["starts_at"] < self.now:
                self.add_error("day", APPOINTMENT_MESSAGES["past"])
        if data.get("mode") == "physical" and not data.get("place", "").strip():
            self.add_error("place", APPOINTMENT_MESSAGES["place_required"])
        return data


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=list(OUTCOME_LABELS.items()))
    moved_day = BelgianDateField(label=_("New day"), required=False)
    moved_at = forms.TimeField(label=_("New time"), required=False, input_formats=["%H:%M"])
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("outcome") == "moved":
            if not (data.get("moved_day") and data.get("moved_at")):
                raise forms.ValidationError(APPOINTMENT_MESSAGES["moved_to_required"])
            data["moved_to"] = _aware(data["moved_day"], data["moved_at"])
        return data
