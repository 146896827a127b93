from django.apps import AppConfig


class SafeguardingConfig(AppConfig):
    name = "soclocal.safeguarding"
    label = "safeguarding"

    def ready(self):
        from . import work  # noqa: F401  (registers the work-queue provider)
