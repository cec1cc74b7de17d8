from django.apps import AppConfig


class WorklistsConfig(AppConfig):
    name = "tnw.worklists"
    label = "worklists"
    verbose_name = "Worklists and the daily run"
