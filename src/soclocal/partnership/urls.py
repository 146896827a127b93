from django.urls import path

from . import views

app_name = "partnership"
urlpatterns = [
    path("agreements/", views.agreements, name="agreements"),
    path("agreements/new/", views.agreement_new, name="agreement_new"),
    path("agreements/<int:pk>/", views.agreement, name="agreement"),
    path("agreements/<int:pk>/edit/", views.agreement_edit, name="agreement_edit"),
    path("agreements/<int:pk>/document/", views.agreement_document, name="agreement_document"),
    path("services/", views.directory, name="directory"),
    path("services/new/", views.service_new, name="service_new"),
    path("services/<int:pk>/", views.service, name="service"),
    path("services/<int:pk>/edit/", views.service_edit, name="service_edit"),
    path("network/", views.network, name="network"),
]
