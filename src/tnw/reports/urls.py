"""The reports' URLs (namespace `reports`)."""

from django.urls import path

from tnw.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("dossiers/<int:person_id>/", views.follow_up, name="follow_up"),
    path("<slug:name>/", views.report, name="report"),
    path("<slug:name>/export.<str:fmt>", views.export, name="export"),
    path("<slug:name>/charts/<slug:table>.svg", views.chart, name="chart"),
]
