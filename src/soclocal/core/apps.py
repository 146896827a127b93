from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "soclocal.core"
    label = "core"
    verbose_name = "Shared kernel"

    def ready(self):
        from . import lengths, signals, work_jobs  # noqa: F401
