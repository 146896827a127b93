from django.apps import AppConfig


class ResponsesConfig(AppConfig):
    name = "soclocal.responses"
    label = "responses"

    def ready(self):
        from . import notices, work  # noqa: F401  (register the queue and notification checks)
