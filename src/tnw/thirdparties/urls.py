"""The third parties' screen (namespace `thirdparties`)."""

from django.urls import path

from tnw.thirdparties import views

app_name = "thirdparties"

urlpatterns = [path("episodes/<int:episode_id>/", views.episode_third_parties, name="episode")]
