from django.apps import AppConfig


class MutualitiesConfig(AppConfig):
    name = "tnw.mutualities"
    label = "mutualities"
    verbose_name = "Mutualities (reference data)"
