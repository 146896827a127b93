"""Properties of the services behind the partnership administrator's forms (agencies, teams,
accounts), for anything the forms can send: each call does all it says or refuses with a
message keyed to a field of the form, writing nothing and auditing nothing."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from soclocal.accounts import forms, services
from soclocal.accounts.models import Agency, Team, User
from soclocal.core.access import Role
from tests.properties import PAGE, PROPERTY, post_is_handled, posts, typed, written

pytestmark = pytest.mark.django_db


def keyed_to(refusal, form):
    keys = set(refusal.message_dict) if hasattr(refusal, "error_dict") else {None}
    assert keys <= set(form.fields) | {"__all__", None}, keys
    assert refusal.messages and all(m.strip() for m in refusal.messages)


@pytest.fixture
def admin(make_user):
    return make_user(Role.PARTNERSHIP_ADMIN)


@PROPERTY
@given(name=st.one_of(typed(200), st.sampled_from(["Test Police", "test police "])),
       kind=st.sampled_from(Agency.Kind.values + ["", "circus"]))
def test_an_agency_is_added_as_given_or_refused(admin, name, kind):
    before = written(Agency)
    try:
        agency = services.create_agency(admin, name=name, kind=kind)
    except ValidationError as refusal:
        keyed_to(refusal, forms.AgencyForm())
        assert written(Agency) == before
        return
    assert name.strip() and kind in Agency.Kind.values
    assert Agency.objects.get(pk=agency.pk).name == name.strip()
    assert Agency.objects.filter(name__iexact=name.strip()).count() == 1


@PROPERTY
@given(name=st.one_of(typed(200), st.sampled_from(["Intelligence", " intelligence"])))
def test_a_team_is_added_as_given_or_refused(admin, org, name):
    before = written(Team)
    try:
        team = services.create_team(admin, agency=org["police"], name=name)
    except ValidationError as refusal:
        keyed_to(refusal, forms.TeamForm())
        assert written(Team) == before
        return
    assert name.strip() and Team.objects.get(pk=team.pk).name == name.strip()


@PROPERTY
@given(username=st.one_of(typed(150), st.sampled_from(["ada.l", "ADA.L", "a", "ada l",
                                                       "ada@home"])),
       first=typed(150), last=typed(150),
       roles=st.lists(st.sampled_from(Role.ALL[:3] + ["", "overlord"]), max_size=3),
       team=st.sampled_from(["youth_team", "police_team", None]))
def test_an_account_is_made_as_given_or_refused(admin, org, username, first, last, roles,
                                                team):
    before = written(User)
    try:
        user, _secret = services.create_account(
            admin, username=username, first_name=first, last_name=last, email="",
            agency=org["youth"], team=org.get(team), roles=roles)
    except ValidationError as refusal:
        keyed_to(refusal, forms.NewAccountForm())
        assert written(User) == before
        return
    assert roles and set(roles) <= set(Role.ALL) and team != "police_team"
    saved = User.objects.get(pk=user.pk)
    assert saved.username == username.strip().lower() and saved.first_name == first.strip()
    assert saved.first_name and saved.last_name and " " not in saved.username


@PAGE
@given(data=st.data())
def test_posting_anything_as_a_new_account_makes_it_or_shows_it_again(admin, client, data):
    client.force_login(admin)
    post_is_handled(client, reverse("accounts:person_new"),
                    data.draw(posts(forms.NewAccountForm())), models=(User,))


def test_an_agency_team_or_account_with_a_blank_name_is_refused_beside_it(admin, org):
    with pytest.raises(ValidationError) as refusal:
        services.create_agency(admin, name="  ", kind="circus")
    assert set(refusal.value.message_dict) == {"name", "kind"}
    with pytest.raises(ValidationError) as refusal:
        services.create_team(admin, agency=org["police"], name="\t")
    assert list(refusal.value.message_dict) == ["name"]
    with pytest.raises(ValidationError) as refusal:
        services.create_account(admin, username="ada l", first_name=" ", last_name="",
                                email="", agency=org["youth"], team=None, roles=["analyst"])
    assert {"username", "first_name", "last_name"} <= set(refusal.value.message_dict)
