"""The coordinator register's screens (namespace `coordinators`)."""

from django.urls import path

from tnw.coordinators import views

app_name = "coordinators"

urlpatterns = [
    path("", views.team, name="team"),
    path("<int:coordinator_id>/", views.register, name="register"),
]
