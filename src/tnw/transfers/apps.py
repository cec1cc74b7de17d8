from django.apps import AppConfig


class TransfersConfig(AppConfig):
    """A person who changes mutuality (issue 16): the dossier moves with them
    (`tnw.dossier.services.move_to_mutuality`), the move is recorded for both mutualities and
    the new mutuality's managers are told."""

    name = "tnw.transfers"
    label = "transfers"
