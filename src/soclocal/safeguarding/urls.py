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
urlpatterns += [
    path("mace/", views.mace_home, name="mace"),
    path("mace/settings/", views.mace_settings, name="mace_settings"),
    path("mace/refer/<int:case_pk>/", views.mace_refer, name="mace_refer"),
    path("mace/panels/new/", views.panel_new, name="panel_new"),
    path("mace/panels/<int:pk>/", views.panel, name="panel"),
    path("mace/hearings/<int:pk>/", views.hearing, name="hearing"),
    path("mace/hearings/<int:pk>/record/", views.hearing_record, name="hearing_record"),
    path("mace/hearings/<int:pk>/actions/new/", views.mace_action_new, name="mace_action_new"),
    path("mace/actions/<int:pk>/raise/", views.mace_action_raise, name="mace_action_raise"),
    path("maps/", views.map_list, name="maps"),
    path("maps/new/", views.map_new, name="map_new"),
    path("maps/<int:pk>/", views.map_detail, name="map"),
    path("maps/<int:pk>/nodes/new/", views.map_node_new, name="map_node_new"),
    path("maps/<int:pk>/links/new/", views.map_link_new, name="map_link_new"),
]
