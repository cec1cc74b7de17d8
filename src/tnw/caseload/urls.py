"""The caseload screens' URLs (namespace `caseload`)."""

from django.urls import path

from tnw.caseload import agenda, edits, views

app_name = "caseload"

urlpatterns = [
    path("worklist/", views.worklist, name="worklist"),
    path("worklist/export.csv", views.worklist_export, name="worklist_export"),
    path("worklist/reassign/", views.worklist_reassign, name="worklist_reassign"),
    path("registrations/<int:registration_id>/correct/", edits.correct, name="correct"),
    path("registrations/<int:registration_id>/annul/", edits.annul, name="annul"),
    path("people/<int:person_id>/edit/", edits.person_edit, name="person_edit"),
    path("episodes/<int:episode_id>/close/", edits.episode_close, name="episode_close"),
    path("episodes/<int:episode_id>/edit/", edits.episode_edit, name="episode_edit"),
    path("episodes/<int:episode_id>/assign/", edits.episode_assign, name="episode_assign"),
    path(
        "episodes/<int:episode_id>/consent/withdraw/",
        edits.consent_withdraw,
        name="consent_withdraw",
    ),
    path("agenda/", agenda.agenda, name="agenda"),
    path("agenda/agenda.ics", agenda.agenda_ics, name="agenda_ics"),
    path(
        "agenda/appointments/<int:appointment_id>/outcome/",
        agenda.appointment_outcome,
        name="appointment_outcome",
    ),
    path(
        "episodes/<int:episode_id>/appointments/new/",
        agenda.appointment_new,
        name="appointment_new",
    ),
]
