from django.apps import AppConfig


class BudgetingConfig(AppConfig):
    name = "soclocal.budgeting"
    label = "budgeting"
