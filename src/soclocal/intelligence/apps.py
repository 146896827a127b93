from django.apps import AppConfig


class IntelligenceConfig(AppConfig):
    name = "soclocal.intelligence"
    label = "intelligence"

    def ready(self):
        from soclocal.core import origins

        from . import selectors, work  # noqa: F401  (registers the work queue providers)
        from .models import Entity, Requirement

        # A record linked from another context (a threat raised from a suspected group, a
        # requirement raised from a threat) shows its label only to those who may open it.
        origins.register_visibility(Entity, lambda user, ids: {
            str(pk) for pk in selectors.entities_for(user).filter(pk__in=ids)
            .values_list("pk", flat=True)})
        origins.register_visibility(Requirement, selectors.visible_requirement_ids)
