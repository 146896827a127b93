from django.urls import path

from . import views

app_name = "safeguarding"
urlpatterns = [
    path("", views.index, name="index"),
    path("index.geojson", views.index_geojson, name="index_geojson"),
    path("index.csv", views.index_csv, name="index_csv"),
    path("indicators/", views.indicators, name="indicators"),
    path("indicators/<int:pk>/", views.indicator_edit, name="indicator_edit"),
    path("upload/", views.upload, name="upload"),
    path("nrm/", views.nrm_list, name="nrm_list"),
    path("nrm/new/", views.nrm_new, name="nrm_new"),
    path("nrm/report/", views.nrm_report, name="nrm_report"),
    path("nrm/<int:pk>/", views.nrm_detail, name="nrm"),
    path("nrm/<int:pk>/decisions/", views.nrm_decide, name="nrm_decide"),
]
