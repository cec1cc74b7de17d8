"""The report filter: period, per month or quarter, and (national view) the mutuality."""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from tnw.mutualities.models import Mutuality
from tnw.security.validators import plausible_date


def default_start(today: date) -> date:
    """The first day of the month eleven months back: twelve months up to today."""
    month = today.month - 11
    year = today.year + (month - 1) // 12
    return date(year, (month - 1) % 12 + 1, 1)


class ReportFilterForm(forms.Form):
    start = forms.DateField(
        validators=[plausible_date], label=_("From"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        validators=[plausible_date], label=_("To"), widget=forms.DateInput(attrs={"type": "date"})
    )
    grain = forms.ChoiceField(
        label=_("Per"), choices=(("month", _("month")), ("quarter", _("quarter")))
    )
    mutuality = forms.ChoiceField(label=_("Mutuality"), required=False)

    def __init__(self, data, *, today: date, national: bool) -> None:
        initial = {"start": default_start(today), "end": today, "grain": "month", "mutuality": ""}
        merged = {**{k: v.isoformat() if isinstance(v, date) else v for k, v in initial.items()},
                  **{k: v for k, v in data.items() if v}}  # fmt: skip
        super().__init__(merged)
        if national:
            choices = [("", _("All mutualities"))]
            choices += [(m.code, f"{m.code} {m.name}") for m in Mutuality.objects.order_by("code")]
            self.fields["mutuality"].choices = choices
        else:
            del self.fields["mutuality"]

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            raise forms.ValidationError(_("The start of the period lies after its end."))
        if start and end and end - start > timedelta(days=3660):
            raise forms.ValidationError(_("Choose a period of at most ten years."))
        return data
