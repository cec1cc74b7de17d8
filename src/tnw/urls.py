"""URLs: the Django admin (reference data, users, read-only audit). Screens come later."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("tnw.web.urls")),  # the screens (tnw.web); "" is their home page
    path("admin/", admin.site.urls),
    path("security/", include("tnw.security.urls")),  # second factor, password (tnw.security)
    path("reports/", include("tnw.reports.urls")),  # reports and the barometer (tnw.reports)
    path("what-if/", include("tnw.sanctions.urls")),  # replay under other rules (tnw.sanctions)
    path("portal/", include("tnw.portal.urls")),  # the insured person's portal (tnw.portal)
    path("contact/", include("tnw.directory.urls")),  # the public TNW contact directory
    path("coordinators/", include("tnw.coordinators.urls")),  # the coordinator register
    path("evaluation/", include("tnw.evaluation.urls")),  # the MDT's evaluation contacts
    path("third-parties/", include("tnw.thirdparties.urls")),  # consents and consultations
    path("transfers/", include("tnw.transfers.urls")),  # change of mutuality
    path("", include("tnw.caseload.urls")),  # the full worklist, agenda, corrections
    path("api/v1/", include("tnw.api.urls")),  # the integration API (tnw.api)
    path("documents/", include("tnw.documents.urls")),  # letters and model forms
]
