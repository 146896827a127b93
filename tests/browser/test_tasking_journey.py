"""A tasking meeting in a real browser: the housing officer's at-risk action comes onto the next
meeting's agenda; the minutes record a decision and a new action; the minutes PDF downloads."""

from datetime import timedelta

import pytest
from django.utils import timezone

from soclocal.core.access import Role
from tests.browser.conftest import axe_violations, sign_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def plan(transactional_db, org, make_user):
    from soclocal.accounts import services as accounts
    from soclocal.accounts.models import Agency
    from soclocal.priorities import services as priorities
    from soclocal.priorities.models import Threat
    from soclocal.responses import services as responses

    for key, name, kind in (("council", "Test Community Safety Partnership",
                             Agency.Kind.COMMUNITY_SAFETY),
                            ("housing", "Test Housing Association", Agency.Kind.HOUSING)):
        org[key] = accounts.create_agency(None, name=name, kind=kind)
        org[f"{key}_team"] = accounts.create_team(None, agency=org[key], name="Team")
    analyst = make_user(Role.ANALYST, agency="police", username="analyst")
    coordinator = make_user(Role.PARTNERSHIP_ADMIN, agency="council", username="coordinator")
    make_user(Role.PRACTITIONER, agency="housing", username="housing.officer")
    today = timezone.localdate()
    threat = priorities.raise_threat(analyst, kind=Threat.Kind.PLACE,
                                     title="Drug market by the flats")
    priorities.decide(coordinator, threat, outcome="respond", reasons="High harm",
                      owner=analyst, review_date=today + timedelta(days=60))
    plan = responses.create_plan(coordinator, threat, title="Close the market", framework="4ds",
                                 objectives="Fewer young people drawn in")
    responses.add_action(coordinator, plan, strand="develop", title="Secure the stairwell",
                         owning_agency=org["housing"], due_date=today + timedelta(days=40))
    return plan


def check(page):
    assert axe_violations(page) == [], page.url
    assert not [e for e in page.console_errors if "Content Security Policy" in e]


def test_an_at_risk_action_is_tasked_and_minuted(page, plan, tmp_path):
    # The housing officer marks their action at risk.
    sign_in(page, "housing.officer", PASSWORD)
    page.goto("/plans/ours/")
    page.get_by_role("link", name="Secure the stairwell").click()
    page.get_by_label("At risk").check()
    page.get_by_label("Note").fill("Contractor delayed")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("button", name="Sign out").click()

    # The coordinator schedules the next tasking group, inviting housing.
    sign_in(page, "coordinator", PASSWORD)
    page.goto("/plans/meetings/")
    check(page)
    page.get_by_role("link", name="Schedule a meeting").click()
    check(page)
    page.get_by_label("Date").fill(str(timezone.localdate() + timedelta(days=7)))
    page.get_by_label("Where").fill("Loxley House")
    page.get_by_label("Test Housing Association").check()
    page.get_by_label("Test Community Safety Partnership").check()
    page.get_by_role("button", name="Schedule and invite").click()
    page.get_by_role("button", name="Generate the agenda").click()
    agenda = page.locator("ol").first
    assert "Secure the stairwell (Test Housing Association)" in agenda.inner_text()
    assert "Action at risk" in agenda.inner_text()
    check(page)

    # Minutes for the item, a decision and a new action taken in the meeting.
    page.get_by_role("link", name="Record the minutes for Secure the stairwell").click()
    check(page)
    page.get_by_label("Minutes").fill("Housing to find a second contractor.")
    page.get_by_role("button", name="Save the minutes").click()
    page.get_by_role("link", name="Record a decision").click()
    check(page)
    page.get_by_label("Priority").select_option(label="Drug market by the flats")
    page.get_by_label("Monitor").check()
    page.get_by_label("Reasons").fill("Market displaced; keep watching the estate")
    page.get_by_label("Owner").select_option(index=1)
    page.get_by_label("Review date").fill(str(timezone.localdate() + timedelta(days=30)))
    page.get_by_role("button", name="Record the decision").click()
    page.get_by_role("link", name="Add an action").click()
    check(page)
    page.get_by_label("Plan").select_option(label="Close the market")
    page.get_by_label("Action", exact=True).fill("Lighting survey of the stairwells")
    page.get_by_label("Strand").select_option(label="Deter")
    page.get_by_label("Owning agency").select_option(label="Test Housing Association")
    page.get_by_label("Due date").fill(str(timezone.localdate() + timedelta(days=21)))
    page.get_by_role("button", name="Add the action").click()
    body = page.locator("main").inner_text()
    assert "Housing to find a second contractor." in body
    assert "Market displaced; keep watching the estate" in body
    assert "Lighting survey of the stairwells" in body
    check(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the minutes (PDF)").click()
    path = tmp_path / "minutes.pdf"
    download.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF")
    page.get_by_role("button", name="Sign out").click()

    # Housing sees the invitation and the meeting.
    sign_in(page, "housing.officer", PASSWORD)
    page.goto("/notifications/")
    check(page)
    assert "Invitation: Multi-agency tasking group" in page.locator("main").inner_text()
    page.get_by_role("button", name="Open Invitation: Multi-agency tasking group").click()
    assert "Lighting survey of the stairwells" in page.locator("main").inner_text()
    check(page)
