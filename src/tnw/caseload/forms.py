"""The worklist screen's filter and bulk-action forms."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tnw.security.validators import plausible_date
from tnw.web import labels
from tnw.worklists import pages

NAV_LABEL = _("All tasks")  # the main menu's link to this screen (web/base.html)
VIEW_LABELS = {
    "mine": _("Mine"),
    "team": _("My team"),
    "unassigned": _("Unassigned"),
    "late": _("Late on arrival"),
}
SORT_LABELS = {
    "due": _("Due"),
    "status": _("Status"),
    "task": _("Task"),
    "person": _("Person"),
    "opens": _("Opens"),
    "dossier": _("Dossier number"),
}
STATUS_CHOICES = [(s, labels.STATUS_LABELS[s]) for s in ("overdue", "open", "upcoming")]


class WorklistFilterForm(forms.Form):
    view = forms.ChoiceField(label=_("View"), required=False)
    kind = forms.MultipleChoiceField(label=_("Task"), required=False)
    status = forms.MultipleChoiceField(
        label=_("Status"), required=False, choices=STATUS_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    due_from = forms.DateField(
        validators=[plausible_date],
        label=_("Due from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    due_before = forms.DateField(
        validators=[plausible_date],
        label=_("Due until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    person = forms.CharField(label=_("Person"), required=False, max_length=100)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=list(SORT_LABELS.items()))
    dir = forms.ChoiceField(required=False, choices=[("asc", "asc"), ("desc", "desc")])
    page = forms.IntegerField(required=False, min_value=1)

    def __init__(self, *args, views: tuple[str, ...], kinds: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["view"].choices = [(v, VIEW_LABELS[v]) for v in views]
        self.fields["kind"].choices = [(k, labels.obligation_label(k)) for k in kinds]

    def clean(self):
        data = super().clean()
        start, end = data.get("due_from"), data.get("due_before")
        if start and end and start > end:
            self.add_error("due_before", _("The end of the due window is before its start."))
        return data

    def options(self) -> dict:
        """The filters as keyword arguments of tnw.worklists.pages (defaults when invalid)."""
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "view": data.get("view") or "mine",
            "kind": tuple(data.get("kind") or ()),
            "status": tuple(data.get("status") or ()),
            "due_from": data.get("due_from"),
            "due_before": data.get("due_before"),
            "person": data.get("person") or "",
            "sort": data.get("sort") or "due",
            "descending": data.get("dir") == "desc",
        }


class ReassignForm(forms.Form):
    items = forms.TypedMultipleChoiceField(coerce=int, label=_("Tasks"))
    to = forms.TypedChoiceField(coerce=int, label=_("Reassign to"))

    def __init__(self, *args, colleagues, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = [(u.pk, u.get_full_name() or u.username) for u in colleagues]
        self.fields["items"].error_messages["required"] = _("Select at least one task.")
        # Any id: the worklist query decides which of them the user may move.
        self.fields["items"].valid_value = lambda value: str(value).isdigit()


KINDS = sorted({code for code in labels.OBLIGATION_LABELS if code != "return_questionnaire"})
assert set(pages.VIEWS) == set(VIEW_LABELS)
