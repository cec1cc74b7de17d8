from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "tnw.ops"
    label = "ops"
    verbose_name = "Operations: the production server and the parallel daily run"
