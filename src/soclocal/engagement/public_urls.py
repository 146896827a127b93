"""Public pages for community members: no sign-in, and never personal data."""

from django.urls import path

from soclocal.budgeting import public_views as pb
from soclocal.core.ratelimit import limited

from . import public_views

app_name = "community"
urlpatterns = [
    path("", public_views.home, name="home"),
    path("stories/", public_views.stories, name="stories"),
    path("stories/<int:pk>/", public_views.story, name="story"),
    path("tell-us/", limited("tell-us")(public_views.tell_us), name="tell_us"),
    path("tell-us/sent/", public_views.tell_us_sent, name="tell_us_sent"),
    path("groups/<int:pk>/join/", limited("join")(public_views.group_join), name="group_join"),
    path("groups/<int:pk>/join/sent/", public_views.group_join_sent, name="group_join_sent"),
    path("budgets/<slug:slug>/", pb.process, name="process"),
    path("budgets/<slug:slug>/bid/", limited("bid")(pb.bid_start), name="bid_start"),
    path("budgets/<slug:slug>/bid/check/", limited("bid")(pb.bid_verify), name="bid_verify"),
    path("budgets/<slug:slug>/bid/new/", limited("bid")(pb.bid_new), name="bid_new"),
    path("budgets/<slug:slug>/vote/", limited("vote")(pb.vote), name="vote"),
    path("budgets/<slug:slug>/vote/done/", pb.vote_done, name="vote_done"),
    path("budgets/<slug:slug>/results/", pb.results, name="results"),
    path("budgets/<slug:slug>/photos/<int:pk>/", pb.update_photo, name="update_photo"),
]
