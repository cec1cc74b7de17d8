from django.apps import AppConfig


class CoordinatorsConfig(AppConfig):
    """The coordinator register (circular II 2.1): diploma, exam, intervision, and the status
    computed by the dated rule in `tnw.rules.law.circular_ii_1_coordinator`; a lapsed
    coordinator gets no new dossiers unless an administrator allowed it."""

    name = "tnw.coordinators"
    label = "coordinators"

    def ready(self) -> None:
        from tnw.coordinators.assignment import refuse_lapsed
        from tnw.dossier.services import add_coordinator_check

        add_coordinator_check(refuse_lapsed)
