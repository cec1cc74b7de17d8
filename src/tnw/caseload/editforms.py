"""Forms of the edit screens: correct or annul a registration, edit a person, close an
episode, withdraw consent. Every message is in this app's catalogue (NL/FR/DE/EN)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tnw.web.forms import BelgianDateField, PersonFields, RegistrationForm

REASON_MIN, REASON_MAX = 10, 1000  # as the dossier service (docs/architecture.md)
REASON_HELP = _("Why the registration is wrong (kept in the dossier and the audit trail).")

MESSAGES = {
    "reason": _("Give the reason in 10 to 1,000 characters."),
    "future": _("This date is in the future."),
    "not_in_force": _(
        "This registration was corrected or annulled already: correct the one in force."
    ),
    "conflict": _(
        "Someone else changed this dossier since you opened the form: nothing was saved. "
        "Check the dossier and try again."
    ),
    "not_saved": _("Not saved: see the messages next to the fields."),
    "employer_number": _("An enterprise number has ten digits and starts with 0 or 1."),
    "invalidates": _(
        "This change would take the legal effect away from a registration of the episode: "
        "correct or annul that registration first."
    ),
}


def _reason_field() -> forms.CharField:
    return forms.CharField(
        label=_("Reason of the correction"), min_length=REASON_MIN, max_length=REASON_MAX,
        help_text=REASON_HELP, widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": MESSAGES["reason"], "min_length": MESSAGES["reason"],
                        "max_length": MESSAGES["reason"]},
    )  # fmt: skip


class CorrectionForm(RegistrationForm):
    """The registration's own form, filled with the values registered, and a reason."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.pop("plan_reason", None)  # the reason below says why
        self.fields.pop("shared_with_coordinator", None)  # kept as the original's
        self.fields["reason"] = _reason_field()


class AnnulForm(forms.Form):
    reason = _reason_field()


def initial_of(registration: dict[str, Any]) -> dict[str, Any]:
    """A registration's values as the form's initial data."""
    initial: dict[str, Any] = {"date": registration["date"], "note": registration.get("note", "")}
    initial["form_reference"] = registration["form_reference"]
    for name, value in registration["data"].items():
        if isinstance(value, bool):
            value = "yes" if value else "no"
        elif isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            value = date.fromisoformat(value)
        initial[name] = value
    if registration["type"] == "ziv_started" and registration["form_reference"]:
        initial["engagement_signed"] = True
    return initial


def _not_future(value: date | None, today: date) -> date | None:
    if value is not None and value > today:
        raise forms.ValidationError(MESSAGES["future"], code="future")
    return value


class PersonEditForm(PersonFields):
    """Identity and contact data (the INSZ is not changed: a wrong INSZ is another person)."""

    birth_date = BelgianDateField(label=_("Birth date"), required=False)
    field_order = ["first_name", "last_name", "birth_date"]  # then the contact fields

    def __init__(self, *args: Any, today: date, country: str = "BE", **kwargs: Any) -> None:
        super().__init__(*args, country=country, **kwargs)
        self.today = today

    def clean_birth_date(self) -> date | None:
        return _not_future(self.cleaned_data.get("birth_date"), self.today)


class CloseEpisodeForm(forms.Form):
    """The end of the incapacity (the advising physician's registration)."""

    date = BelgianDateField(label=_("Last day of the incapacity for work"))
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_date(self) -> date | None:
        return _not_future(self.cleaned_data.get("date"), self.today)


class WithdrawConsentForm(forms.Form):
    """The person withdraws the written consent (Annex III): the trajectory stops needing it."""

    date = BelgianDateField(label=_("Date of the withdrawal"))
    form_reference = forms.CharField(
        label=_("Reference of the withdrawal"), max_length=100, required=False,
        help_text=_("The reference of the signed withdrawal, when there is one."),
    )  # fmt: skip

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_date(self) -> date | None:
        return _not_future(self.cleaned_data.get("date"), self.today)


class EpisodeEditForm(forms.Form):
    """The start of the incapacity, the employment contract and the employer."""

    start = BelgianDateField(label=_("Start of the incapacity for work"))
    employment_contract = forms.TypedChoiceField(
        label=_("Employment contract"), coerce=lambda v: v == "yes", widget=forms.RadioSelect,
        choices=(("yes", _("yes")), ("no", _("no"))),
    )  # fmt: skip
    employer_name = forms.CharField(label=_("Employer"), max_length=200, required=False)
    employer_number = forms.CharField(
        label=_("Enterprise number of the employer"), max_length=12, required=False,
        help_text=_("Ten digits, e.g. 0123456789."),
    )  # fmt: skip

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_start(self) -> date | None:
        return _not_future(self.cleaned_data.get("start"), self.today)

    def clean_employer_number(self) -> str:
        digits = re.sub(r"[\s.]", "", self.cleaned_data.get("employer_number", ""))
        if digits and not re.fullmatch(r"[01]\d{9}", digits):
            raise forms.ValidationError(MESSAGES["employer_number"], code="employer_number")
        return digits


class AssignForm(forms.Form):
    coordinator = forms.TypedChoiceField(label=_("TNW coordinator"), coerce=int)
    advising_physician = forms.TypedChoiceField(label=_("Advising physician"), coerce=int)

    def __init__(self, *args: Any, coordinators, physicians, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["coordinator"].choices = [(u.pk, str(u)) for u in coordinators]
        self.fields["advising_physician"].choices = [(u.pk, str(u)) for u in physicians]
