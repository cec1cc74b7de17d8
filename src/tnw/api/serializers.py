"""Request and response shapes of the API (they make the OpenAPI schema)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from stdnum.be import bis, nn

from tnw.dossier.types import STATUSES
from tnw.rules import EVENT_TYPES
from tnw.security.limits import MAX_TEXT_CHARS
from tnw.security.validators import plausible_date
from tnw.worklists.selectors import STATUSES as WORKLIST_STATUSES

# The dossier's languages of correspondence (tnw.dossier.models.Language).
LANGUAGES = ("nl", "fr", "de")


class StrictCharField(serializers.CharField):
    """A string, never a number or a boolean coerced into one (JSON types are the contract)."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictIntegerField(serializers.IntegerField):
    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid")
        return data


class StrictEmailField(serializers.EmailField):
    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictRegexField(serializers.RegexField):
    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


def validate_insz(value: str) -> str:
    digits = "".join(ch for ch in value if ch.isdigit())
    if not (nn.is_valid(digits) or bis.is_valid(digits)):
        raise serializers.ValidationError(
            _("This is not a valid INSZ or bis number."), code="invalid_insz"
        )
    return digits


class ContactSerializer(serializers.Serializer):
    label = serializers.CharField()
    email = serializers.CharField()
    phone = serializers.CharField()


class MutualitySerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    union = serializers.CharField()
    contacts = ContactSerializer(many=True)


class PersonInSerializer(serializers.Serializer):
    insz = StrictCharField(max_length=20, validators=[validate_insz])
    first_name = StrictCharField(max_length=100)
    last_name = StrictCharField(max_length=100)
    language = serializers.ChoiceField(choices=LANGUAGES)
    birth_date = serializers.DateField(required=False, validators=[plausible_date])
    street = StrictCharField(max_length=200, required=False, allow_blank=True)
    postal_code = StrictCharField(max_length=10, required=False, allow_blank=True)
    city = StrictCharField(max_length=100, required=False, allow_blank=True)
    country = StrictRegexField(r"^[A-Z]{2}$", required=False)
    phone = StrictCharField(max_length=40, required=False, allow_blank=True)
    email = StrictEmailField(required=False, allow_blank=True)


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    insz = serializers.CharField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    birth_date = serializers.DateField(allow_null=True)
    language = serializers.CharField()
    version = serializers.IntegerField()
    episodes = serializers.ListField(child=serializers.IntegerField())


class PersonRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    insz = serializers.CharField()


WORKERS_ERRORS = {
    "invalid": _("The number of workers must be a whole number."),
    "min_value": _("The number of workers must be 0 or more."),
    "max_value": _("The number of workers must be at most 1,000,000."),
    "max_string_length": _("The number of workers must be a whole number."),
}
WORKERS_HELP = (
    "the employer's number of workers (0 or more; null or absent: unknown). CODEX 2026: an "
    "employer with 20 or more must request a re-integration trajectory at the latest 6 months "
    "after the start of the incapacity"
)


class EpisodeInSerializer(serializers.Serializer):
    person = StrictIntegerField(min_value=1)
    start = serializers.DateField(validators=[plausible_date])
    employment_contract = StrictBooleanField()
    employer_name = StrictCharField(max_length=200, required=False, allow_blank=True)
    employer_number = StrictCharField(max_length=20, required=False, allow_blank=True)
    employer_workers = StrictIntegerField(
        required=False, allow_null=True, min_value=0, max_value=1_000_000,
        error_messages=WORKERS_ERRORS,
        help_text=WORKERS_HELP,
    )  # fmt: skip


class EpisodeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    person = serializers.IntegerField()
    start = serializers.DateField()
    version = serializers.IntegerField()


class RegistrationInSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=EVENT_TYPES)
    date = serializers.DateField(validators=[plausible_date])
    fields = serializers.DictField(required=False, default=dict)
    note = StrictCharField(max_length=MAX_TEXT_CHARS, required=False, allow_blank=True, default="")
    form_reference = StrictCharField(max_length=100, required=False, allow_blank=True, default="")
    expected_version = StrictIntegerField(
        required=False, min_value=1, help_text="the episode version read; or send If-Match"
    )

    def validate_fields(self, value: dict) -> dict:
        """The registration's free text (a plan's objectives, health data, ...) is bounded as in
        the screens' forms: MAX_TEXT_CHARS per value, a list's lines taken together."""
        too_long = {}
        for name, given in value.items():
            lines = given if isinstance(given, list) else [given]
            length = sum(len(line) + 1 for line in lines if isinstance(line, str)) - 1
            if length > MAX_TEXT_CHARS:
                # DRF's own message, in its own translations (as for the note)
                too_long[name] = _(
                    "Ensure this field has no more than {max_length} characters."
                ).format(max_length=MAX_TEXT_CHARS)
        if too_long:
            raise serializers.ValidationError(too_long)
        return value


class RegistrationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    episode = serializers.IntegerField()
    position = serializers.IntegerField()
    type = serializers.CharField()
    date = serializers.DateField()
    episode_version = serializers.IntegerField()


class MessageSerializer(serializers.Serializer):
    key = serializers.CharField()
    params = serializers.DictField()


class ObligationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    actor = serializers.CharField()
    sequence = serializers.IntegerField()
    opens = serializers.DateField()
    due = serializers.DateField(allow_null=True)
    status = serializers.CharField()
    done_on = serializers.DateField(allow_null=True)
    late = serializers.BooleanField()
    void_reason = serializers.CharField(allow_blank=True)
    basis = serializers.ListField(child=serializers.CharField())
    explanation = serializers.CharField(allow_blank=True)
    explanation_parts = MessageSerializer(many=True)
    rule = serializers.CharField(allow_blank=True)


class PresumptionSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="ziv or codex")
    start = serializers.DateField()
    end = serializers.DateField()
    ends_because = serializers.CharField()
    end_reason = MessageSerializer()
    basis = serializers.ListField(child=serializers.CharField())
    triggered_by = serializers.ListField(child=serializers.IntegerField())


class SanctionSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="reduction or suspension")
    appointment = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField(allow_null=True, help_text="the last reduced day; null: runs")
    percentage = serializers.FloatField()
    regime = serializers.CharField()
    basis = serializers.ListField(child=serializers.CharField())
    triggered_by = serializers.ListField(child=serializers.IntegerField())
    ended_by = serializers.IntegerField(allow_null=True)


class ViolationSerializer(serializers.Serializer):
    event_index = serializers.IntegerField(allow_null=True, help_text="the registration's index")
    code = serializers.CharField()
    basis = serializers.ListField(child=serializers.CharField())
    message = serializers.CharField(required=False, help_text="only with health.read")
    key = serializers.CharField(required=False, help_text="only with health.read")
    params = serializers.DictField(required=False, help_text="only with health.read")
    field = serializers.CharField(required=False, allow_null=True)


class TimelineSerializer(serializers.Serializer):
    episode = serializers.IntegerField()
    version = serializers.IntegerField()
    obligations = ObligationSerializer(many=True)
    presumptions = PresumptionSerializer(many=True)
    sanctions = SanctionSerializer(many=True)
    violations = ViolationSerializer(many=True)


class WorklistFilterSerializer(serializers.Serializer):
    kind = serializers.CharField(required=False)
    status = serializers.CharField(required=False)
    due_from = serializers.DateField(required=False)
    due_before = serializers.DateField(required=False)
    assignee = serializers.CharField(required=False, max_length=150)
    cursor = serializers.CharField(required=False, max_length=200)
    limit = serializers.IntegerField(required=False, min_value=1, max_value=200, default=100)

    def validate_kind(self, value: str) -> list[str]:
        return [v.strip() for v in value.split(",") if v.strip()]

    def validate_status(self, value: str) -> list[str]:
        wanted = [v.strip() for v in value.split(",") if v.strip()]
        unknown = set(wanted) - set(WORKLIST_STATUSES)
        if unknown:
            raise serializers.ValidationError(
                _("Unknown status: %(names)s.") % {"names": ", ".join(sorted(unknown))}
            )
        return wanted


class WorklistItemSerializer(serializers.Serializer):
    obligation_id = serializers.IntegerField()
    code = serializers.CharField()
    actor = serializers.CharField()
    opens = serializers.DateField()
    due = serializers.DateField(allow_null=True)
    status = serializers.CharField(help_text="upcoming, open or overdue")
    days_left = serializers.IntegerField(allow_null=True)
    age_days = serializers.IntegerField(allow_null=True)
    basis = serializers.ListField(child=serializers.CharField())
    episode_id = serializers.IntegerField()
    person_id = serializers.IntegerField()
    person_name = serializers.CharField()


class WorklistSerializer(serializers.Serializer):
    user = serializers.CharField()
    results = WorklistItemSerializer(many=True)
    next = serializers.CharField(allow_null=True, help_text="the next page's URL (cursor)")


class DocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    title = serializers.CharField()
    language = serializers.CharField()
    issued_on = serializers.DateField()
    issued_at = serializers.DateTimeField()
    sha256 = serializers.CharField()
    reference = serializers.CharField(allow_blank=True)
    pages = serializers.IntegerField()
    restricted = serializers.BooleanField(
        help_text="made with health data: its content only for a client with health.read"
    )
    signers = serializers.ListField(child=serializers.CharField())
    signed_by = serializers.ListField(child=serializers.CharField())


class RulesInSerializer(serializers.Serializer):
    facts = serializers.DictField(help_text="the facts in the rules contract (docs/rules.md)")
    as_of = serializers.DateField()


class RulesOutSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    regimes = serializers.DictField(child=serializers.CharField())
    obligations = serializers.ListField(child=serializers.DictField())
    presumptions = serializers.ListField(child=serializers.DictField())
    violations = serializers.ListField(child=serializers.DictField())


class InvalidParamSerializer(serializers.Serializer):
    name = serializers.CharField()
    code = serializers.CharField()
    reason = serializers.CharField()


class ProblemSerializer(serializers.Serializer):
    """RFC 9457 problem details with a stable code."""

    type = serializers.CharField()
    code = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    invalid_params = InvalidParamSerializer(many=True, required=False)


class TimelineFilterSerializer(serializers.Serializer):
    status = serializers.CharField(required=False)
    due_from = serializers.DateField(required=False)
    due_before = serializers.DateField(required=False)
    actor = serializers.CharField(required=False)

    def validate_status(self, value: str) -> list[str]:
        wanted = [v.strip() for v in value.split(",") if v.strip()]
        unknown = set(wanted) - set(STATUSES)
        if unknown:
            raise serializers.ValidationError(
                _("Unknown status: %(names)s.") % {"names": ", ".join(sorted(unknown))}
            )
        return wanted

    def keeps(self, row: dict) -> bool:
        f = self.validated_data
        if f.get("status") and row["status"] not in f["status"]:
            return False
        if f.get("actor") and row["actor"] != f["actor"]:
            return False
        due = row["due"]
        if f.get("due_from") and (due is None or due < f["due_from"]):
            return False
        return not (f.get("due_before") and (due is None or due > f["due_before"]))


class ImportRowSerializer(serializers.Serializer):
    """One row of the bulk import: the columns of the CSV format (docs/api.md). Only the JSON
    types are checked here; the values are checked by the import row by row (a bad row is
    reported and the others are stored)."""

    source_key = StrictCharField(required=False, allow_blank=True)
    insz = StrictCharField(required=False, allow_blank=True)
    first_name = StrictCharField(required=False, allow_blank=True)
    last_name = StrictCharField(required=False, allow_blank=True)
    language = StrictCharField(required=False, allow_blank=True)
    birth_date = StrictCharField(required=False, allow_blank=True, help_text="YYYY-MM-DD")
    start = StrictCharField(required=False, allow_blank=True, help_text="YYYY-MM-DD")
    employment_contract = StrictBooleanField(required=False)
    employer_name = StrictCharField(required=False, allow_blank=True)
    employer_number = StrictCharField(required=False, allow_blank=True)
    end = StrictCharField(required=False, allow_blank=True, help_text="YYYY-MM-DD")
    employer_workers = StrictIntegerField(
        required=False, allow_null=True, error_messages=WORKERS_ERRORS,
        help_text=f"{WORKERS_HELP}; a negative number refuses the row",
    )  # fmt: skip


class ImportInSerializer(serializers.Serializer):
    rows = ImportRowSerializer(many=True, min_length=1, max_length=10000)


class ImportRefusalSerializer(serializers.Serializer):
    line = serializers.IntegerField(help_text="the row's index in `rows`, from 1")
    key = serializers.CharField(allow_blank=True)
    field = serializers.CharField()
    code = serializers.CharField()
    reason = serializers.CharField()


class ImportReportSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    state = serializers.CharField()
    stored = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    refused = serializers.IntegerField()
    refusals = ImportRefusalSerializer(many=True)
