"""The what-if pages (namespace `sanctions`)."""

from django.urls import path

from tnw.sanctions import views

app_name = "sanctions"

urlpatterns = [
    path("episodes/<int:episode_id>/compare/", views.compare, name="compare"),
]
