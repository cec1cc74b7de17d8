"""The incapacity-evaluation contacts' screens (namespace `evaluation`)."""

from django.urls import path

from tnw.evaluation import views

app_name = "evaluation"

urlpatterns = [
    path("", views.find, name="find"),
    path("episodes/<int:episode_id>/", views.episode_contacts, name="episode"),
]
