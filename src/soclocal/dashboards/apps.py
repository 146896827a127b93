from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "soclocal.dashboards"
    label = "dashboards"
    verbose_name = "The board's dashboard"
