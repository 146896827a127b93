"""From a plan's Divert action to an early-intervention referral, and back along the trail."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from soclocal.cases.models import Referral
from soclocal.core.models import Origin
from soclocal.priorities import services as priorities
from soclocal.priorities.models import Threat
from soclocal.responses import services
from tests.cases.conftest import person_data, referral_data


def test_a_divert_action_starts_a_referral_that_says_where_it_came_from(client, people,
                                                                         partners):
    p = people
    threat = priorities.raise_threat(p["police_analyst"], kind=Threat.Kind.PLACE,
                                     title="Drug market by the flats")
    plan = services.create_plan(p["admin"], threat, title="Close the market", framework="4ds",
                                objectives="Fewer young people drawn in")
    due = timezone.localdate() + timedelta(days=20)
    divert = services.add_action(p["admin"], plan, strand="divert", title="Youth offer",
                                 owning_agency=partners["youth"], due_date=due)
    deter = services.add_action(p["admin"], plan, strand="deter", title="Lighting",
                                owning_agency=partners["housing"], due_date=due)
    practitioner = p["youth_practitioner"]
    client.force_login(practitioner)
    start = f"{reverse('cases:referral_new')}?from_action={divert.pk}"
    assert start in client.get(divert.get_absolute_url()).content.decode()
    assert "?from_action=" not in client.get(deter.get_absolute_url()).content.decode()

    form = client.get(f"{start}&new=1").content.decode()
    assert "Referred through the response plan action" in form and "Youth offer" in form
    data = {**referral_data(), **person_data()}
    data["date_of_birth"] = data["date_of_birth"].isoformat()
    response = client.post(f"{start}&new=1", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    referral = Referral.objects.get()
    link = Origin.objects.get(target_type__model="referral", target_id=str(referral.pk))
    assert link.source_id == str(divert.pk) and "Rowan" not in link.target_label
    assert "Youth offer" in client.get(response["Location"]).content.decode()
    assert "An early-intervention referral" in client.get(
        divert.get_absolute_url()).content.decode()
    # A partner in the same plan learns only that a referral exists.
    client.force_login(p["housing"])
    page = client.get(divert.get_absolute_url()).content.decode()
    assert "A record you do not have access to" in page and "Rowan" not in page
    # Someone who cannot reach the action cannot start from it.
    client.force_login(p["board"])
    assert client.get(start).status_code == 403


def test_a_develop_action_starts_a_community_event(client, people, partners, make_user):
    from soclocal.accounts.models import Agency
    from soclocal.core.access import Role
    from soclocal.engagement.models import Event

    p = people
    threat = priorities.raise_threat(p["police_analyst"], kind=Threat.Kind.PLACE,
                                     title="Drug market by the flats")
    plan = services.create_plan(p["admin"], threat, title="Close the market", framework="4ds",
                                objectives="Fewer young people drawn in")
    develop = services.add_action(p["admin"], plan, strand="develop",
                                  title="Residents' conversation on the estate",
                                  owning_agency=partners["youth"],
                                  due_date=timezone.localdate() + timedelta(days=20))
    facilitator = make_user(Role.COMMUNITY_FACILITATOR, agency="youth")
    client.force_login(facilitator)
    start = f"{reverse('engagement:event_new')}?from_action={develop.pk}"
    assert start in client.get(develop.get_absolute_url()).content.decode()
    assert "Residents&#x27; conversation on the estate" in client.get(start).content.decode()
    response = client.post(start, {"kind": "world_cafe", "title": "Estate conversation",
                                   "date": str(timezone.localdate()), "tables": 2, "rounds": 2,
                                   "community_representatives": 10, "agency_participants": 3,
                                   "justice_partners": 0})
    assert response.status_code == 302, response.content.decode()[:2000]
    event = Event.objects.get()
    assert "Residents&#x27; conversation on the estate" in client.get(
        response["Location"]).content.decode()
    assert "Estate conversation" in client.get(develop.get_absolute_url()).content.decode()
    assert Agency.objects.exists() and event.title == "Estate conversation"


def test_a_develop_action_starts_a_community_group_and_a_participatory_budget(
        client, people, partners, make_user):
    from soclocal.budgeting.models import Process
    from soclocal.core.access import Role
    from soclocal.engagement.models import CommunityGroup

    p = people
    threat = priorities.raise_threat(p["police_analyst"], kind=Threat.Kind.PLACE,
                                     title="Drug market by the flats")
    plan = services.create_plan(p["admin"], threat, title="Close the market", framework="4ds",
                                objectives="A stronger community on the estate")
    develop = services.add_action(p["admin"], plan, strand="develop",
                                  title="Residents' group for the estate",
                                  owning_agency=partners["youth"],
                                  due_date=timezone.localdate() + timedelta(days=20))
    deter = services.add_action(p["admin"], plan, strand="deter", title="Lighting",
                                owning_agency=partners["youth"],
                                due_date=timezone.localdate() + timedelta(days=20))
    facilitator = make_user(Role.COMMUNITY_FACILITATOR, agency="youth")
    client.force_login(facilitator)
    group_start = f"{reverse('engagement:groups')}?from_action={develop.pk}"
    budget_start = f"{reverse('budgeting:process_new')}?from_action={develop.pk}"
    page = client.get(develop.get_absolute_url()).content.decode()
    assert group_start in page and budget_start in page
    page = client.get(deter.get_absolute_url()).content.decode()
    assert "Start a community group" not in page and "Start a participatory budget" not in page

    # The community group, named from the action, keeps where it came from.
    form = client.get(group_start)
    assert form.context["form"].initial["name"] == "Residents' group for the estate"
    response = client.post(group_start, {"name": "Example Court residents"})
    assert response.status_code == 302, response.content.decode()[:2000]
    group = CommunityGroup.objects.get()
    assert Origin.objects.filter(source_id=str(develop.pk), target_type__model="communitygroup",
                                 target_id=str(group.pk)).exists()
    assert "Residents&#x27; group for the estate" in client.get(
        response["Location"]).content.decode()

    # So does the participatory budget.
    assert "Started from the response plan action" in client.get(
        budget_start).content.decode()
    response = client.post(budget_start, {
        "name": "Example Court fund", "budget": "10000", "currency": "GBP",
        "ballot_kind": "approval", "min_choices": "1", "rule": "greedy", "status": "draft"})
    assert response.status_code == 302, response.content.decode()[:3000]
    process = Process.objects.get()
    assert Origin.objects.filter(source_id=str(develop.pk), target_type__model="process",
                                 target_id=str(process.pk)).exists()
    assert "Residents&#x27; group for the estate" in client.get(
        response["Location"]).content.decode()
    # Both show on the action.
    page = client.get(develop.get_absolute_url()).content.decode()
    assert "Community group: Example Court residents" in page
    assert "Participatory budget: Example Court fund" in page
    # Someone who cannot reach the action cannot start from it.
    outsider = make_user(Role.COMMUNITY_FACILITATOR, agency="housing")
    client.force_login(outsider)
    assert client.get(group_start).status_code == 404
    assert not CommunityGroup.objects.filter(name="x").exists()
