from django.apps import AppConfig


class PartnershipConfig(AppConfig):
    name = "soclocal.partnership"
    label = "partnership"
    verbose_name = "Partnership: agreements and services"

    def ready(self):
        from . import work  # noqa: F401  (registers the work-queue provider)
