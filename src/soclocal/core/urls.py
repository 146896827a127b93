from django.urls import path

from . import language, views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("audit/", views.audit_log, name="audit"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
    path("data-protection/", views.processing, name="processing"),
    path("data-protection/record-of-processing.pdf", views.processing_pdf,
         name="processing_pdf"),
    path("data-protection/retention/", views.retention_rules, name="retention"),
    path("data-protection/subject-access/", views.subject_access, name="subject_access"),
    path("language/<str:code>/", language.choose, name="language"),
    path("healthz", views.healthz, name="healthz"),
    path("jobs/<uuid:pk>/", views.job_detail, name="job"),
    path("jobs/<uuid:pk>/start-again/", views.job_retry, name="job_retry"),
    path("jobs/<uuid:pk>/status.json", views.job_status, name="job_status"),
]
