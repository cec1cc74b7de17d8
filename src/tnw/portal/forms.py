"""The portal's forms. Every message is in the person's language and says what is wrong."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tnw.accounts.roles import Role
from tnw.dossier.portal import portal_username
from tnw.security.validators import plausible_date

INSZ_HELP = _("Your national register number, as on your identity card (11 digits).")


class PortalLoginForm(AuthenticationForm):
    """Log in with the INSZ and the password chosen at activation. Staff accounts are refused
    with the same message as a wrong password (the portal reveals nothing about them)."""

    username = forms.CharField(label=_("National register number"), help_text=INSZ_HELP)

    error_messages = {
        "invalid_login": _("This national register number and password do not match."),
        "inactive": _("This account is blocked. Contact your mutuality."),
    }

    def clean_username(self) -> str:
        try:
            return portal_username(self.cleaned_data["username"])
        except ValidationError:
            raise ValidationError(
                _("This is not a valid national register number (11 digits)."), code="insz"
            ) from None

    def confirm_login_allowed(self, user: Any) -> None:
        super().confirm_login_allowed(user)
        if user.role != Role.INSURED:
            raise ValidationError(self.error_messages["invalid_login"], code="invalid_login")


class ActivationForm(forms.Form):
    insz = forms.CharField(label=_("National register number"), help_text=INSZ_HELP)
    code = forms.CharField(
        label=_("Activation code"), max_length=20,
        help_text=_("The code in the letter from your mutuality, for example ABCD-EFGH-JKMN."),
    )  # fmt: skip
    password1 = forms.CharField(
        label=_("New password"), widget=forms.PasswordInput,
        help_text=_("At least 12 characters. Not only digits."),
    )  # fmt: skip
    password2 = forms.CharField(label=_("New password again"), widget=forms.PasswordInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords are not the same."))
        return data


class ConsentForm(forms.Form):
    password = forms.CharField(
        label=_("Your password, to sign"), widget=forms.PasswordInput,
        help_text=_("Typing your password counts as your signature."),
    )  # fmt: skip


class SignatureForm(forms.Form):
    password = forms.CharField(
        label=_("Your password, to sign"), widget=forms.PasswordInput,
        help_text=_("Typing your password counts as your signature."),
    )  # fmt: skip


class CodeForm(forms.Form):
    token = forms.CharField(
        label=_("Code from your app"), max_length=8,
        help_text=_("The six digits your authenticator app shows now."),
        error_messages={"required": _("Type the code your app shows.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )  # fmt: skip

    def clean_token(self) -> str:
        token = "".join(self.cleaned_data["token"].split())
        if not token.isdigit():
            raise ValidationError(_("The code has only digits."), code="digits")
        return token


class TurnOffForm(forms.Form):
    password = forms.CharField(
        label=_("Your password, to confirm"), widget=forms.PasswordInput,
    )  # fmt: skip


class PreferencesForm(forms.Form):
    letters_by_email = forms.TypedChoiceField(
        label=_("How do you want to receive letters?"),
        choices=[("paper", _("On paper, by post")), ("email", _("By e-mail"))],
        widget=forms.RadioSelect, coerce=lambda value: value == "email",
    )  # fmt: skip


def questionnaire_form(definition: dict[str, Any], language: str, data: Any = None) -> forms.Form:
    """A form built from the versioned questionnaire, in the person's language."""
    form = forms.Form(data)
    for section in definition["sections"]:
        for item in section["items"]:
            form.fields[item["id"]] = _field(item, language)
    return form


def _text(texts: dict[str, str], language: str) -> str:
    return texts.get(language) or texts.get("en") or next(iter(texts.values()))


def _field(item: dict[str, Any], language: str) -> forms.Field:
    label = _text(item["label"], language)
    help_text = _text(item["help"], language) if item.get("help") else ""
    if item["type"] == "choice":
        choices = [(key, _text(texts, language)) for key, texts in item["choices"].items()]
        return forms.ChoiceField(
            label=label, help_text=help_text, choices=choices, required=False,
            widget=forms.RadioSelect,
        )  # fmt: skip
    return forms.CharField(
        label=label, help_text=help_text, required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip


def validate_new_password(password: str, user: Any = None) -> None:
    password_validation.validate_password(password, user)


class ProposalForm(forms.Form):
    on = forms.DateField(validators=[plausible_date],
        label=_("Which day suits you?"), widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Give a date, for example 15/01/2027.")},
    )  # fmt: skip
    note = forms.CharField(
        label=_("Anything the coordinator should know? (optional)"), required=False,
        max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip
