from django.urls import path

from tnw.security import key_views, views

app_name = "security"
urlpatterns = [
    path("second-factor/", views.otp_verify, name="otp_verify"),
    path("second-factor/set-up/", views.otp_setup, name="otp_setup"),
    path("second-factor/key/", key_views.key_verify, name="key_verify"),
    path("second-factor/set-up/key/", key_views.key_setup, name="key_setup"),
    path("keys/", key_views.keys, name="keys"),
    path("keys/<int:key_id>/rename/", key_views.key_rename, name="key_rename"),
    path("keys/<int:key_id>/remove/", key_views.key_remove, name="key_remove"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
]
