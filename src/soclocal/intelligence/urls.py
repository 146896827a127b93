from django.urls import path

from . import analysis_views, network_views, requirement_views, views

app_name = "intelligence"
urlpatterns = [
    path("", views.home, name="home"),
    path("submit/", views.submit, name="submit"),
    path("submissions/<int:pk>/", views.submission, name="submission"),
    path("reports/new/", views.report_new, name="report_new"),
    path("reports/<int:pk>/", views.report, name="report"),
    path("reports/<int:pk>/edit/", views.report_edit, name="report_edit"),
    path("reports/<int:pk>/sanitise/", views.sanitise, name="sanitise"),
    path("reports/<int:pk>/sanitised/<int:version>/approve/", views.sanitised_approve,
         name="sanitised_approve"),
    path("reports/<int:pk>/sanitised/<int:version>/release/", views.release, name="release"),
    path("reports/<int:pk>/releases/<int:release>/withdraw/", views.release_withdraw,
         name="release_withdraw"),
    path("reports/<int:pk>/entities/", views.report_entities, name="report_entities"),
    path("shared/<int:pk>/", views.received, name="received"),
    path("sources/", views.sources, name="sources"),
    path("sources/new/", views.source_new, name="source_new"),
    path("sources/<int:pk>/", views.source, name="source"),
    path("entities/", views.entities, name="entities"),
    path("entities/<int:pk>/", views.entity, name="entity"),
    path("network/", network_views.network, name="network"),
    path("network/export/<str:fmt>/", network_views.network_export, name="network_export"),
    path("network/groups/", network_views.record_group, name="network_group"),
    path("requirements/", requirement_views.requirements, name="requirements"),
    path("requirements/new/", requirement_views.requirement_new, name="requirement_new"),
    path("requirements/<int:pk>/", requirement_views.requirement, name="requirement"),
    path("requirements/<int:pk>/answer/", requirement_views.requirement_answer,
         name="requirement_answer"),
    path("requirements/<int:pk>/close/", requirement_views.requirement_close,
         name="requirement_close"),
    path("analysis/", analysis_views.analysis, name="analysis"),
    path("analysis/counts.csv", analysis_views.analysis_csv, name="analysis_csv"),
    path("analysis/wards.geojson", analysis_views.analysis_geojson, name="analysis_geojson"),
]
