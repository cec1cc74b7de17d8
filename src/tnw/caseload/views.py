"""The worklist screen: every item reachable (paging with the true count), sorted and
filtered on the server, saved views, a link from each row to its task's form, bulk reassign
and a CSV export of the view. Reads through tnw.worklists (which audits them), writes
through tnw.dossier.services (via tnw.worklists.bulk)."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tnw.accounts.models import User
from tnw.accounts.roles import Cap, Role, has
from tnw.caseload.agenda import row_of, web_now
from tnw.caseload.forms import KINDS, SORT_LABELS, ReassignForm, WorklistFilterForm
from tnw.caseload.tasks import task_url
from tnw.dossier import selectors as dossier
from tnw.web import labels, present
from tnw.web.templatetags.tnw_web import bedate
from tnw.web.views import CHANNEL, web_today
from tnw.worklists import bulk, pages

WORKLIST_ROLES = (Role.COORDINATOR, Role.ADVISING_PHYSICIAN, Role.STAFF)


def _require_worklist(user) -> None:
    if user.role not in WORKLIST_ROLES:
        raise PermissionDenied("this role has no worklist")


def _filter_form(request) -> WorklistFilterForm:
    return WorklistFilterForm(request.GET, views=pages.views_for(request.user), kinds=KINDS)


def _query(request, **changes) -> str:
    """The current query string with `changes` (None removes a key)."""
    query: QueryDict = request.GET.copy()
    for key, value in changes.items():
        query.pop(key, None)
        if value is not None:
            query[key] = value
    return query.urlencode()


def _rows(user, items):
    texts = dossier.explanation_parts(user=user, obligation_ids=[i.obligation_id for i in items])
    return [
        {
            "item": item,
            "why": present.explain(texts.get(item.obligation_id), item.explanation),
            "task_url": task_url(item.code, item.episode_id, item.dossier_url),
        }
        for item in items
    ] if items else []  # fmt: skip


def _sort_links(request, options) -> dict[str, dict]:
    links = {}
    for key in SORT_LABELS:
        chosen = options["sort"] == key
        direction = "desc" if chosen and not options["descending"] else "asc"
        links[key] = {
            "url": "?" + _query(request, sort=key, dir=direction, page=None),
            "chosen": chosen,
            "aria": ("descending" if options["descending"] else "ascending") if chosen else "none",
        }
    return links


@login_required
def worklist(request):
    user = request.user
    _require_worklist(user)
    today = web_today()
    form = _filter_form(request)
    options = form.options()
    page_number = form.cleaned_data.get("page") if form.is_valid() else None
    page = pages.worklist_page(user, today=today, page=page_number or 1, channel=CHANNEL, **options)
    can_reassign = has(user, Cap.ASSIGN) and user.role != Role.STAFF
    context = {
        "form": form,
        "today": today,
        "page": page,
        "rows": _rows(user, page.items),
        "views": [
            (key, label, "?" + _query(request, view=key, page=None))
            for key, label in form.fields["view"].choices
        ],
        "view": options["view"],
        "sorts": _sort_links(request, options),
        "first_url": "?" + _query(request, page="1"),
        "prev_url": "?" + _query(request, page=str(page.page - 1)),
        "next_url": "?" + _query(request, page=str(page.page + 1)),
        "last_url": "?" + _query(request, page=str(page.pages)),
        "export_url": reverse("caseload:worklist_export") + "?" + _query(request, page=None),
        "colleagues": bulk.colleagues(user) if can_reassign else [],
        "can_reassign": can_reassign,
        "here": request.get_full_path(),
        **_missing_outcomes(user),
    }
    return render(request, "caseload/worklist.html", context)


def _missing_outcomes(user) -> dict:
    """The user's appointments passed without an outcome: tasks on top of the worklist."""
    if user.role not in (Role.COORDINATOR, Role.ADVISING_PHYSICIAN):
        return {"missing": [], "missing_total": 0}
    rows, total = dossier.appointments_without_outcome(
        user=user, now=web_now(), limit=20, channel=CHANNEL
    )
    return {"missing": [row_of(e) for e in rows], "missing_total": total}


@login_required
def worklist_export(request):
    """The whole view (every page) as CSV, in the user's language; audited."""
    user = request.user
    _require_worklist(user)
    today = web_today()
    options = _filter_form(request).options()
    items = pages.worklist_rows(user, today=today, channel=f"{CHANNEL}:export", **options)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="worklist-{today.isoformat()}.csv"'
    response.write("\ufeff")  # so spreadsheet programs read the accents right
    writer = csv.writer(response, delimiter=";")
    writer.writerow([
        _("Dossier number"), _("Person"), _("Task"), _("Status"), _("Opens"), _("Due"),
        _("Days left"), _("Legal basis"), _("Link"),
    ])  # fmt: skip
    for item in items:
        writer.writerow([
            item.person_id, item.person_name, labels.obligation_label(item.code),
            labels.STATUS_LABELS[item.status], bedate(item.opens),
            bedate(item.due) if item.due else "",
            "" if item.days_left is None else item.days_left, " | ".join(item.basis),
            request.build_absolute_uri(item.dossier_url),
        ])  # fmt: skip
    return response


def _back(request) -> str:
    target = request.POST.get("next") or ""
    # a path of this site only: "abc" would be taken for a view name by redirect() (a 500)
    if not target.startswith("/") or not url_has_allowed_host_and_scheme(
        target, {request.get_host()}
    ):
        target = reverse("caseload:worklist")
    return target


@require_POST
@login_required
def worklist_reassign(request):
    """Bulk reassign: the episodes of the chosen items to a colleague of the same role."""
    user = request.user
    _require_worklist(user)
    if not has(user, Cap.ASSIGN) or user.role == Role.STAFF:
        raise PermissionDenied("this role assigns no worklist items")
    colleagues = bulk.colleagues(user)
    form = ReassignForm(request.POST, colleagues=colleagues)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(_back(request))
    to = User.objects.get(pk=form.cleaned_data["to"])
    try:
        moved = bulk.reassign_items(
            user=user, obligation_ids=form.cleaned_data["items"], to=to, today=web_today(),
            channel=CHANNEL,
        )  # fmt: skip
    except ValidationError as error:
        if getattr(error, "code", None) == "coordinator_lapsed":
            messages.error(request, error.messages[0])  # II 2.1, in the user's language
        else:
            messages.error(request, _("Choose a colleague with the same role."))
    else:
        name = to.get_full_name() or to.username
        messages.success(
            request,
            _("%(count)d dossier(s) reassigned to %(name)s.") % {"count": moved, "name": name},
        )
    return redirect(_back(request))
