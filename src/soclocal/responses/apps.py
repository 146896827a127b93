from django.apps import AppConfig


class ResponsesConfig(AppConfig):
    name = "soclocal.responses"
    label = "responses"

    def ready(self):
        from . import work  # noqa: F401  (registers the work-queue provider)
