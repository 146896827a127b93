from django.apps import AppConfig


class EngagementConfig(AppConfig):
    name = "soclocal.engagement"
    label = "engagement"

    def ready(self):
        from . import work  # noqa: F401  (registers its home page work queue providers)
