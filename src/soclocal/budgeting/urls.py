from django.urls import path

from . import views

app_name = "budgeting"
urlpatterns = [
    path("", views.processes, name="processes"),
    path("new/", views.process_new, name="process_new"),
    path("import/", views.process_import, name="process_import"),
    path("<int:pk>/", views.process_detail, name="process"),
    path("<int:pk>/edit/", views.process_edit, name="process_edit"),
    path("<int:pk>/bids/<int:bid>/moderate/", views.bid_moderate, name="bid_moderate"),
    path("<int:pk>/events/", views.event_new, name="event_new"),
    path("<int:pk>/codes/", views.codes, name="codes"),
    path("<int:pk>/paper-ballot/", views.paper_ballot, name="paper_ballot"),
    path("<int:pk>/results/", views.results, name="results"),
    path("<int:pk>/results/compute/", views.result_compute, name="result_compute"),
    path("<int:pk>/results/publish/", views.result_publish, name="result_publish"),
    path("<int:pk>/results/override/", views.result_override, name="result_override"),
    path("<int:pk>/bids/<int:bid>/update/", views.project_update, name="project_update"),
    path("<int:pk>/export.pb", views.export, name="export"),
]
