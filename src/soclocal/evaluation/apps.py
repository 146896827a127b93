from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "soclocal.evaluation"
    label = "evaluation"
    verbose_name = "Outcome evaluation"

    def ready(self):
        from soclocal.dashboards import headlines

        from .headline import latest

        headlines.register(latest)
