"""The public directory: every mutuality's TNW contact (seed 001 publishes this list for
insured people and employers). No log-in; reference data only, no personal data."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from tnw.mutualities.selectors import public_contacts


@require_GET
def contact_directory(request: HttpRequest) -> HttpResponse:
    return render(request, "directory/contacts.html", {"mutualities": public_contacts()})
