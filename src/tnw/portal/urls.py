"""The portal's URLs (namespace `portal`), under /portal/."""

from django.urls import path

from tnw.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.PortalLoginView.as_view(), name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("activate/", views.activate, name="activate"),
    path("episodes/<int:episode_id>/questionnaire/", views.questionnaire, name="questionnaire"),
    path("episodes/<int:episode_id>/ask/", views.ask_trajectory, name="ask"),
    path("episodes/<int:episode_id>/consent/", views.consent, name="consent"),
    path("preferences/", views.preferences, name="preferences"),
]
