from django.apps import AppConfig


class SafeguardingConfig(AppConfig):
    name = "soclocal.safeguarding"
    label = "safeguarding"

    def ready(self):
        from soclocal.core import origins

        from . import selectors, work  # noqa: F401  (work registers the work-queue provider)
        from .models import MaceAction

        origins.register_visibility(MaceAction, selectors.visible_actions)
