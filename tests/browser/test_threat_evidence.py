"""The loop's new links in a real browser, with axe-core on each page: a suspected group raised as
a threat, evidence linked to it, a requirement raised from it, and a community group and a
participatory budget started from a Develop action."""

from datetime import timedelta

import pytest
from django.utils import timezone

from soclocal.core.access import Role
from tests.browser.conftest import axe_violations, sign_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def loop(transactional_db, org, make_user):
    from soclocal.accounts import services as accounts
    from soclocal.accounts.models import Agency
    from soclocal.priorities import services as priorities
    from soclocal.priorities.models import Threat
    from soclocal.responses import services as responses
    from tests.priorities.test_evidence import group_network

    org["housing"] = accounts.create_agency(None, name="Test Housing Association",
                                            kind=Agency.Kind.HOUSING)
    org["housing_team"] = accounts.create_team(None, agency=org["housing"], name="Team")
    intel = make_user(Role.INTELLIGENCE_OFFICER, agency="police", username="intel")
    admin = make_user(Role.PARTNERSHIP_ADMIN, agency="youth", username="coordinator")
    make_user(Role.COMMUNITY_FACILITATOR, agency="youth", username="facilitator")
    _members, reports = group_network(intel)
    threat = priorities.raise_threat(intel, kind=Threat.Kind.PLACE,
                                     title="Drug market by the flats")
    plan = responses.create_plan(admin, threat, title="Close the market", framework="4ds",
                                 objectives="A stronger community on the estate")
    develop = responses.add_action(admin, plan, strand="develop",
                                   title="Residents' group for the estate",
                                   owning_agency=org["youth"],
                                   due_date=timezone.localdate() + timedelta(days=20))
    return {"threat": threat, "develop": develop, "report": reports[0]}


def check(page):
    assert axe_violations(page) == [], page.url
    assert not [e for e in page.console_errors if "Content Security Policy" in e]


def test_links_out_of_and_into_a_priority(page, loop):
    sign_in(page, "intel", PASSWORD)
    page.goto("/intelligence/network/")
    check(page)
    page.get_by_label("Name for the group").first.fill("Example Court crew")
    page.get_by_role("button", name="Raise a threat from this group").first.click()
    page.wait_for_url("**/priorities/threats/*/")
    assert "Police only" in page.content() or "police only" in page.content()
    assert "3 members" in page.locator("main").inner_text()
    check(page)

    page.goto(loop["threat"].get_absolute_url())
    page.get_by_role("link", name="Link intelligence or a case as evidence").click()
    check(page)
    page.get_by_label("Intelligence report").check()
    page.get_by_label("Reference or case number").fill("NOT-A-REF")
    page.get_by_role("button", name="Link it").click()
    assert "NOT-A-REF" in page.locator(".govuk-error-summary").inner_text()
    check(page)
    page.get_by_label("Reference or case number").fill(loop["report"].reference)
    page.get_by_role("button", name="Link it").click()
    assert "1 report" in page.locator("[data-linked-intelligence]").inner_text()

    page.get_by_role("link", name="Raise an intelligence requirement").click()
    check(page)
    assert "Drug market by the flats" in page.locator("#from-threat").inner_text()
    page.get_by_label("The question").fill("Who is living at flat 4?")
    page.get_by_label("Agency to ask").select_option(label="Test Housing Association")
    page.get_by_label("Answer by").fill(str(timezone.localdate() + timedelta(days=14)))
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/intelligence/requirements/*/")
    assert "Drug market by the flats" in page.locator(".app-origins").inner_text()
    check(page)
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, "facilitator", PASSWORD)
    page.goto(loop["develop"].get_absolute_url())
    check(page)
    page.get_by_role("link", name="Start a community group").click()
    check(page)
    page.get_by_role("button", name="Start a group").click()
    assert "Residents' group for the estate" in page.locator(".app-origins").inner_text()
    check(page)
    page.goto(loop["develop"].get_absolute_url())
    page.get_by_role("link", name="Start a participatory budget").click()
    check(page)
    assert "Residents' group for the estate" in page.locator("#from-action").inner_text()
