from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "soclocal.accounts"
    label = "accounts"
    verbose_name = "Partnership and accounts"
