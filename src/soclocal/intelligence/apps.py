from django.apps import AppConfig


class IntelligenceConfig(AppConfig):
    name = "soclocal.intelligence"
    label = "intelligence"

    def ready(self):
        from . import work  # noqa: F401  (registers the work queue providers)
