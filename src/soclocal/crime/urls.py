from django.urls import path

from . import views

app_name = "crime"
urlpatterns = [
    path("", views.imports, name="imports"),
    path("upload/", views.upload, name="upload"),
    path("imports/<int:pk>/", views.import_detail, name="import"),
    path("imports/<int:pk>/rejects.csv", views.rejects, name="rejects"),
]
