from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "tnw.web"
    label = "web"
    verbose_name = "Screens"
