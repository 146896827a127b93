from django.urls import path

from . import views

app_name = "engagement"
urlpatterns = [
    path("", views.home, name="home"),
    path("stories/", views.stories, name="stories"),
    path("stories/new/", views.story_new, name="story_new"),
    path("stories/export.csv", views.stories_export, name="stories_export"),
    path("stories/<int:pk>/", views.story_detail, name="story"),
    path("stories/<int:pk>/publish/", views.story_publish, name="story_publish"),
    path("stories/<int:pk>/withdraw/", views.story_withdraw, name="story_withdraw"),
    path("stories/<int:pk>/audio/", views.story_audio, name="story_audio"),
    path("events/", views.events, name="events"),
    path("events/new/", views.event_new, name="event_new"),
    path("events/<int:pk>/", views.event_detail, name="event"),
    path("events/<int:pk>/seating/", views.event_seating, name="event_seating"),
    path("events/<int:pk>/insights/<int:insight>/code/", views.insight_code, name="insight_code"),
    path("events/<int:pk>/themes/", views.theme_output, name="theme_output"),
    path("report/", views.report, name="report"),
    path("report/quotes/", views.report_quotes, name="report_quotes"),
    path("report/by-kind-of-area.csv", views.report_csv, name="report_csv"),
    path("groups/", views.groups, name="groups"),
    path("groups/<int:pk>/", views.group_detail, name="group"),
    path("groups/<int:pk>/requests/", views.join_requests, name="join_requests"),
    path("groups/<int:pk>/requests/<int:request_pk>/answer/", views.join_request_answer,
         name="join_request_answer"),
    path("frames/new/", views.frame_new, name="frame_new"),
]
