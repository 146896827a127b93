from django.urls import path, re_path

from soclocal.core.ratelimit import limited

from . import views

app_name = "accounts"
urlpatterns = [
    path("sign-in/", limited("sign-in")(views.LoginView.as_view()), name="login"),
    path("sign-out/", views.LogoutView.as_view(), name="logout"),
    path("account/", views.account, name="account"),
    path("account/password/", views.password_change, name="password_change"),
    path("account/set-password/<str:uidb64>/<str:token>/", views.set_password, name="set_password"),
    path("account/two-factor/", views.two_factor_setup, name="two_factor_setup"),
    path("account/two-factor/verify/", views.two_factor_verify, name="two_factor_verify"),
    path("account/tokens/", views.tokens, name="tokens"),
    path("account/tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("partnership/", views.agencies, name="agencies"),
    path("partnership/agencies/new/", views.agency_new, name="agency_new"),
    path("partnership/agencies/<int:pk>/", views.agency_detail, name="agency"),
    path("partnership/agencies/<int:pk>/edit/", views.agency_edit, name="agency_edit"),
    path("partnership/agencies/<int:pk>/teams/", views.team_new, name="team_new"),
    path("people/", views.people, name="people"),
    path("people/new/", views.person_new, name="person_new"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    re_path(r"^people/(?P<pk>\d+)/(?P<action>deactivate|reactivate|unlock|link)/$",
            views.person_action, name="person_action"),
]
