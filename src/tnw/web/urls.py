"""The screens' URLs (namespace `web`)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from tnw.web import views

app_name = "web"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("language/", views.set_language, name="language"),
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("people/new/", views.person_new, name="person_new"),
    path("people/<int:person_id>/", views.dossier, name="dossier"),
    path("people/<int:person_id>/episodes/new/", views.episode_new, name="episode_new"),
    path("episodes/<int:episode_id>/register/", views.register_menu, name="register_menu"),
    path(
        "episodes/<int:episode_id>/register/<slug:event_type>/",
        views.register,
        name="register",
    ),
    path("episodes/<int:episode_id>/health/new/", views.health_new, name="health_new"),
    path("episodes/<int:episode_id>/break-glass/", views.break_glass, name="break_glass"),
    path("review/break-glass/", views.glass_review, name="glass_review"),
    path(
        "episodes/<int:episode_id>/proposals/<int:proposal_id>/",
        views.meeting_proposal,
        name="meeting_proposal",
    ),
]
