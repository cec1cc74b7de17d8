from django.urls import path

from tnw.security import views

app_name = "security"
urlpatterns = [
    path("second-factor/", views.otp_verify, name="otp_verify"),
    path("second-factor/set-up/", views.otp_setup, name="otp_setup"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
]
