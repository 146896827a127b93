from django.urls import path

from . import views

app_name = "priorities"
urlpatterns = [
    path("", views.ranked_list, name="list"),
    path("priorities.csv", views.ranked_csv, name="csv"),
    path("priorities.pdf", views.ranked_pdf, name="pdf"),
    path("method/", views.method, name="method"),
    path("threats/new/", views.threat_new, name="threat_new"),
    path("threats/<int:pk>/", views.threat, name="threat"),
    path("threats/<int:pk>/assess/", views.assess, name="assess"),
    path("threats/<int:pk>/decide/", views.decide, name="decide"),
    path("threats/<int:pk>/link/", views.link, name="link"),
    path("threats/from-group/", views.threat_from_group, name="threat_from_group"),
]
