from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    """The multidisciplinary team's contacts in the incapacity-evaluation domain, and the
    limit circular VII puts on a coordinator who also works in that team."""

    name = "tnw.evaluation"
    label = "evaluation"
