from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "tnw.accounts"
    label = "accounts"
    verbose_name = "Users and roles"
