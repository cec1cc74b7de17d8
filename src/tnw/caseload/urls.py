"""The caseload screens' URLs (namespace `caseload`)."""

from django.urls import path

from tnw.caseload import views

app_name = "caseload"

urlpatterns = [
    path("worklist/", views.worklist, name="worklist"),
    path("worklist/export.csv", views.worklist_export, name="worklist_export"),
    path("worklist/reassign/", views.worklist_reassign, name="worklist_reassign"),
]
