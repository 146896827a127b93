"""MACE panels and peer-group maps: review dates, who may reach them, the audit of every read,
links that must lead to an action, and reviews on the work queue."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from soclocal.core import work
from soclocal.core.access import Role
from soclocal.core.models import AuditEvent
from soclocal.safeguarding import services
from soclocal.safeguarding.models import MaceHearing, MaceReferral, MapLink, MapNode


@pytest.fixture
def people(make_user):
    return {
        "police_chair": make_user(Role.INTELLIGENCE_OFFICER, agency="police"),
        "la_chair": make_user(Role.MANAGER, agency="youth"),
        "owner": make_user(Role.PRACTITIONER, agency="youth"),
        "outsider": make_user(Role.PRACTITIONER, agency="youth"),
        "member": make_user(Role.PRACTITIONER, agency="youth"),
    }


@pytest.fixture
def case(org, people):
    from soclocal.cases.models import Case, YoungPerson

    person = YoungPerson.objects.create(first_name="Synthetic", last_name="Child",
                                        date_of_birth=date(2010, 4, 1),
                                        owning_agency=org["youth"], owning_team=org["youth_team"])
    return Case.objects.create(young_person=person, owning_agency=org["youth"],
                               owning_team=org["youth_team"], practitioner=people["owner"],
                               status=Case.Status.OPEN)


@pytest.fixture
def referral(case, people):
    return services.refer_to_mace(
        people["owner"], case, indicators=["phones", "tickets"],
        evidence={"phones": "Two phones found in his room", "tickets": "Train tickets to Lincoln"},
        concerns="Missing for two nights; older men collecting him from school.")


@pytest.fixture
def meeting(people):
    return services.schedule_panel(
        people["la_chair"], held_on=date(2026, 3, 2), police_chair=people["police_chair"],
        local_authority_chair=people["la_chair"], members=[people["member"]])


@pytest.fixture
def heard(meeting, referral, people):
    hearing = services.list_child(people["la_chair"], meeting, referral)
    return services.record_hearing(
        people["la_chair"], hearing, presentation="Presented by his key worker.",
        risk_tier=MaceHearing.Tier.HIGH, minutes="The panel heard that he is being exploited.",
        outcome=MaceHearing.Outcome.REVIEW)


# Review dates ------------------------------------------------------------------------------

def test_a_review_falls_due_twelve_weeks_after_the_panel(heard):
    assert heard.review_due == date(2026, 3, 2) + timedelta(weeks=12) == date(2026, 5, 25)


def test_the_partnership_can_change_the_weeks_to_a_review(make_user, meeting, referral, people):
    admin = make_user(Role.PARTNERSHIP_ADMIN)
    services.set_review_weeks(admin, 8)
    hearing = services.list_child(people["la_chair"], meeting, referral)
    hearing = services.record_hearing(people["la_chair"], hearing, presentation="",
                                      risk_tier="medium", minutes="Heard.", outcome="review")
    assert hearing.review_due == date(2026, 4, 27)
    with pytest.raises(ValidationError):
        services.set_review_weeks(admin, 0)
    with pytest.raises(PermissionDenied):
        services.set_review_weeks(people["la_chair"], 6)


def test_the_panel_may_set_its_own_review_date_and_a_step_down_has_none(meeting, referral,
                                                                        people):
    hearing = services.list_child(people["la_chair"], meeting, referral)
    with pytest.raises(ValidationError) as e:
        services.record_hearing(people["la_chair"], hearing, presentation="", risk_tier="high",
                                minutes="Heard.", outcome="review", review_due=date(2026, 3, 1))
    assert "review_due" in e.value.message_dict
    hearing = services.record_hearing(people["la_chair"], hearing, presentation="",
                                      risk_tier="high", minutes="Heard.", outcome="review",
                                      review_due=date(2026, 4, 1))
    assert hearing.review_due == date(2026, 4, 1)
    hearing = services.record_hearing(people["la_chair"], hearing, presentation="",
                                      risk_tier="low", minutes="Heard.", outcome="step_down")
    assert hearing.review_due is None


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)),
       st.integers(min_value=1, max_value=52))
def test_the_review_date_is_always_whole_weeks_after_the_panel_on_the_same_weekday(day, weeks):
    due = services.review_due_for(day, weeks)
    assert (due - day).days == 7 * weeks and due.weekday() == day.weekday()


# Referral and panel rules ------------------------------------------------------------------

def test_each_indicator_ticked_needs_evidence(case, people):
    with pytest.raises(ValidationError) as e:
        services.refer_to_mace(people["owner"], case, indicators=["phones", "weapons"],
                               evidence={"phones": "Two phones"}, concerns="Worried")
    assert "weapons" in str(e.value.message_dict["evidence_weapons"])
    assert "evidence_phones" not in e.value.message_dict
    with pytest.raises(ValidationError) as e:
        services.refer_to_mace(people["owner"], case, indicators=[], evidence={}, concerns="")
    assert {"indicators", "concerns"} <= set(e.value.message_dict)


def test_a_case_the_referrer_cannot_reach_cannot_be_referred(case, make_user):
    stranger = make_user(Role.PRACTITIONER, agency="police")
    with pytest.raises(PermissionDenied):
        services.refer_to_mace(stranger, case, indicators=["phones"],
                               evidence={"phones": "Seen"}, concerns="Worried")


def test_the_co_chairs_come_from_the_police_and_the_local_authority(people):
    with pytest.raises(ValidationError) as e:
        services.schedule_panel(people["la_chair"], held_on=date(2026, 3, 2),
                                police_chair=people["la_chair"],
                                local_authority_chair=people["police_chair"])
    assert {"police_chair", "local_authority_chair"} <= set(e.value.message_dict)


def test_only_panel_members_record_the_panel(meeting, referral, make_user):
    other_manager = make_user(Role.MANAGER, agency="youth")
    with pytest.raises(PermissionDenied):
        services.list_child(other_manager, meeting, referral)
    assert AuditEvent.objects.filter(action="access.denied", actor_id=other_manager.pk).exists()


# Who may reach a panel record and a map ----------------------------------------------------

def _denied(user, object_type, pk):
    return AuditEvent.objects.filter(action="access.denied", actor_id=user.pk,
                                     object_type=object_type, object_id=str(pk)).exists()


def test_a_practitioner_who_is_neither_member_nor_case_owner_gets_404_audited(
        client, heard, people):
    outsider = people["outsider"]
    client.force_login(outsider)
    assert client.get(reverse("safeguarding:hearing", args=[heard.pk])).status_code == 404
    assert _denied(outsider, "safeguarding.macehearing", heard.pk)
    assert client.get(reverse("safeguarding:panel", args=[heard.meeting_id])).status_code == 404
    assert _denied(outsider, "safeguarding.panelmeeting", heard.meeting_id)
    assert not AuditEvent.objects.filter(action="mace.hearing.viewed",
                                         actor_id=outsider.pk).exists()


def test_the_case_owner_sees_their_childs_record_but_not_the_panels_agenda(client, heard, people):
    client.force_login(people["owner"])
    response = client.get(reverse("safeguarding:hearing", args=[heard.pk]) + "?purpose=case_work")
    assert response.status_code == 200
    assert b"Two phones found in his room" in response.content
    event = AuditEvent.objects.get(action="mace.hearing.viewed", actor_id=people["owner"].pk)
    assert event.purpose == "Keeping the child safe (my case work)"
    assert event.object_id == str(heard.pk)
    assert client.get(reverse("safeguarding:panel", args=[heard.meeting_id])).status_code == 404


def test_panel_members_see_the_agenda_and_each_read_is_audited(client, heard, people):
    client.force_login(people["member"])
    response = client.get(reverse("safeguarding:panel", args=[heard.meeting_id]))
    assert response.status_code == 200 and b"Case " in response.content
    assert AuditEvent.objects.filter(action="mace.panel.viewed", actor_id=people["member"].pk,
                                     purpose__startswith="Preparing").exists()


@pytest.fixture
def peer_map(people, case):
    m = services.create_map(people["police_chair"], title="Bus station group")
    child = services.add_node(people["police_chair"], m, kind=MapNode.Kind.CHILD, label="Child A",
                              case=case, risk="high")
    adult = services.add_node(people["police_chair"], m, kind=MapNode.Kind.ADULT,
                              label="Adult X")
    place = services.add_node(people["police_chair"], m, kind=MapNode.Kind.PLACE,
                              label="Bus station")
    services.add_link(people["police_chair"], m, source=adult, target=child,
                      kind=MapLink.Kind.EXPLOITS, reliability="2",
                      risks="Gives him phones", action="Disruption visit to Adult X")
    services.add_link(people["police_chair"], m, source=child, target=place,
                      kind=MapLink.Kind.GOES_TO, reliability="1",
                      no_action_reason="The bus station is his way home from school")
    return m


def test_every_link_leads_to_an_action_or_says_why_not(peer_map, people):
    a, b = list(peer_map.nodes.all())[:2]
    with pytest.raises(ValidationError) as e:
        services.add_link(people["police_chair"], peer_map, source=a, target=b,
                          kind=MapLink.Kind.FRIENDS, reliability="1")
    assert "action" in e.value.message_dict
    assert peer_map.links.count() == 2


def test_a_map_is_seen_by_its_members_and_the_childrens_case_owners_only(client, peer_map,
                                                                         people):
    url = reverse("safeguarding:map", args=[peer_map.pk])
    client.force_login(people["owner"])  # owns Child A's case
    response = client.get(url + "?purpose=case_work")
    assert response.status_code == 200
    assert b"Disruption visit to Adult X" in response.content and b"data-elements" in response.content
    assert AuditEvent.objects.filter(action="peermap.viewed", actor_id=people["owner"].pk,
                                     purpose="Keeping the child safe (my case work)").exists()
    client.force_login(people["outsider"])
    assert client.get(url).status_code == 404
    assert _denied(people["outsider"], "safeguarding.peergroupmap", peer_map.pk)
    with pytest.raises(PermissionDenied):
        services.add_node(people["outsider"], peer_map, kind="place", label="Park")


def test_the_map_is_drawn_from_the_network_module(peer_map):
    import json

    from soclocal.safeguarding import selectors

    network = selectors.map_network(peer_map)
    elements = json.loads(network["elements"])
    assert len(elements["nodes"]) == 3 and len(elements["edges"]) == 2
    assert {e["data"]["grading"] for e in elements["edges"]} == {"1", "2"}


# Reviews on the work queue and the panel page ----------------------------------------------

def test_a_review_is_on_the_work_of_the_panel_and_the_case_owner(client, heard, people):
    for who in ("police_chair", "la_chair", "member", "owner"):
        items = [i for i in work.for_user(people[who]) if i.heading == "MACE reviews due"]
        assert [i.due for i in items] == [date(2026, 5, 25)], who
    assert not [i for i in work.for_user(people["outsider"]) if i.heading == "MACE reviews due"]
    client.force_login(people["owner"])
    home = client.get(reverse("core:home")).content.decode()
    assert "MACE reviews due" in home and reverse("safeguarding:hearing", args=[heard.pk]) in home
    client.force_login(people["member"])
    page = client.get(reverse("safeguarding:panel", args=[heard.meeting_id])).content.decode()
    assert "Reviews due from this panel" in page and "25 May 2026" in page


def test_a_review_heard_at_a_later_panel_leaves_the_work_queue(heard, people):
    later = services.schedule_panel(
        people["la_chair"], held_on=date(2026, 5, 25), police_chair=people["police_chair"],
        local_authority_chair=people["la_chair"])
    services.list_child(people["la_chair"], later, heard.referral, review_of=heard)
    assert not [i for i in work.for_user(people["owner"]) if i.heading == "MACE reviews due"]
    with pytest.raises(ValidationError):
        services.list_child(people["la_chair"], later, heard.referral, review_of=heard)


# Actions to disrupt the exploiters ---------------------------------------------------------

def test_a_disruption_action_becomes_an_intelligence_requirement_with_its_origin(heard, people,
                                                                                 org):
    from soclocal.core import origins
    from soclocal.intelligence.models import Requirement

    action = services.add_mace_action(
        people["police_chair"], heard, kind="disrupt",
        description="Find out who lives at the flat on Station Road",
        owning_agency=org["youth"], due_on=date.today() + timedelta(days=14))
    with pytest.raises(PermissionDenied):  # a practitioner cannot set requirements
        services.raise_disruption(people["member"], action, as_="requirement")
    requirement = services.raise_disruption(people["police_chair"], action, as_="requirement")
    assert Requirement.objects.get(pk=requirement.pk).tasked_agency == org["youth"]
    trail = origins.trail(people["police_chair"], requirement)
    assert trail["raised_from"][0]["label"].startswith("MACE disruption action")
    assert origins.trail(people["outsider"], requirement)["raised_from"][0]["label"] == \
        "A record you do not have access to"


def test_the_referral_form_keeps_what_was_typed(client, case, people):
    client.force_login(people["owner"])
    url = reverse("safeguarding:mace_refer", args=[case.pk])
    response = client.post(url, {"indicators": ["weapons"], "evidence_weapons": "",
                                 "concerns": "Seen with a knife"})
    assert response.status_code == 200
    assert b"Seen with a knife" in response.content and b"Say what was seen" in response.content
    response = client.post(url, {"indicators": ["weapons"], "evidence_weapons": "A knife",
                                 "concerns": "Seen with a knife"})
    assert response.status_code == 302
    assert MaceReferral.objects.get().evidence == {"weapons": "A knife"}


# The API gives only what the asker is part of, and logs each record read -----------------

def test_the_api_lists_only_the_panels_and_maps_the_asker_is_part_of(client, heard, peer_map,
                                                                       people):
    client.force_login(people["member"])
    panels = client.get("/api/v1/safeguarding/panels?purpose=panel").json()
    assert [p["id"] for p in panels] == [heard.meeting_id]
    assert panels[0]["hearings"][0]["review_due"] == "2026-05-25"
    assert AuditEvent.objects.filter(action="mace.panel.viewed", actor_id=people["member"].pk,
                                     object_id=str(heard.meeting_id)).exists()
    assert client.get("/api/v1/safeguarding/panels?purpose=curious").status_code == 422
    client.force_login(people["outsider"])
    assert client.get("/api/v1/safeguarding/panels").json() == []
    assert client.get("/api/v1/safeguarding/maps").json() == []
    client.force_login(people["owner"])
    maps = client.get("/api/v1/safeguarding/maps?purpose=case_work").json()
    assert [m["id"] for m in maps] == [peer_map.pk] and len(maps[0]["links"]) == 2
    assert all(k["action"] or k["no_action_reason"] for k in maps[0]["links"])
    assert AuditEvent.objects.filter(action="peermap.viewed", actor_id=people["owner"].pk,
                                     purpose="Keeping the child safe (my case work)").exists()


def test_a_panel_officer_raises_a_disruption_from_the_childs_page_once(client, heard, people,
                                                                         org):
    from soclocal.intelligence.models import Requirement

    action = services.add_mace_action(
        people["la_chair"], heard, kind="disrupt", description="Who rents the lock-up?",
        owning_agency=org["youth"], due_on=date.today() + timedelta(days=7))
    page = reverse("safeguarding:hearing", args=[heard.pk])
    client.force_login(people["la_chair"])  # a manager: may not set requirements
    assert b"An intelligence officer on the panel can raise" in client.get(page).content
    client.force_login(people["police_chair"])
    assert b'value="requirement"' in client.get(page).content
    raise_url = reverse("safeguarding:mace_action_raise", args=[action.pk])
    assert client.post(raise_url, {"as_": "requirement"}).status_code == 302
    again = client.post(raise_url, {"as_": "requirement"})
    assert again.status_code == 200 and "already been raised" in again.content.decode()
    assert Requirement.objects.filter(question="Who rents the lock-up?").count() == 1
    body = client.get(page).content.decode()
    assert "Raised as" in body and 'value="requirement"' not in body


def test_subject_access_for_the_child_holds_their_panel_record_and_no_other_childs(
        heard, org, people, meeting):
    from soclocal.cases.models import Case, YoungPerson
    from soclocal.core import subject_access as sar

    other = YoungPerson.objects.create(first_name="Another", last_name="Youngster",
                                       date_of_birth=date(2011, 1, 1), owning_agency=org["youth"],
                                       owning_team=org["youth_team"])
    other_case = Case.objects.create(young_person=other, owning_agency=org["youth"],
                                     owning_team=org["youth_team"],
                                     practitioner=people["owner"], status=Case.Status.OPEN)
    other_referral = services.refer_to_mace(people["owner"], other_case, indicators=["phones"],
                                            evidence={"phones": "A second phone"},
                                            concerns="Older friends")
    services.list_child(people["la_chair"], meeting, other_referral)
    report = sar.gather(f"Case {heard.referral.case_id}")
    refs = {ref for part in report.parts for ref in part.refs}
    assert ("safeguarding.macehearing", str(heard.pk)) in refs
    assert ("safeguarding.macereferral", str(heard.referral_id)) in refs
    assert ("safeguarding.macereferral", str(other_referral.pk)) not in refs
    assert "Youngster" not in str(report.as_json())
