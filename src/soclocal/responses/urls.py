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
    path("meetings/", views.meetings, name="meetings"),
    path("meetings/new/", views.meeting_new, name="meeting_new"),
    path("meetings/<int:pk>/", views.meeting, name="meeting"),
    path("meetings/<int:pk>/agenda/", views.meeting_agenda, name="meeting_agenda"),
    path("meetings/<int:pk>/items/new/", views.meeting_item_new, name="meeting_item_new"),
    path("meetings/<int:pk>/items/<int:item>/", views.meeting_item, name="meeting_item"),
    path("meetings/<int:pk>/attendance/", views.meeting_attendance, name="meeting_attendance"),
    path("meetings/<int:pk>/decision/", views.meeting_decision, name="meeting_decision"),
    path("meetings/<int:pk>/action/", views.meeting_action, name="meeting_action"),
    path("meetings/<int:pk>/minutes.pdf", views.meeting_minutes_pdf, name="meeting_minutes_pdf"),
    path("meetings/<int:pk>/invitation.ics", views.meeting_ics, name="meeting_ics"),
]
