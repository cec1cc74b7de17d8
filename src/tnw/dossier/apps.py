from django.apps import AppConfig


class DossierConfig(AppConfig):
    name = "tnw.dossier"
    label = "dossier"
    verbose_name = "TNW-dossier"
