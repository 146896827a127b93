from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "soclocal.cases"
    label = "cases"

    def ready(self):
        from . import work  # noqa: F401  (registers its home page work queue providers)
