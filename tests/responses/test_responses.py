"""Plans and actions: overdue by date, each agency's reach, updates, progress, the queue."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from soclocal.core import work
from soclocal.core.models import AuditEvent
from soclocal.priorities import services as priorities
from soclocal.priorities.models import Threat
from soclocal.responses import selectors, services
from soclocal.responses.models import Action


@pytest.fixture
def plan(people, partners):
    threat = priorities.raise_threat(people["police_analyst"], kind=Threat.Kind.PLACE,
                                     title="Drug market by the flats")
    plan = services.create_plan(people["admin"], threat, title="Close the market",
                                framework="4ds", objectives="Fewer young people drawn in")
    today = timezone.localdate()
    services.add_action(people["admin"], plan, strand="disrupt", title="Warrants",
                        owning_agency=partners["police"], due_date=today + timedelta(days=30))
    services.add_action(people["admin"], plan, strand="divert", title="Youth offer",
                        owning_agency=partners["youth"], due_date=today - timedelta(days=1))
    services.add_action(people["admin"], plan, strand="develop", title="Secure the stairwell",
                        owning_agency=partners["housing"], owner=people["housing"],
                        due_date=today + timedelta(days=2))
    return plan


@pytest.mark.parametrize("status,due,today,expected", [
    ("not_started", date(2026, 3, 1), date(2026, 3, 1), "not_started"),  # due today: not yet
    ("not_started", date(2026, 3, 1), date(2026, 3, 2), "overdue"),
    ("on_track", date(2026, 3, 1), date(2026, 3, 2), "overdue"),
    ("at_risk", date(2026, 3, 1), date(2026, 2, 1), "at_risk"),
    ("done", date(2026, 3, 1), date(2026, 4, 1), "done"),
    ("dropped", date(2026, 3, 1), date(2026, 4, 1), "dropped"),
])
def test_overdue_is_worked_out_from_the_due_date(status, due, today, expected):
    assert Action(status=status, due_date=due).current_status(today) == expected


def test_the_housing_officer_marks_their_action_at_risk_with_a_note(client, plan, people):
    housing = people["housing"]
    client.force_login(housing)
    ours = client.get(reverse("responses:ours")).content.decode()
    assert "Secure the stairwell" in ours and "Warrants" not in ours
    action = plan.actions.get(title="Secure the stairwell")
    response = client.post(reverse("responses:action", args=[action.pk]),
                           {"status": "at_risk", "note": "Contractor delayed"})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == "at_risk" and action.updates.get().note == "Contractor delayed"
    assert AuditEvent.objects.filter(action="action.updated", object_id=str(action.pk)).exists()
    # Another agency's action can be read in a shared plan but not updated.
    warrants = plan.actions.get(title="Warrants")
    assert client.get(reverse("responses:action", args=[warrants.pk])).status_code == 200
    assert client.post(reverse("responses:action", args=[warrants.pk]),
                       {"status": "done", "note": "x"}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.update_action(housing, warrants, status="done", note="x")


def test_an_update_needs_a_note(people, plan):
    action = plan.actions.get(title="Secure the stairwell")
    with pytest.raises(ValidationError):
        services.update_action(people["housing"], action, status="done", note=" ")


def test_a_practitioner_sees_only_plans_their_agency_is_part_of(client, plan, people, partners,
                                                                make_user):
    other = services.create_plan(people["admin"], plan.threat, title="Police only plan",
                                 framework="4ps", objectives="x")
    services.add_action(people["admin"], other, strand="pursue", title="Arrests",
                        owning_agency=partners["police"], due_date=date(2030, 1, 1))
    client.force_login(people["youth_practitioner"])
    assert client.get(plan.get_absolute_url()).status_code == 200
    assert client.get(other.get_absolute_url()).status_code == 404
    listed = client.get(reverse("responses:plans")).content.decode()
    assert "Close the market" in listed and "Police only plan" not in listed
    titles = {a["title"] for a in client.get("/api/v1/responses/actions").json()}
    assert titles == {"Warrants", "Youth offer", "Secure the stairwell"}
    plans = client.get("/api/v1/responses/plans").json()
    assert [(p["title"], p["total"]) for p in plans] == [("Close the market", 3)]
    arrests = other.actions.get()
    assert client.get(reverse("responses:action", args=[arrests.pk])).status_code == 404


def test_progress_by_agency_and_strand(plan):
    progress = selectors.progress(list(plan.actions.all()))
    by_agency = {r["name"]: r["counts"] for r in progress["by_agency"]}
    overdue = selectors.STATUS_ORDER.index("overdue")
    assert by_agency["Test Youth Service"][overdue] == 1
    assert sum(by_agency["Test Police"]) == 1
    assert {r["name"] for r in progress["by_strand"]} == {
        "Disrupt", "Divert", "Develop community infrastructure"}


def test_actions_due_appear_on_the_owning_agencys_queue(plan, people):
    housing_items = [i for i in work.for_user(people["housing"]) if i.heading == "Actions due"]
    assert [i.text for i in housing_items] == ["Secure the stairwell (Close the market)"]
    youth_items = [i for i in work.for_user(people["youth_practitioner"])
                   if i.heading == "Actions due"]
    assert len(youth_items) == 1 and youth_items[0].urgent and youth_items[0].overdue
    assert not [i for i in work.for_user(people["board"]) if i.heading == "Actions due"]


def test_the_board_sees_progress_counts_and_no_police_only_plan(client, plan, people, partners):
    secret = priorities.raise_threat(people["police_analyst"], kind=Threat.Kind.PERSON,
                                     title="Named nominal")
    hidden = services.create_plan(people["admin"], secret, title="Nominal plan",
                                  framework="4ps", objectives="x")
    services.add_action(people["admin"], hidden, strand="pursue", title="Arrest",
                        owning_agency=partners["police"], due_date=date(2030, 1, 1))
    client.force_login(people["board"])
    body = client.get(reverse("responses:progress")).content.decode()
    assert "Close the market" in body and "0 of 3 actions done" in body
    assert "Nominal plan" not in body and "Secure the stairwell" not in body
    assert client.get(plan.get_absolute_url()).status_code == 403


def test_a_strand_must_belong_to_the_plans_framework(people, plan, partners):
    with pytest.raises(ValidationError):
        services.add_action(people["admin"], plan, strand="pursue", title="x",
                            owning_agency=partners["police"], due_date=date(2030, 1, 1))
