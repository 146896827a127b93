from django.urls import path, register_converter

from . import views
from .models import AreaType


class AreaTypeConverter:
    regex = "|".join(AreaType.values)

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(AreaTypeConverter, "areatype")

app_name = "areas"
urlpatterns = [
    path("", views.explorer, name="explorer"),
    path("neighbourhoods/", views.neighbourhood_list, name="neighbourhoods"),
    path("neighbourhoods/new/", views.neighbourhood_create, name="neighbourhood_create"),
    path("neighbourhoods/<str:code>/edit/", views.neighbourhood_edit, name="neighbourhood_edit"),
    path("<areatype:type>/<str:code>/", views.area_detail, name="area"),
    path("<areatype:type>/<str:code>/geojson/", views.area_geojson, name="area_geojson"),
]
