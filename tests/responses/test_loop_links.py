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
