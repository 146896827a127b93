"""The board's dashboard, the agreements, the directory of services and the map of agencies
in a real browser, each checked with axe-core."""

import pytest

from tests.browser.conftest import axe_violations, sign_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(transactional_db):
    from soclocal.accounts.models import User
    from soclocal.areas.demo import load_demo_geography
    from soclocal.demo import load_people
    from soclocal.partnership.demo import load_demo_partnership
    from soclocal.safeguarding.demo import load_demo_safeguarding

    load_people()
    load_demo_geography()
    load_demo_partnership()
    load_demo_safeguarding()
    for user in User.objects.filter(username__in=["board", "admin", "practitioner"]):
        user.set_password(PASSWORD)
        user.save()


def test_the_board_sees_its_dashboard_and_can_download_it(page, demo):
    sign_in(page, "board", PASSWORD)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Board").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="The board's dashboard").is_visible()
    assert page.locator('[data-figure="nrm.total"]').inner_text().strip()
    assert page.locator('[data-section="vulnerability"] tbody tr').count() == 5
    assert axe_violations(page) == []
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as PDF").click()
    assert download.value.suggested_filename.startswith("board-dashboard-")
    page.goto("/partnership/network/")
    page.wait_for_selector("[data-network-graph][data-drawn]")
    from soclocal.accounts.models import Agency

    drawn = int(page.locator("[data-network-graph]").get_attribute("data-drawn"))
    assert drawn == Agency.objects.count()  # every agency, linked or not
    assert axe_violations(page) == []
    assert not [e for e in page.console_errors if "Content Security Policy" in e]


def test_a_practitioner_searches_the_directory_and_reads_an_agreement(page, demo):
    sign_in(page, "practitioner", PASSWORD)
    page.goto("/partnership/services/")
    assert page.locator("[data-service]").count() == 21
    assert axe_violations(page) == []
    page.get_by_label("Area").select_option(label="Meadows")
    page.get_by_label("Need").select_option(label="Positive activities, sport and arts")
    page.get_by_label("Age of the young person").fill("14")
    page.get_by_role("button", name="Search the directory").click()
    page.wait_for_load_state()
    found = page.locator("[data-service]").all_inner_texts()
    assert any("Friday night boxing" in text for text in found)
    assert not any("Money and debt advice" in text for text in found)
    page.get_by_role("link", name="Friday night boxing and youth club").click()
    assert page.get_by_text("How to refer").is_visible()
    assert axe_violations(page) == []
    page.goto("/partnership/agreements/")
    assert page.locator("[data-past-review]").is_visible()
    assert axe_violations(page) == []
    page.locator("[data-agreement] a").first.click()
    page.wait_for_load_state()
    assert page.get_by_text("Lawful bases").is_visible()
    assert axe_violations(page) == []


def test_an_admin_records_an_agreement_on_an_accessible_form(page, demo):
    sign_in(page, "admin", PASSWORD)
    page.goto("/partnership/agreements/new/")
    assert axe_violations(page) == []
    page.get_by_label("Title").fill("Housing and youth justice")
    page.get_by_role("button", name="Save the agreement").click()
    page.wait_for_load_state()
    assert page.locator(".govuk-error-summary").is_visible()
    assert page.get_by_label("Title").input_value() == "Housing and youth justice"
    assert axe_violations(page) == []
    page.goto("/partnership/services/new/")
    assert axe_violations(page) == []
