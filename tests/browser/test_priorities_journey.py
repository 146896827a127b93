"""From a profile finding to an action at risk and the next tasking meeting's minutes, in a real
browser, with axe-core on each page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from soclocal.core.access import Role
from tests.browser.conftest import axe_violations, sign_in
from tests.conftest import PASSWORD
from tests.profiles.conftest import write_store

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def partnership(transactional_db, org, make_user, settings, tmp_path):
    from soclocal.accounts import services
    from soclocal.accounts.models import Agency
    from soclocal.areas.demo import load_demo_geography
    from soclocal.areas.models import Area
    from soclocal.profiles.services import build_profile

    for key, name, kind in (("council", "Test Community Safety Partnership",
                             Agency.Kind.COMMUNITY_SAFETY),
                            ("housing", "Test Housing Association", Agency.Kind.HOUSING)):
        org[key] = services.create_agency(None, name=name, kind=kind)
        org[f"{key}_team"] = services.create_team(None, agency=org[key], name="Team")
    settings.DATA_DIR = tmp_path
    write_store(tmp_path)
    load_demo_geography()
    analyst = make_user(Role.ANALYST, agency="police", username="analyst")
    make_user(Role.INTELLIGENCE_OFFICER, agency="police", username="intel")
    make_user(Role.PARTNERSHIP_ADMIN, agency="council", username="coordinator")
    make_user(Role.PRACTITIONER, agency="housing", username="housing.officer")
    return build_profile(analyst, Area.objects.get(type="ward", code="E05012287"),
                         "2024-11", "2024-12")


def check(page):
    assert axe_violations(page) == [], page.url
    assert not [e for e in page.console_errors if "Content Security Policy" in e]


def assess(page, threat_url, scores):
    page.goto(threat_url)
    page.get_by_role("link", name="Assess").click()
    check(page)
    for label, value in scores.items():
        page.get_by_label(label, exact=True).select_option(str(value))
    page.get_by_label("Rationale").fill("Scored on the profile figures")
    page.get_by_role("button", name="Save the assessment").click()
    page.wait_for_selector("#score")


def test_from_profile_finding_to_an_action_at_risk(page, partnership, tmp_path):
    from soclocal.priorities import scoring

    # An analyst raises a threat from the profile's busiest crime type.
    sign_in(page, "analyst", PASSWORD)
    page.goto(f"/profiles/{partnership.pk}/")
    page.get_by_text("Raise a threat from this profile").click()
    page.locator("#raise-threat a").first.click()
    check(page)
    assert "recorded" in page.locator(".app-snapshot").inner_text()
    page.get_by_role("button", name="Raise the threat").click()
    page.wait_for_url("**/priorities/threats/*/")
    assert "Not yet assessed" in page.content()
    threat_url = page.url
    threat_title = page.locator("h1").inner_text()
    assert "Raised from" in page.content()
    check(page)
    scores = {label: 3 for _, label, *_ in scoring.FACTORS}
    assess(page, threat_url, scores)

    # A second assessor scores it lower on confidence; the two are compared.
    page.context.clear_cookies()
    sign_in(page, "intel", PASSWORD)
    assess(page, threat_url, {**scores, "Confidence in the information": 1})
    assert page.locator("#compare").is_visible()
    check(page)

    # The coordinator records "respond" and builds a plan with three agencies' actions.
    page.context.clear_cookies()
    sign_in(page, "coordinator", PASSWORD)
    page.goto(threat_url)
    page.get_by_role("link", name="Record a decision").click()
    page.get_by_label("Respond", exact=True).check()
    page.get_by_label("Reasons").fill("High harm and the partnership can act")
    page.get_by_label("Owner").select_option(index=1)
    review = timezone.localdate() + timedelta(days=30)
    page.get_by_label("Review date").fill(review.isoformat())
    check(page)
    page.get_by_role("button", name="Record the decision").click()
    assert "Respond" in page.locator(".govuk-inset-text").first.inner_text()
    page.get_by_role("link", name="Start a response plan").click()
    page.get_by_label("4 Ps", exact=True).check()
    page.get_by_label("Objectives").fill("Fewer violent incidents around the estate")
    check(page)
    page.get_by_role("button", name="Start the plan").click()
    plan_url = page.url
    due = (timezone.localdate() + timedelta(days=20)).isoformat()
    for title, strand, agency in (("Patrols at peak times", "Pursue", "Test Police"),
                                  ("Youth outreach", "Prevent", "Test Community Safety Partnership"),
                                  ("Secure the stairwells", "Protect", "Test Housing Association")):
        page.goto(plan_url)
        page.get_by_role("link", name="Add an action").click()
        page.get_by_label("Action", exact=True).fill(title)
        page.get_by_label("Strand").select_option(label=strand)
        page.get_by_label("Owning agency").select_option(label=agency)
        page.get_by_label("Due date").fill(due)
        page.get_by_role("button", name="Add the action").click()
        assert title in page.content()
    check(page)

    # The housing officer finds their action and marks it at risk with a note.
    page.context.clear_cookies()
    sign_in(page, "housing.officer", PASSWORD)
    page.get_by_role("link", name="Our actions").first.click()
    check(page)
    assert "Patrols at peak times" not in page.content()
    page.get_by_role("link", name="Secure the stairwells").click()
    page.get_by_label("At risk").check()
    page.get_by_label("Note").fill("The contractor cannot start until next month")
    page.get_by_role("button", name="Save the update").click()
    assert page.locator("#status").inner_text() == "At risk"
    assert "The contractor cannot start" in page.content()
    check(page)
    page.goto(plan_url)
    assert "At risk" in page.content()
    check(page)

    # The coordinator's next tasking meeting: the agenda lists the action at risk; the
    # minutes record it, a decision and a new action; the minutes PDF downloads.
    page.context.clear_cookies()
    sign_in(page, "coordinator", PASSWORD)
    page.goto("/plans/meetings/")
    page.get_by_role("link", name="Schedule a meeting").click()
    page.get_by_label("Date").fill(str(timezone.localdate() + timedelta(days=7)))
    page.get_by_label("Where").fill("Loxley House")
    for agency in ("Test Police", "Test Community Safety Partnership",
                   "Test Housing Association"):
        page.get_by_label(agency).check()
    page.get_by_role("button", name="Schedule and invite").click()
    page.get_by_role("button", name="Generate the agenda").click()
    agenda = page.locator("ol").first.inner_text()
    assert "Secure the stairwells (Test Housing Association)" in agenda
    assert "Action at risk" in agenda
    meeting_url = page.url
    check(page)
    page.get_by_role("link", name="Record the minutes for Secure the stairwells").click()
    page.get_by_label("Minutes").fill("Housing to find a second contractor.")
    page.get_by_role("button", name="Save the minutes").click()
    page.get_by_role("link", name="Record a decision").click()
    page.get_by_label("Priority").select_option(label=threat_title)
    page.get_by_label("Respond", exact=True).check()
    page.get_by_label("Reasons").fill("Keep responding: the stairwells are still open")
    page.get_by_label("Owner").select_option(index=1)
    page.get_by_label("Review date").fill(str(timezone.localdate() + timedelta(days=30)))
    page.get_by_role("button", name="Record the decision").click()
    page.get_by_role("link", name="Add an action").click()
    page.get_by_label("Plan").select_option(label=f"Response to {threat_title}")
    page.get_by_label("Action", exact=True).fill("Temporary door entry on the stairwells")
    page.get_by_label("Strand").select_option(label="Protect")
    page.get_by_label("Owning agency").select_option(label="Test Housing Association")
    page.get_by_label("Due date").fill(str(timezone.localdate() + timedelta(days=14)))
    page.get_by_role("button", name="Add the action").click()
    body = page.locator("main").inner_text()
    for text in ("Housing to find a second contractor.",
                 "Keep responding: the stairwells are still open",
                 "Temporary door entry on the stairwells"):
        assert text in body
    check(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the minutes (PDF)").click()
    path = tmp_path / "minutes.pdf"
    download.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF")
    # The PDF is printed from the minutes' HTML: the decision and the new action are in it.
    from soclocal.accounts.models import User
    from soclocal.responses.minutes import minutes_html
    from soclocal.responses.models import Meeting

    meeting = Meeting.objects.get(pk=int(meeting_url.rstrip("/").rsplit("/", 1)[1]))
    html = minutes_html(User.objects.get(username="coordinator"), meeting)
    for text in ("Respond", "Keep responding: the stairwells are still open",
                 "Temporary door entry on the stairwells", "Housing to find a second contractor."):
        assert text in html
