"""The integration API, v1. Every view calls the dossier package's selectors and services
(the one door: access checks per mutuality, audit with the client's service account as
actor), never its models."""

from __future__ import annotations

import base64
import binascii
import json
from datetime import date

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tnw.api import serializers as s
from tnw.api.errors import TITLES, ApiError
from tnw.api.idempotency import idempotent
from tnw.api.permissions import HasScope
from tnw.api.scopes import EVENTS_WRITE, IMPORTS_WRITE, TIMELINES_READ
from tnw.documents.selectors import documents_of
from tnw.documents.services import download
from tnw.dossier import selectors, services
from tnw.dossier.timelines import FactsError, timeline_of_contract
from tnw.imports.services import import_report, run_import
from tnw.mutualities.models import Mutuality
from tnw.worklists.selectors import WorklistCursor, worklist_of

CHANNEL = "api"
IF_MATCH = OpenApiParameter(
    "If-Match", OpenApiTypes.STR, OpenApiParameter.HEADER,
    description="the episode version read (its ETag); 412 when it changed since",
)  # fmt: skip
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key", OpenApiTypes.STR, OpenApiParameter.HEADER,
    description="a retried POST with the same key gets the first response; nothing is "
    "stored twice",
)  # fmt: skip


class ClientView(APIView):
    permission_classes = [IsAuthenticated, HasScope]
    required_scopes: dict[str, str] = {}
    query_parameters: frozenset[str] = frozenset()

    def initial(self, request: Request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        # A misspelt filter must not silently return everything.
        unknown = sorted(set(request.query_params) - self.query_parameters)
        if unknown:
            raise ApiError(400, "invalid", f"unknown query parameters: {', '.join(unknown)}")


def _etag(version: int) -> str:
    return f'"{version}"'


def _expected_version(request: Request, body_version: int | None) -> int:
    header = request.headers.get("If-Match", "").strip()
    if header:
        value = header.removeprefix("W/").strip('"')
        if not value.isdigit():
            raise ApiError(400, "invalid", 'If-Match must be the episode\'s ETag, e.g. "3"')
        return int(value)
    if body_version is None:
        raise ApiError(428, "precondition_required")
    return body_version


class MutualityList(ClientView):
    @extend_schema(responses=s.MutualitySerializer(many=True), operation_id="mutualities_list")
    def get(self, request: Request) -> Response:
        """The mutualities' directory with their TNW contact details (reference data)."""
        rows = [
            {
                "code": m.code, "name": m.name, "union": m.union,
                "contacts": [
                    {"label": c.label, "email": c.email, "phone": c.phone}
                    for c in m.contacts.all()
                ],
            }
            for m in Mutuality.objects.prefetch_related("contacts")
        ]  # fmt: skip
        return Response(s.MutualitySerializer(rows, many=True).data)


class PersonList(ClientView):
    required_scopes = {"GET": TIMELINES_READ, "POST": EVENTS_WRITE}
    query_parameters = frozenset({"q"})

    @extend_schema(
        parameters=[OpenApiParameter("q", OpenApiTypes.STR, description="INSZ or name")],
        responses=s.PersonRowSerializer(many=True), operation_id="people_search",
    )  # fmt: skip
    def get(self, request: Request) -> Response:
        """People of the client's mutuality by INSZ (any formatting) or name; audited."""
        rows = selectors.search_people(
            user=request.user, text=request.query_params.get("q", "")[:100], limit=50,
            channel=CHANNEL,
        )  # fmt: skip
        return Response(s.PersonRowSerializer(rows, many=True).data)

    @extend_schema(
        request=s.PersonInSerializer, responses={201: s.PersonSerializer},
        parameters=[IDEMPOTENCY_KEY], operation_id="people_create",
    )  # fmt: skip
    def post(self, request: Request) -> Response:
        """Create a person in the client's mutuality (INSZ or bis number validated)."""
        return idempotent(request, lambda: self._create(request))

    def _create(self, request: Request) -> Response:
        given = s.PersonInSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        values = dict(given.validated_data)
        person = services.create_person(user=request.user, channel=CHANNEL, **values)
        return Response(_person(request, person.pk), status=status.HTTP_201_CREATED)


def _person(request: Request, person_id: int) -> dict:
    dossier = selectors.get_dossier(user=request.user, person_id=person_id, channel=CHANNEL)
    person = dossier["person"]
    return s.PersonSerializer({**person, "episodes": [e["id"] for e in dossier["episodes"]]}).data


class PersonDetail(ClientView):
    required_scopes = {"GET": TIMELINES_READ}

    @extend_schema(responses=s.PersonSerializer, operation_id="people_read")
    def get(self, request: Request, person_id: int) -> Response:
        """One person (identity) and the ids of their episodes; audited."""
        return Response(_person(request, person_id))


class EpisodeList(ClientView):
    required_scopes = {"POST": EVENTS_WRITE}

    @extend_schema(
        request=s.EpisodeInSerializer, responses={201: s.EpisodeSerializer},
        parameters=[IDEMPOTENCY_KEY], operation_id="episodes_create",
    )  # fmt: skip
    def post(self, request: Request) -> Response:
        """Open an incapacity episode for a person of the client's mutuality."""
        return idempotent(request, lambda: self._create(request))

    def _create(self, request: Request) -> Response:
        given = s.EpisodeInSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        values = dict(given.validated_data)
        episode = services.open_episode(
            user=request.user, person_id=values.pop("person"), channel=CHANNEL,
            today=timezone.localdate(), **values,
        )  # fmt: skip
        return _episode_response(request, episode.pk, status.HTTP_201_CREATED)


def _episode_response(request: Request, episode_id: int, code: int = 200) -> Response:
    header = selectors.access_episode_by_id(
        user=request.user, episode_id=episode_id, what="episode", channel=CHANNEL
    )
    body = {"id": header.id, "person": header.person_id, "start": header.start,
            "version": header.version}  # fmt: skip
    return Response(
        s.EpisodeSerializer(body).data, status=code, headers={"ETag": _etag(header.version)}
    )


class EpisodeDetail(ClientView):
    required_scopes = {"GET": TIMELINES_READ}

    @extend_schema(responses=s.EpisodeSerializer, operation_id="episodes_read")
    def get(self, request: Request, episode_id: int) -> Response:
        """An episode with its version (also in the ETag header, for If-Match)."""
        return _episode_response(request, episode_id)


class RegistrationList(ClientView):
    required_scopes = {"POST": EVENTS_WRITE}

    @extend_schema(
        request=s.RegistrationInSerializer, responses={201: s.RegistrationSerializer},
        parameters=[IF_MATCH, IDEMPOTENCY_KEY], operation_id="registrations_create",
    )  # fmt: skip
    def post(self, request: Request, episode_id: int) -> Response:
        """Register one event of the rules contract. The rules engine checks it first: a
        registration the law does not allow is refused with 422 and the engine's code."""
        return idempotent(request, lambda: self._register(request, episode_id))

    def _register(self, request: Request, episode_id: int) -> Response:
        given = s.RegistrationInSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        values = given.validated_data
        version = _expected_version(request, values.get("expected_version"))
        registration = services.register_event(
            user=request.user, episode_id=episode_id, expected_version=version,
            event_type=values["type"], on=values["date"], fields=values["fields"],
            note=values["note"], form_reference=values["form_reference"],
            today=timezone.localdate(), channel=CHANNEL,
        )  # fmt: skip
        new_version = registration.episode.version
        body = {
            "id": registration.pk, "episode": episode_id, "position": registration.position,
            "type": registration.type, "date": registration.date, "episode_version": new_version,
        }  # fmt: skip
        return Response(
            s.RegistrationSerializer(body).data, status=status.HTTP_201_CREATED,
            headers={"ETag": _etag(new_version)},
        )  # fmt: skip


STATUS_FILTER = OpenApiParameter(
    "status", OpenApiTypes.STR, description="comma-separated: upcoming, open, overdue, done, void"
)


class Timeline(ClientView):
    required_scopes = {"GET": TIMELINES_READ}
    query_parameters = frozenset({"status", "due_from", "due_before", "actor"})

    @extend_schema(
        parameters=[
            STATUS_FILTER,
            OpenApiParameter("due_from", OpenApiTypes.DATE),
            OpenApiParameter("due_before", OpenApiTypes.DATE),
            OpenApiParameter("actor", OpenApiTypes.STR),
        ],
        responses=s.TimelineSerializer, operation_id="timeline_read",
    )  # fmt: skip
    def get(self, request: Request, episode_id: int) -> Response:
        """The episode's timeline as the client may see it: the obligations with their status
        today (the filters apply to them), the periods of legal presumption of incapacity,
        the benefit sanction periods and the violations (registered facts that break a rule;
        their sentences only for a client with `health.read`)."""
        filters = s.TimelineFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        header = selectors.access_episode_by_id(
            user=request.user, episode_id=episode_id, what="episode", channel=CHANNEL
        )
        details = selectors.get_timeline_details(
            user=request.user, episode_id=episode_id, channel=CHANNEL,
            today=timezone.localdate(),
        )  # fmt: skip
        details["obligations"] = [row for row in details["obligations"] if filters.keeps(row)]
        body = {"episode": episode_id, "version": header.version, **details}
        return Response(s.TimelineSerializer(body).data, headers={"ETag": _etag(header.version)})


def _cursor_of(text: str | None) -> WorklistCursor | None:
    if not text:
        return None
    try:
        due, opens, pk = json.loads(base64.urlsafe_b64decode(text.encode() + b"=="))
        return WorklistCursor(
            date.fromisoformat(due) if due is not None else None, date.fromisoformat(opens),
            int(pk),
        )  # fmt: skip
    except (ValueError, TypeError, UnicodeError, binascii.Error):
        message = gettext("This is not a cursor this API gave: use the `next` link.")
        raise ValidationError({"cursor": [message]}) from None


def _cursor_text(cursor: WorklistCursor) -> str:
    due = cursor.due.isoformat() if cursor.due else None
    raw = json.dumps([due, cursor.opens.isoformat(), cursor.id]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _text(name: str, description: str) -> OpenApiParameter:
    return OpenApiParameter(name, OpenApiTypes.STR, description=description)


WORKLIST_PARAMETERS = [
    _text("kind", "obligation codes, comma-separated"),
    _text("status", "comma-separated: upcoming, open, overdue"),
    OpenApiParameter("due_from", OpenApiTypes.DATE),
    OpenApiParameter("due_before", OpenApiTypes.DATE),
    _text("assignee", "the other user on the episode (username)"),
    _text("cursor", "from `next`"),
    OpenApiParameter("limit", OpenApiTypes.INT, description="1-200, default 100"),
]


class Worklist(ClientView):
    required_scopes = {"GET": TIMELINES_READ}
    query_parameters = frozenset(
        {"kind", "status", "due_from", "due_before", "assignee", "cursor", "limit"}
    )

    @extend_schema(
        parameters=WORKLIST_PARAMETERS,
        responses=s.WorklistSerializer, operation_id="worklist_read",
    )  # fmt: skip
    def get(self, request: Request, username: str) -> Response:
        """The worklist of one user of the client's mutuality (a coordinator, a staff member;
        an advising physician's only for a client with `health.read`): their open
        obligations, soonest due first, in pages (`next` carries the cursor); audited."""
        filters = s.WorklistFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        given = dict(filters.validated_data)
        limit, after = given.pop("limit"), _cursor_of(given.pop("cursor", None))
        items, cursor = worklist_of(
            reader=request.user, username=username, today=timezone.localdate(), after=after,
            limit=limit, channel=CHANNEL, **given,
        )  # fmt: skip
        next_url = None
        if cursor is not None:
            query = request.query_params.copy()
            query["cursor"] = _cursor_text(cursor)
            next_url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
        body = {"user": username, "results": [vars(i) for i in items], "next": next_url}
        return Response(s.WorklistSerializer(body).data)


class DocumentList(ClientView):
    required_scopes = {"GET": TIMELINES_READ}

    @extend_schema(responses=s.DocumentSerializer(many=True), operation_id="documents_list")
    def get(self, request: Request, episode_id: int) -> Response:
        """The documents issued for an episode (letters and the circular's model forms),
        newest first; one made with health data is `restricted` for a client without
        `health.read`. Audited."""
        rows = documents_of(user=request.user, episode_id=episode_id, channel=CHANNEL)
        return Response(s.DocumentSerializer([vars(r) for r in rows], many=True).data)


class DocumentPdf(ClientView):
    required_scopes = {"GET": TIMELINES_READ}

    @extend_schema(
        responses={(200, "application/pdf"): OpenApiTypes.BINARY}, operation_id="documents_pdf"
    )
    def get(self, request: Request, document_id: int) -> HttpResponse:
        """The stored PDF of a document, checked against its SHA-256 (also in the `Digest`
        header); 403 for a document with health data without `health.read`. Audited."""
        pdf = download(user=request.user, document_id=document_id, channel=CHANNEL)
        response = HttpResponse(pdf.content, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{pdf.filename}"'
        response["Digest"] = f"sha-256={base64.b64encode(bytes.fromhex(pdf.sha256)).decode()}"
        return response


class RulesTimeline(ClientView):
    @extend_schema(
        request=s.RulesInSerializer, responses=s.RulesOutSerializer, operation_id="rules_timeline"
    )
    def post(self, request: Request) -> Response:
        """Evaluate facts in the rules contract without storing anything."""
        given = s.RulesInSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        as_of: date = given.validated_data["as_of"]
        try:
            timeline, _ = timeline_of_contract(facts=given.validated_data["facts"], today=as_of)
        except FactsError as error:
            raise ApiError(400, "invalid", str(error)) from None
        return Response(timeline.to_json())


def _report(batch) -> dict:
    return s.ImportReportSerializer(
        {"id": batch.pk, "state": batch.state, "stored": batch.stored,
         "updated": batch.updated, "unchanged": batch.unchanged, "refused": batch.refused,
         "refusals": batch.refusals}
    ).data  # fmt: skip


class ImportList(ClientView):
    required_scopes = {"POST": IMPORTS_WRITE}

    @extend_schema(
        request=s.ImportInSerializer, responses={201: s.ImportReportSerializer},
        parameters=[IDEMPOTENCY_KEY], operation_id="imports_create",
    )  # fmt: skip
    def post(self, request: Request) -> Response:
        """Bulk import of incapacity episodes (rows as in docs/api.md, at most 10,000). Each
        row is checked as a whole; refused rows are in the report with their line (index
        from 1), field and reason, and nothing of them is stored; the others are stored with
        their timelines. Idempotent by `source_key`: the same rows again are unchanged."""
        return idempotent(request, lambda: self._import(request))

    def _import(self, request: Request) -> Response:
        given = s.ImportInSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        records = enumerate(given.validated_data["rows"], start=1)
        batch = run_import(user=request.user, records=records, source="api", channel=CHANNEL)
        return Response(_report(batch), status=status.HTTP_201_CREATED)


class ImportDetail(ClientView):
    required_scopes = {"GET": IMPORTS_WRITE}

    @extend_schema(responses=s.ImportReportSerializer, operation_id="imports_read")
    def get(self, request: Request, import_id: int) -> Response:
        """The report of an import of the client's mutuality."""
        batch = import_report(user=request.user, import_id=import_id)
        return Response(_report(batch))


@csrf_exempt
def not_found(request, unmatched: str = ""):
    """Any other path under /api/v1/: a problem, not the screens' HTML page."""
    from django.http import JsonResponse

    from tnw.api.errors import problem

    body = problem(404, "not_found", str(TITLES["not_found"]))
    return JsonResponse(body, status=404, content_type="application/problem+json")


def calendar_feed(request, token: str):
    """A user's private iCalendar feed (tnw.api.calendar): not part of the client API (no
    client token; the URL's token is the key), so not in the OpenAPI schema. `?lang=` nl, fr,
    de or en names the obligations (default: the site's language)."""
    from django.conf import settings

    from tnw.api.calendar import feed_ics

    language = request.GET.get("lang") or settings.LANGUAGE_CODE.split("-")[0]
    if request.method not in ("GET", "HEAD") or language not in dict(settings.LANGUAGES):
        return not_found(request)
    base_url = request.build_absolute_uri("/").rstrip("/")
    body = feed_ics(token=token, today=timezone.localdate(), base_url=base_url, language=language)
    if body is None:
        return not_found(request)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response
