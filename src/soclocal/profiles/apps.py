from django.apps import AppConfig


class ProfilesConfig(AppConfig):
    name = "soclocal.profiles"
    label = "profiles"
