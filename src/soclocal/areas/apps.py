from django.apps import AppConfig


class AreasConfig(AppConfig):
    name = "soclocal.areas"
    label = "areas"
    verbose_name = "Geography and deprivation"
