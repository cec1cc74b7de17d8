from __future__ import annotations

import copy

from django import forms
from django.utils.translation import gettext_lazy as _


class TokenForm(forms.Form):
    """A six-digit code of the authenticator app, or one of the recovery codes."""

    token = forms.CharField(
        label=_("Code"),
        max_length=16,
        error_messages={"required": _("Enter the code of your authenticator app.")},
    )

    def clean_token(self) -> str:
        token = "".join(self.cleaned_data["token"].split())
        if not token.isalnum():
            raise forms.ValidationError(
                _("A code has only digits (app) or letters and digits (recovery code).")
            )
        return token


NO_ANSWER = _(
    "No answer from a security key arrived. Try again, and touch your key when it blinks."
)


class KeyNameForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the key"),
        max_length=64,
        error_messages={
            "required": _("Give the key a name, e.g. “blue key” or “my phone”."),
            "max_length": _("A key's name has at most 64 characters."),
        },
    )


class KeyForm(forms.Form):
    """A security key's answer (the browser's JSON), with the key's name when one is added."""

    credential = forms.CharField(
        max_length=4000,
        widget=forms.HiddenInput,
        error_messages={
            "required": NO_ANSWER,
            "max_length": NO_ANSWER,
        },
    )

    def __init__(self, *args, named: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if named:
            self.fields = {"name": copy.deepcopy(KeyNameForm.base_fields["name"]), **self.fields}
