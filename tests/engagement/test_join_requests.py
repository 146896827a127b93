"""Residents ask to join a community group on the public pages; only the group's facilitators
see who asked, on the record, and the details are cleared after a set time."""

from datetime import timedelta
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from soclocal.core.access import Role
from soclocal.core.models import AuditEvent
from soclocal.engagement import services
from soclocal.engagement.models import JoinRequest, Member


@pytest.fixture
def groups(make_user):
    mine, theirs = make_user(Role.COMMUNITY_FACILITATOR), make_user(Role.COMMUNITY_FACILITATOR)
    group = services.create_group(mine, name="Meadows voice")
    other = services.create_group(theirs, name="Bulwell youth voice")
    return {"facilitator": mine, "other_facilitator": theirs, "group": group, "other": other}


def _join_url(group):
    return reverse("community:group_join", args=[group.pk])


def test_a_resident_asks_to_join_without_an_account(client, groups):
    group = groups["group"]
    home = unescape(client.get(reverse("community:home")).content.decode())
    assert "Meadows voice" in home and _join_url(group) in home
    form = client.get(_join_url(group)).content.decode()
    assert "Only the group's facilitator can see your name" in unescape(form)
    assert f"We delete them {services.JOIN_CONTACT_DAYS} days after" in form
    response = client.post(_join_url(group), {"name": " Rosa  Li ", "contact": "Rosa@Example.org",
                                               "message": "Evenings suit me"})
    assert response.status_code == 302
    assert response["Location"] == reverse("community:group_join_sent", args=[group.pk])
    request = JoinRequest.objects.get()
    assert (request.group, request.name, request.contact, request.message) == (
        group, "Rosa Li", "rosa@example.org", "Evenings suit me")
    event = AuditEvent.objects.get(action="groups.join_requested")
    # The trail says a request came, not who asked.
    assert "rosa" not in str(event.detail).lower() and event.actor_id is None
    assert "Request sent" in client.get(response["Location"]).content.decode()


def test_mistakes_are_explained_and_what_was_typed_is_kept(client, groups):
    url = _join_url(groups["group"])
    response = client.post(url, {"name": "", "contact": "rosa at home", "message": "Hello there"})
    page = unescape(response.content.decode())
    assert response.status_code == 400
    assert "Enter your name" in page
    assert "Enter an email address, or a phone number like 07700 900 982" in page
    assert "rosa at home" in page and "Hello there" in page
    response = client.post(url, {"name": "Rosa", "contact": "rosa@", "message": ""})
    assert "Enter an email address in the right format" in response.content.decode()
    assert not JoinRequest.objects.exists()


def test_one_contact_can_ask_only_a_few_times_an_hour(client, groups):
    url = _join_url(groups["group"])
    for _ in range(services.JOIN_REQUESTS_PER_CONTACT_PER_HOUR):
        assert client.post(url, {"name": "Rosa", "contact": "07700 900982"}).status_code == 302
    response = client.post(url, {"name": "Rosa", "contact": "077009 00982", "message": "again"})
    page = unescape(response.content.decode())
    assert response.status_code == 400
    assert "requests from this contact in the last hour" in page and "again" in page
    assert JoinRequest.objects.count() == services.JOIN_REQUESTS_PER_CONTACT_PER_HOUR
    # Another group's form is limited by the same contact: it is one person asking.
    assert client.post(_join_url(groups["other"]),
                       {"name": "Rosa", "contact": "07700900982"}).status_code == 400
    # An hour later they may ask again.
    JoinRequest.objects.update(received_at=timezone.now() - timedelta(hours=2))
    assert client.post(url, {"name": "Rosa", "contact": "07700900982"}).status_code == 302


def test_a_flood_of_requests_to_one_group_is_stopped(groups):
    group = groups["group"]
    for n in range(services.JOIN_REQUESTS_PER_GROUP_PER_HOUR):
        services.ask_to_join(group, name="Someone", contact=f"person{n}@example.org")
    with pytest.raises(ValidationError, match="a lot of requests"):
        services.ask_to_join(group, name="Someone", contact="one.more@example.org")


def test_a_program_filling_the_hidden_box_is_told_it_worked_but_nothing_is_kept(client, groups):
    response = client.post(_join_url(groups["group"]),
                           {"name": "Buy now", "contact": "spam@example.org",
                            "website": "http://spam.example"})
    assert response.status_code == 302
    assert not JoinRequest.objects.exists()


def test_an_unknown_group_is_not_found(client, groups):
    assert client.get(reverse("community:group_join", args=[99999])).status_code == 404


@given(st.text(max_size=40))
def test_any_contact_is_normalised_or_refused_with_a_reason(text):
    try:
        contact = services.normalise_contact(text)
    except ValidationError as e:
        assert e.messages[0].startswith("Enter an email address")
    else:
        assert ("@" in contact) or (contact.lstrip("+").isdigit()
                                    and 10 <= len(contact.lstrip("+")) <= 13)


def test_only_the_groups_facilitators_see_and_answer_requests(client, groups, make_user):
    group = groups["group"]
    request = services.ask_to_join(group, name="Rosa Li", contact="rosa@example.org",
                                   message="Evenings")
    page_url = reverse("engagement:join_requests", args=[group.pk])
    answer_url = reverse("engagement:join_request_answer", args=[group.pk, request.pk])
    # Who may open the list (with names and contacts): the facilitator and admins only.
    expected = {Role.COMMUNITY_FACILITATOR: 200, Role.PARTNERSHIP_ADMIN: 200}
    for role in Role.ALL:
        client.force_login(make_user(role))
        status = client.get(page_url).status_code
        # Another facilitator is not this group's: its space is not theirs.
        wanted = 404 if role == Role.COMMUNITY_FACILITATOR else expected.get(role, 403)
        assert status == wanted, (role, status)
        assert client.post(answer_url, {"answer": "welcomed"}).status_code in (
            (302,) if wanted == 200 else (403, 404))
    request.refresh_from_db()
    if request.answer:  # the admin answered; start again for the facilitator
        request.answer, request.answered_at = "", None
        request.save()
        Member.objects.all().delete()
    client.force_login(groups["facilitator"])
    page = unescape(client.get(page_url).content.decode())
    assert "Rosa Li" in page and "rosa@example.org" in page and "Evenings" in page
    viewed = AuditEvent.objects.filter(action="groups.join_requests_viewed",
                                       actor_id=groups["facilitator"].pk).get()
    assert viewed.purpose and viewed.detail["requests"] == [request.pk]
    assert client.get(reverse("engagement:group", args=[group.pk])).content.decode().count(
        "1 waiting for an answer") == 1
    response = client.post(answer_url, {"answer": "welcomed", "note": "Came on Tuesday"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.answer == "welcomed" and request.answered_by == groups["facilitator"]
    assert list(group.members.values_list("name", flat=True)) == ["Rosa"]
    assert AuditEvent.objects.filter(action="groups.join_answered").exists()
    # Another facilitator cannot reach this request through their own group either.
    client.force_login(groups["other_facilitator"])
    wrong = reverse("engagement:join_request_answer", args=[groups["other"].pk, request.pk])
    assert client.post(wrong, {"answer": "not_joining"}).status_code == 404


def test_an_answer_must_say_what_happened(client, groups):
    request = services.ask_to_join(groups["group"], name="Rosa", contact="rosa@example.org")
    client.force_login(groups["facilitator"])
    response = client.post(reverse("engagement:join_request_answer",
                                   args=[groups["group"].pk, request.pk]), {"answer": ""},
                           follow=True)
    assert "Choose what happened" in response.content.decode()
    request.refresh_from_db()
    assert request.answer == ""


def test_forget_contacts_clears_old_requests(groups, capsys):
    from soclocal.cli import main

    group = groups["group"]
    old = services.ask_to_join(group, name="Old Asker", contact="old@example.org",
                               message="Hi")
    new = services.ask_to_join(group, name="New Asker", contact="new@example.org")
    JoinRequest.objects.filter(pk=old.pk).update(
        received_at=timezone.now() - timedelta(days=services.JOIN_CONTACT_DAYS + 1))
    assert main(["forget-contacts"]) == 0
    assert "join-request-contacts: 1 engagement.joinrequest due" in capsys.readouterr().out
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.name, old.contact, old.message) == ("", "", "") and old.forgotten_at
    assert new.contact == "new@example.org"
    assert AuditEvent.objects.filter(action="retention.anonymised",
                                     object_type="engagement.joinrequest").exists()
    with pytest.raises(ValidationError):
        services.answer_join_request(groups["facilitator"], old, answer="welcomed")
