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


# A new password and a deactivation: kept whole or refused beside the box -------------------

# Half as a careful person types it (long and uncommon), half anything at all.
PASSWORDS = st.one_of(typed(200), st.sampled_from(["", "password", "123456789012", "short1!"]),
                      st.text(min_size=12, max_size=40).filter(lambda p: len(set(p)) > 6)
                      .map(lambda p: "Zq7!" + p))


@PROPERTY
@given(password=PASSWORDS)
def test_a_new_password_is_set_as_given_or_refused(make_user, password):
    user = make_user(Role.PRACTITIONER, must_change_password=True)
    before = written(User)
    try:
        services.set_own_password(user, password)
    except ValidationError as refusal:
        keyed_to(refusal, forms.NewPasswordForm(user))
        assert written(User) == before
        saved = User.objects.get(pk=user.pk)
        assert saved.must_change_password and not saved.check_password(password)
        return
    saved = User.objects.get(pk=user.pk)
    assert len(password) >= 12 and not password.isdigit()
    assert saved.check_password(password) and not saved.must_change_password


@PAGE
@given(data=st.data())
def test_posting_anything_as_a_new_password_sets_it_or_shows_it_again(make_user, client,
                                                                      data):
    from soclocal.accounts.services import set_password_link

    user = make_user(Role.PRACTITIONER, must_change_password=True)
    post = data.draw(st.one_of(posts(forms.NewPasswordForm(user)), PASSWORDS.map(
        lambda p: {"csrfmiddlewaretoken": "token", "new_password1": p, "new_password2": p})))
    _response, taken = post_is_handled(client, set_password_link(user), post, models=(User,))
    saved = User.objects.get(pk=user.pk)
    assert taken == saved.check_password(post.get("new_password1", "")) \
        == (not saved.must_change_password)


REASONS = st.one_of(typed(500), st.sampled_from(["Left the service", "Moved to another team"]))


@PROPERTY
@given(reason=REASONS)
def test_an_account_is_deactivated_with_its_reason_or_refused(admin, make_user, reason):
    person = make_user(Role.PRACTITIONER)
    before = written(User)
    try:
        services.deactivate_account(admin, person, reason=reason)
    except ValidationError as refusal:
        keyed_to(refusal, forms.DeactivateForm())
        assert written(User) == before and User.objects.get(pk=person.pk).is_active
        return
    assert 0 < len(reason.strip()) <= 500 and not User.objects.get(pk=person.pk).is_active
    from soclocal.core.models import AuditEvent
    event = AuditEvent.objects.filter(action="account.deactivated").latest("pk")
    assert event.detail["reason"] == reason.strip() and event.object_id == str(person.pk)


@PAGE
@given(data=st.data())
def test_posting_anything_as_a_deactivation_does_it_or_shows_it_again(admin, make_user,
                                                                     client, data):
    person = make_user(Role.PRACTITIONER)
    client.force_login(admin)
    post = data.draw(st.one_of(posts(forms.DeactivateForm()), REASONS.map(
        lambda r: {"csrfmiddlewaretoken": "token", "reason": r})))
    _response, taken = post_is_handled(
        client, reverse("accounts:person_action", args=[person.pk, "deactivate"]), post,
        models=(User,), form_key="deactivate_form")
    assert taken != User.objects.get(pk=person.pk).is_active


def test_a_refused_deactivation_shows_the_persons_page_again_with_the_reason(admin,
                                                                             make_user,
                                                                             client):
    person = make_user(Role.PRACTITIONER)
    client.force_login(admin)
    response = client.post(reverse("accounts:person_action", args=[person.pk, "deactivate"]),
                           {"reason": "y" * 501})
    assert response.status_code == 200 and "y" * 501 in response.content.decode()
    assert "500 characters" in str(response.context["deactivate_form"].errors["reason"])
    assert User.objects.get(pk=person.pk).is_active


def test_a_password_set_without_the_form_is_still_checked(make_user):
    user = make_user(Role.PRACTITIONER, must_change_password=True)
    with pytest.raises(ValidationError) as refusal:
        services.set_own_password(user, "")
    assert list(refusal.value.message_dict) == ["new_password2"]
    assert User.objects.get(pk=user.pk).must_change_password
