from django.apps import AppConfig


class BudgetingConfig(AppConfig):
    name = "soclocal.budgeting"
    label = "budgeting"

    def ready(self):
        from . import work  # noqa: F401  (registers its home page work queue providers)
