"""The portal's URLs (namespace `portal`), under /portal/."""

from django.urls import path
from mozilla_django_oidc.views import OIDCAuthenticationRequestView

from tnw.portal import letters, oidc, second_factor, views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.PortalLoginView.as_view(), name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("activate/", views.activate, name="activate"),
    path("verify/", second_factor.verify, name="verify"),
    path("two-step/", views.two_step, name="two_step"),
    # OpenID Connect (the federal authentication service), when TNW_OIDC_* is configured.
    path("oidc/login/", OIDCAuthenticationRequestView.as_view(), name="oidc_login"),
    path("oidc/callback/", oidc.PortalCallbackView.as_view(), name="oidc_callback"),
    path("episodes/<int:episode_id>/questionnaire/", views.questionnaire, name="questionnaire"),
    path("episodes/<int:episode_id>/ask/", views.ask_trajectory, name="ask"),
    path("episodes/<int:episode_id>/consent/", views.consent, name="consent"),
    path("episodes/<int:episode_id>/plan/", views.plan, name="plan"),
    path("episodes/<int:episode_id>/plan/appointment.ics", views.appointment_ics, name="ics"),
    path("preferences/", views.preferences, name="preferences"),
    path("letters/", letters.letters, name="letters"),
    path("letters/<int:document_id>/pdf/", letters.letter_pdf, name="letter_pdf"),
    path("letters/<int:document_id>/sign/", letters.sign, name="sign"),
    path("letters/<int:document_id>/signed.pdf", letters.letter_signed, name="letter_signed"),
    path("my-data/", views.my_data, name="my_data"),
]
