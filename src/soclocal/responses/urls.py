from django.urls import path

from . import views

app_name = "responses"
urlpatterns = [
    path("", views.plan_list, name="plans"),
    path("ours/", views.our_actions, name="ours"),
    path("progress/", views.progress, name="progress"),
    path("new/<int:threat>/", views.plan_new, name="plan_new"),
    path("<int:pk>/", views.plan, name="plan"),
    path("<int:pk>/actions/new/", views.action_new, name="action_new"),
    path("actions/<int:pk>/", views.action, name="action"),
]
