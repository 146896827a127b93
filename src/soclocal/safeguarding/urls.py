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
    path("gaps/", views.gaps, name="gaps"),
    path("places/", views.places, name="places"),
    path("places/new/", views.place_new, name="place_new"),
    path("places/<int:pk>/", views.place, name="place"),
    path("places/<int:pk>/sightings/", views.place_sighting, name="place_sighting"),
    path("places/<int:pk>/links/", views.place_link, name="place_link"),
    path("adults/", views.adults, name="adults"),
    path("adults/new/", views.adult_new, name="adult_new"),
    path("adults/<int:pk>/agencies/", views.adult_involvement, name="adult_involvement"),
    path("across-cases/", views.across_cases, name="across_cases"),
    path("nrm/report.csv", views.nrm_report_csv, name="nrm_report_csv"),
    path("nrm/", views.nrm_list, name="nrm_list"),
    path("nrm/new/", views.nrm_new, name="nrm_new"),
    path("nrm/report/", views.nrm_report, name="nrm_report"),
    path("nrm/<int:pk>/", views.nrm_detail, name="nrm"),
    path("nrm/<int:pk>/decisions/", views.nrm_decide, name="nrm_decide"),
]
