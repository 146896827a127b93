from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "soclocal.evaluation"
    label = "evaluation"
    verbose_name = "Outcome evaluation"
