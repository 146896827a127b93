from django.apps import AppConfig


class EngagementConfig(AppConfig):
    name = "soclocal.engagement"
    label = "engagement"
