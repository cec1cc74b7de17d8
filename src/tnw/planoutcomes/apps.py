from django.apps import AppConfig


class PlanOutcomesConfig(AppConfig):
    """Where a re-integration plan leads (circular IV 4.2): the Hoge Commissie's approval of a
    vocational retraining and the advising physician's approval of a work-resumption proposal.
    The facts and their effects are the engine's (`tnw.rules.law.circular_iv_4_2_plan_outcomes`)
    and are registered through the dossier's services and screens; this app holds their names
    in NL, FR, DE and EN (`labels`, merged into `tnw.web.labels`)."""

    name = "tnw.planoutcomes"
    label = "planoutcomes"
