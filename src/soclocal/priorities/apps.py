from django.apps import AppConfig


class PrioritiesConfig(AppConfig):
    name = "soclocal.priorities"
    label = "priorities"

    def ready(self):
        from soclocal.core import origins

        from . import notices, selectors, work  # noqa: F401  (registers the work-queue provider)
        from .models import Threat

        origins.register_visibility(Threat, selectors.visible_threat_ids)
