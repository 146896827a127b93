from django.urls import path

from . import views

app_name = "evaluation"
urlpatterns = [
    path("", views.index, name="index"),
    path("link/", views.link, name="link"),
    path("run/", views.run, name="run"),
    path("review/", views.review, name="review"),
    path("review/<int:pk>/", views.review_pair, name="review_pair"),
    path("<int:pk>/", views.report_page, name="report"),
    path("<int:pk>/people/", views.people, name="people"),
    path("<int:pk>/download/<str:fmt>/", views.download, name="download"),
]
