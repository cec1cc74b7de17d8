from django.apps import AppConfig


class ThirdPartiesConfig(AppConfig):
    """Third parties of the trajectory (circular II 2.2.1, IV 4.2): the regional services and
    providers, the person's treating physician, counsellor and employer; the person's consent
    per party and purpose (Annex III); the consultations, only under that consent."""

    name = "tnw.thirdparties"
    label = "thirdparties"
    verbose_name = "Third parties"
