from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("audit/", views.audit_log, name="audit"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
    path("healthz", views.healthz, name="healthz"),
    path("jobs/<uuid:pk>/", views.job_detail, name="job"),
    path("jobs/<uuid:pk>/start-again/", views.job_retry, name="job_retry"),
    path("jobs/<uuid:pk>/status.json", views.job_status, name="job_status"),
]
