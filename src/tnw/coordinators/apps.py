from django.apps import AppConfig


class CoordinatorsConfig(AppConfig):
    """The coordinator register (circular II 2.1): diploma, exam, intervision, and the status
    computed by the dated rule in `tnw.rules.law.circular_ii_1_coordinator`."""

    name = "tnw.coordinators"
    label = "coordinators"
