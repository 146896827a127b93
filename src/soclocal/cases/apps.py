from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "soclocal.cases"
    label = "cases"
