from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "soclocal.cases"
    label = "cases"

    def ready(self):
        from soclocal.core import origins

        from . import work  # noqa: F401  (registers its home page work queue providers)
        from .models import Referral

        origins.register_visibility(Referral, _visible_referrals)


def _visible_referrals(user, ids):
    """Referrals on cases the person may open; others show only that a referral exists."""
    from soclocal.core.access import scope

    from .models import Case, Referral

    cases = scope(user, "cases.view", Case.objects.all()).values("pk")
    return {str(pk) for pk in Referral.objects.filter(pk__in=ids, case__in=cases)
            .values_list("pk", flat=True)}
