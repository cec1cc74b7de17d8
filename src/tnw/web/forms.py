"""Forms. The registration form is generated from the rules contract (`EVENT_TYPES`): one field
per event field, with only the choices the law allows at this point (see `possible`)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from tnw.accounts.roles import MEDICAL_FIELDS
from tnw.rules import EVENT_TYPES
from tnw.security.limits import MAX_TEXT_CHARS
from tnw.security.validators import plausible_date
from tnw.web.labels import (
    CHOICE_LABELS,
    FIELD_LABELS,
    HEALTH_KIND_LABELS,
    PERSON_LANGUAGE_LABELS,
    choice_label,
)

DATE_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]
# Registrations that come with a signed form: its reference is asked (required where the
# law needs the signed document to exist: consent, the engagement declaration).
FORM_REFERENCE = {
    "first_contact": False,
    "consent_given": True,
    "consent_withdrawn": False,
    "ziv_started": True,
    "codex_plan_answered": False,
}
FORM_REFERENCE_LABELS = {
    "first_contact": _("Reference of the signed consent form (Annex III)"),
    "consent_given": _("Reference of the signed consent form (Annex III)"),
    "consent_withdrawn": _("Reference of the withdrawal"),
    "ziv_started": _("Reference of the signed engagement declaration (Annex IV)"),
    "codex_plan_answered": _("Reference of the signed CODEX plan"),
}
HELP = {
    "objectives": _("One per line: the intermediate results (e.g. an internship)."),
    "actions": _("At least one concrete action (e.g. a training), each with who does it."),
    "end_result": _("The final aim, e.g. a four-fifths job as an administrative clerk."),
    "next_appointment": _("At least one concrete appointment for the next follow-up meeting."),
    "next_review": _("Only when the dossier justifies another frequency than every 3 months."),
    "date": _("Day/month/year, e.g. 24/11/2026."),
}
YES_NO = (("yes", _("yes")), ("no", _("no")))
PLAN_ROWS = 8  # actions of a plan, each with who does it
PLAN_ACTORS = EVENT_TYPES["plan_drawn_up"]["action_by"].choices  # tnw.rules.facts.PLAN_ACTORS
MAX_ACTION = 500


class BelgianDateField(forms.DateField):
    """A date typed as dd/mm/yyyy (also accepts dd-mm-yyyy, dd.mm.yyyy and ISO)."""

    widget = forms.DateInput(
        format="%d/%m/%Y",
        attrs={"placeholder": _("dd/mm/yyyy"), "inputmode": "numeric", "autocomplete": "off"},
    )
    input_formats = DATE_FORMATS
    default_validators = [plausible_date]  # 1900 up to ten years ahead (tnw.security)

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", DATE_FORMATS)
        super().__init__(**kwargs)


# Free text a user types: bounded, with Django's own message next to the field in the user's
# language (issue 18, finding "a 1 MB note"); the same limit as the API's (one place:
# tnw.security.limits), which also refuses anything longer than 5,000 characters in any other
# field before a view runs.
MAX_TEXT = MAX_TEXT_CHARS


class LinesField(forms.CharField):
    """A list of texts, one per line."""

    widget = forms.Textarea(attrs={"rows": 3})

    def to_python(self, value):
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(value)
        return value


def _yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


class RegistrationForm(forms.Form):
    """One registration of the rules contract."""

    def __init__(
        self,
        *args: Any,
        event_type: str,
        choices: dict[str, tuple[str, ...]],
        medical_sharing: bool,
        has_plan: bool,
        today: date,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.event_type = event_type
        self.fields["date"] = BelgianDateField(
            label=FIELD_LABELS["date"], initial=today, help_text=HELP["date"]
        )
        self.plan_row_names: list[str] = []
        for name, spec in EVENT_TYPES[event_type].items():
            if name == "purpose" or (event_type == "plan_drawn_up" and name == "action_by"):
                continue
            if event_type == "plan_drawn_up" and name == "actions":
                self._plan_rows()
                continue
            field = self._field(name, spec, choices.get(name, spec.choices))
            self.fields[name] = field
        if event_type == "ziv_started":
            self.fields["engagement_signed"] = forms.BooleanField(
                label=FIELD_LABELS["engagement_signed"], required=True
            )
        if event_type == "plan_drawn_up" and has_plan:
            self.fields["plan_reason"] = forms.CharField(
                label=FIELD_LABELS["plan_reason"], widget=forms.Textarea(attrs={"rows": 2}),
                required=False, max_length=MAX_TEXT,
            )  # fmt: skip
        if event_type in FORM_REFERENCE:
            self.fields["form_reference"] = forms.CharField(
                label=FORM_REFERENCE_LABELS[event_type], required=FORM_REFERENCE[event_type],
                max_length=100,
            )  # fmt: skip
        self.fields["note"] = forms.CharField(
            label=FIELD_LABELS["note"],
            widget=forms.Textarea(attrs={"rows": 3}),
            required=False,
            max_length=MAX_TEXT,
        )
        if medical_sharing and event_type in MEDICAL_FIELDS:
            self.fields["shared_with_coordinator"] = forms.BooleanField(
                label=FIELD_LABELS["shared_with_coordinator"], required=False
            )

    def _plan_rows(self) -> None:
        """The plan's actions, each with who does it (at least PLAN_ROWS rows; empty rows are
        left out); a correction's initial `actions` and `action_by` fill the rows."""
        who = [("", "—")] + [(code, choice_label("action_by", code)) for code in PLAN_ACTORS]
        actions, by = list(self.initial.get("actions") or []), self.initial.get("action_by") or []
        self.plan_rows = max(PLAN_ROWS, len(actions))
        for n, text in enumerate(actions, 1):
            self.initial[f"action_{n}"] = text
            self.initial[f"action_by_{n}"] = by[n - 1] if n <= len(by) else ""
        for n in range(1, self.plan_rows + 1):
            self.fields[f"action_{n}"] = forms.CharField(
                label=_("Action %(n)s") % {"n": n}, required=False, max_length=MAX_ACTION,
                help_text=HELP["actions"] if n == 1 else "",
            )  # fmt: skip
            self.fields[f"action_by_{n}"] = forms.ChoiceField(
                label=_("Who does action %(n)s") % {"n": n}, choices=who, required=False
            )
            self.plan_row_names += [f"action_{n}", f"action_by_{n}"]

    @property
    def plan_pairs(self) -> list[tuple[Any, Any]]:
        """The bound (action, who does it) fields of each row, for the template."""
        return [(self[f"action_{n}"], self[f"action_by_{n}"]) for n in range(1, self.plan_rows + 1)]

    def _plan_actions(self, data: dict[str, Any]) -> tuple[list[str], list[str]]:
        """The filled rows as (actions, who does each); each half-filled row gets its error."""
        actions, by = [], []
        for n in range(1, self.plan_rows + 1):
            text, who = (data.get(f"action_{n}") or "").strip(), data.get(f"action_by_{n}") or ""
            if text and not who:
                self.add_error(f"action_by_{n}", _("Say who does this action."))
            elif who and not text:
                self.add_error(f"action_{n}", _("Describe the action, or leave who does it empty."))
            elif text:
                actions.append(text)
                by.append(who)
        return actions, by

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.event_type == "plan_drawn_up":
            actions, by = self._plan_actions(data)
            half_filled = any(n in self.errors for n in self.plan_row_names)
            if not actions and not half_filled:
                self.add_error(
                    "action_1",
                    _("Give at least one concrete action and who does it (circular IV 4.2)."),
                )
            data["actions"], data["action_by"] = actions, by
        return data

    def error_field(self, name: str | None) -> str | None:
        """The form field that shows an error of the engine about the event field `name`."""
        name = {"actions": "action_1", "action_by": "action_by_1"}.get(name or "", name)
        return name if name in self.fields else None

    def _field(self, name: str, spec, allowed: tuple[str, ...]) -> forms.Field:
        label = FIELD_LABELS.get(name, name.replace("_", " "))
        required = spec.required
        if self.event_type == "plan_drawn_up" and name == "next_appointment":
            required = True  # the circular's legal minimum (IV 4.2), not optional here
        help_text = HELP.get(name, "")
        if spec.kind == "bool":
            if spec.required:
                return forms.TypedChoiceField(
                    label=label, choices=YES_NO, coerce=_yes_no, widget=forms.RadioSelect,
                    help_text=help_text,
                )  # fmt: skip
            return forms.BooleanField(label=label, required=False, initial=bool(spec.default))
        if spec.kind == "date":
            return BelgianDateField(label=label, required=required, help_text=help_text)
        if spec.kind == "category":
            return forms.TypedChoiceField(
                label=label, coerce=int, widget=forms.RadioSelect,
                choices=[(str(n), CHOICE_LABELS["category"][str(n)]) for n in (1, 2, 3, 4)],
            )  # fmt: skip
        if spec.kind == "str_list":
            return LinesField(label=label, required=True, help_text=help_text, max_length=MAX_TEXT)
        if spec.kind == "text":
            return forms.CharField(
                label=label,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=help_text,
                max_length=MAX_TEXT,
            )
        options = [(value, choice_label(name, value)) for value in allowed]
        widget = forms.Select if len(options) > 6 else forms.RadioSelect
        initial = options[0][0] if len(options) == 1 else None
        return forms.ChoiceField(
            label=label, choices=options, widget=widget, initial=initial, required=required
        )

    def contract_fields(self) -> dict[str, Any]:
        """The event's fields as the service wants them."""
        data = self.cleaned_data
        out: dict[str, Any] = {}
        for name, spec in EVENT_TYPES[self.event_type].items():
            if name not in self.fields and name not in ("actions", "action_by"):
                continue
            value = data.get(name)
            if value in (None, "", []) and not spec.required:
                if spec.kind == "bool":
                    out[name] = bool(value)
                continue
            out[name] = value
        return out


# A telephone number: digits with the usual separators, 8 to 15 digits (E.164 at most).
PHONE = re.compile(r"^\+?[\d\s./()-]+$")
PHONE_DIGITS = (8, 15)
# Belgian postal codes run from 1000 to 9999 (bpost); 99999 or "B-1000" are not one.
BELGIAN_POSTAL_CODE = re.compile(r"^[1-9]\d{3}$")
PERSON_MESSAGES = {
    "phone": _("Not a telephone number: use digits, spaces and + . / - ( ), 8 to 15 digits."),
    "postal_code": _("A Belgian postal code has four digits, from 1000 to 9999."),
}


class PersonFields(forms.Form):
    """A person's name, language and contact data: the fields the new-person form (here) and
    the edit form (tnw.caseload.editforms.PersonEditForm) share."""

    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    language = forms.ChoiceField(
        label=_("Language of the person"), choices=list(PERSON_LANGUAGE_LABELS.items())
    )
    street = forms.CharField(label=_("Street and number"), max_length=200, required=False)
    postal_code = forms.CharField(label=_("Postal code"), max_length=10, required=False)
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    phone = forms.CharField(label=_("Telephone"), max_length=40, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)

    def __init__(self, *args: Any, country: str = "BE", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.country = country  # the postal code is checked for Belgian addresses only

    def clean_phone(self) -> str:
        phone = " ".join(self.cleaned_data.get("phone", "").split())
        digits = sum(c.isdigit() for c in phone)
        if phone and (not PHONE.match(phone) or not PHONE_DIGITS[0] <= digits <= PHONE_DIGITS[1]):
            raise forms.ValidationError(PERSON_MESSAGES["phone"], code="phone")
        return phone

    def clean_postal_code(self) -> str:
        code = self.cleaned_data.get("postal_code", "").strip()
        if code and self.country == "BE" and not BELGIAN_POSTAL_CODE.match(code):
            raise forms.ValidationError(PERSON_MESSAGES["postal_code"], code="postal_code")
        return code


class PersonForm(PersonFields):
    insz = forms.CharField(
        label=_("INSZ or bis number"), max_length=20,
        widget=forms.TextInput(attrs={"placeholder": "85.07.30-033.28", "autocomplete": "off"}),
    )  # fmt: skip
    field_order = ["insz"]  # then the person's fields


class EpisodeForm(forms.Form):
    start = BelgianDateField(label=_("Start of the incapacity for work"))
    employment_contract = forms.TypedChoiceField(
        label=_("Employment contract"), choices=YES_NO, coerce=_yes_no, widget=forms.RadioSelect
    )
    employer_name = forms.CharField(label=_("Employer"), max_length=200, required=False)
    employer_workers = forms.IntegerField(
        label=_("Number of workers of the employer"), min_value=0, required=False,
        help_text=_("Employers with 20 or more workers must request a re-integration "
                    "trajectory at the latest 6 months after the start of the incapacity "
                    "(CODEX, from 1-1-2026)."),
        error_messages={
            "invalid": _("Enter the number of workers as a whole number."),
            "min_value": _("The number of workers cannot be negative."),
        },
    )  # fmt: skip
    coordinator = forms.ChoiceField(label=_("TNW coordinator"), required=False)
    advising_physician = forms.ChoiceField(label=_("Advising physician"), required=False)

    def __init__(self, *args: Any, coordinators, physicians, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        blank = [("", "—")]
        self.fields["coordinator"].choices = blank + [(str(u.pk), str(u)) for u in coordinators]
        self.fields["advising_physician"].choices = blank + [
            (str(u.pk), str(u)) for u in physicians
        ]


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("INSZ, name or dossier number"), max_length=100, required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )  # fmt: skip


class LanguageForm(forms.Form):
    language = forms.ChoiceField(choices=settings.LANGUAGES)
    next = forms.CharField(required=False)


class HealthForm(forms.Form):
    """Health data under medical secrecy (advising physician only)."""

    kind = forms.ChoiceField(label=_("Kind"), choices=list(HEALTH_KIND_LABELS.items()))
    text = forms.CharField(
        label=_("Health data"), widget=forms.Textarea(attrs={"rows": 4}), max_length=MAX_TEXT
    )
    recorded_on = BelgianDateField(label=_("Date"))
    relevant_to_trajectory = forms.BooleanField(
        label=FIELD_LABELS["shared_with_coordinator"], required=False
    )


class BreakGlassForm(forms.Form):
    """Why a coordinator or physician acts on an episode that is not assigned to them."""

    reason = forms.CharField(
        label=_("Reason"), min_length=10, max_length=1000,
        help_text=_("Why you need this dossier now (reviewed by the manager)."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    next = forms.CharField(required=False, widget=forms.HiddenInput, max_length=500)
