"""/api/v1/: the integration API, its OpenAPI schema and its Swagger UI (static, no CDN)."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from tnw.api import views

app_name = "api"

urlpatterns = [
    path(
        "schema/",
        SpectacularAPIView.as_view(authentication_classes=[], permission_classes=[]),
        name="schema",
    ),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(  # no inline script: the CSP (tnw.security)
            url_name="api:schema", authentication_classes=[], permission_classes=[]
        ),
        name="docs",
    ),
    path("mutualities/", views.MutualityList.as_view(), name="mutualities"),
    path("people/", views.PersonList.as_view(), name="people"),
    path("people/<int:person_id>/", views.PersonDetail.as_view(), name="person"),
    path("episodes/", views.EpisodeList.as_view(), name="episodes"),
    path("episodes/<int:episode_id>/", views.EpisodeDetail.as_view(), name="episode"),
    path(
        "episodes/<int:episode_id>/registrations/",
        views.RegistrationList.as_view(),
        name="registrations",
    ),
    path("episodes/<int:episode_id>/timeline/", views.Timeline.as_view(), name="timeline"),
    path("episodes/<int:episode_id>/documents/", views.DocumentList.as_view(), name="documents"),
    path("documents/<int:document_id>/pdf", views.DocumentPdf.as_view(), name="document-pdf"),
    path("worklists/<str:username>/", views.Worklist.as_view(), name="worklist"),
    path("rules/timeline", views.RulesTimeline.as_view(), name="rules-timeline"),
    path("imports/", views.ImportList.as_view(), name="imports"),
    path("imports/<int:import_id>/", views.ImportDetail.as_view(), name="import"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar"),
    re_path(r"^(?P<unmatched>.*)$", views.not_found),  # a problem+json 404, not HTML
]
