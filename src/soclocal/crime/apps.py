from django.apps import AppConfig


class CrimeConfig(AppConfig):
    name = "soclocal.crime"
    label = "crime"
