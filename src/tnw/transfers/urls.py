"""The change of mutuality's screens (namespace `transfers`)."""

from django.urls import path

from tnw.transfers import views

app_name = "transfers"

urlpatterns = [
    path("", views.transfer_list, name="list"),
    path("people/<int:person_id>/", views.move_person, name="move"),
]
