"""Origins: a record says where it came from and what came of it, within the reader's reach."""

from django.urls import reverse

from soclocal.core import origins
from soclocal.core.access import Role
from soclocal.priorities import services as priorities
from soclocal.priorities.models import Threat
from soclocal.responses import services as responses


def test_a_plan_raised_from_a_threat_links_both_ways(client, make_user, org):
    analyst = make_user(Role.ANALYST, agency="police")
    admin = make_user(Role.PARTNERSHIP_ADMIN)
    threat = priorities.raise_threat(analyst, kind=Threat.Kind.PLACE, title="The underpass")
    plan = responses.create_plan(admin, threat, title="Light the underpass", framework="chb",
                                 objectives="x")
    [came] = origins.came_of(threat)
    assert (came.target_label, came.target_url, came.created_by) == (
        "Light the underpass", plan.get_absolute_url(), admin)
    [came_from] = origins.raised_from(plan)
    assert came_from.source_label == "The underpass" and came_from.source_url == \
        threat.get_absolute_url()
    client.force_login(admin)
    body = client.get(plan.get_absolute_url()).content.decode()
    assert "Raised from" in body and threat.get_absolute_url() in body
    body = client.get(threat.get_absolute_url()).content.decode()
    assert "What came of it" in body and plan.get_absolute_url() in body


def test_a_police_only_origin_is_not_named_to_those_who_cannot_see_it(client, make_user, org):
    police = make_user(Role.ANALYST, agency="police")
    admin = make_user(Role.PARTNERSHIP_ADMIN)  # not police
    threat = priorities.raise_threat(police, kind=Threat.Kind.PERSON, title="Named nominal")
    plan = responses.create_plan(police.__class__.objects.get(pk=admin.pk), threat,
                                 title="Plan", framework="4ps", objectives="x")
    trail = origins.trail(admin, plan)
    assert trail["raised_from"][0]["label"] == "A record you do not have access to"
    assert trail["raised_from"][0]["url"] == ""
    assert origins.trail(police, plan)["raised_from"][0]["label"] == "Named nominal"
    client.force_login(admin)
    assert "Named nominal" not in client.get(reverse("responses:plan", args=[plan.pk])).content.decode()
