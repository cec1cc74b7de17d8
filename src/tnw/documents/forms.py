"""Forms of the documents screens: issuing a kind (language and the kind's inputs), signing."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tnw.documents.kinds import LANGUAGES, Kind
from tnw.documents.models import Method
from tnw.security.validators import plausible_date

LANGUAGE_NAMES = {"nl": "Nederlands", "fr": "Français", "de": "Deutsch", "en": "English"}
DATE_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]
SITUATIONS = (("A", "A"), ("B", "B"), ("C", "C"), ("D", "D"))


class IssueForm(forms.Form):
    language = forms.ChoiceField(label=_("Language of the document"),
                                 choices=[(c, LANGUAGE_NAMES[c]) for c in LANGUAGES])  # fmt: skip

    def __init__(self, *args, kind: Kind, **kwargs):
        super().__init__(*args, **kwargs)
        for spec in kind.inputs:
            if spec.type == "date":
                field: forms.Field = forms.DateField(
                    validators=[plausible_date], input_formats=DATE_FORMATS,
                    help_text=_("Day/month/year"),
                )  # fmt: skip
            elif spec.type == "time":
                field = forms.TimeField()
            elif spec.type == "choice":
                field = forms.ChoiceField(choices=spec.choices)
            else:
                field = forms.CharField(max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
            field.label, field.required = spec.label, spec.required
            self.fields[spec.name] = field

    def inputs(self) -> dict:
        return {
            k: (v.isoformat() if hasattr(v, "isoformat") else v)
            for k, v in self.cleaned_data.items() if k != "language"
        }  # fmt: skip


class PaperSignatureForm(forms.Form):
    signed_on = forms.DateField(
        validators=[plausible_date], label=_("Signed on"), input_formats=DATE_FORMATS
    )
    scan = forms.FileField(label=_("Scan of the signed form (PDF, PNG or JPEG, at most 10 MB)"))


class ElectronicSignatureForm(forms.Form):
    signed_on = forms.DateField(
        validators=[plausible_date], label=_("Signed on"), input_formats=DATE_FORMATS
    )
    password = forms.CharField(label=_("Your password (to confirm it is you)"),
                               widget=forms.PasswordInput)  # fmt: skip


class RegisterForm(forms.Form):
    on = forms.DateField(validators=[plausible_date], label=_("Date"), input_formats=DATE_FORMATS)

    def __init__(self, *args, proves: str, **kwargs):
        super().__init__(*args, **kwargs)
        if proves == "ziv_started":
            self.fields["situation"] = forms.ChoiceField(
                label=_("Start situation of the ZIV trajectory"), choices=SITUATIONS
            )


METHODS = Method
