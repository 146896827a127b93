from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "soclocal.accounts"
    label = "accounts"
    verbose_name = "Partnership and accounts"

    def ready(self):
        from . import work  # noqa: F401  (registers its home page work queue providers)
