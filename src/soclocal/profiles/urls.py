from django.urls import path

from . import views

app_name = "profiles"
urlpatterns = [
    path("", views.profile_list, name="list"),
    path("new/", views.build, name="build"),
    path("harm-weights/", views.harm_weights, name="harm_weights"),
    path("soc-fractions/", views.soc_fractions, name="soc_fractions"),
    path("<int:pk>/", views.profile, name="profile"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/map.geojson", views.geojson, name="geojson"),
    path("<int:pk>/download/<str:fmt>/", views.download, name="download"),
]
