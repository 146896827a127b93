"""Places of concern, adults at risk of cuckooing, indicators across cases and the service
gaps page in a real browser, each checked with axe-core."""

import pytest

from tests.browser.conftest import axe_violations, sign_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(transactional_db):
    from soclocal.areas.demo import load_demo_geography
    from soclocal.cases.demo import load_demo_cases
    from soclocal.demo import load_people
    from soclocal.safeguarding.demo import load_demo_safeguarding

    load_demo_geography()
    load_people()
    load_demo_cases()
    load_demo_safeguarding()
    from soclocal.accounts.models import User

    for user in User.objects.filter(username__in=["practitioner", "intel", "manager",
                                                  "adult.social.worker", "analyst"]):
        user.set_password(PASSWORD)
        user.save()


def test_places_and_what_is_linked_to_them(page, demo):
    sign_in(page, "practitioner", PASSWORD)
    page.goto("/vulnerability/places/")
    assert page.locator("#places-table tbody tr").count() == 6
    assert axe_violations(page) == []
    page.get_by_role("link", name="Bramble Park, by the skate ramps").click()
    page.wait_for_load_state()
    assert page.locator("#sightings-table tbody tr").count() >= 1
    assert axe_violations(page) == []
    # Record an indicator seen there; a missing date is named beside the field.
    page.get_by_label("What was seen").select_option("weapons")
    page.get_by_role("button", name="Record the indicator").click()
    page.wait_for_load_state()
    assert page.locator(".govuk-error-summary").is_visible()
    assert axe_violations(page) == []
    page.get_by_label("What was seen").select_option("weapons")
    page.get_by_label("When").fill("2026-01-05")
    page.get_by_role("button", name="Record the indicator").click()
    page.wait_for_load_state()
    assert "Weapons" in page.locator("#sightings-table").inner_text()
    page.goto("/vulnerability/places/new/")
    assert axe_violations(page) == []
    page.goto("/vulnerability/across-cases/")
    assert page.locator("#recurring-places li").count() >= 1
    assert axe_violations(page) == []
    assert not [e for e in page.console_errors if "Content Security Policy" in e]


def test_adults_at_risk_of_cuckooing(page, demo):
    sign_in(page, "adult.social.worker", PASSWORD)
    page.goto("/vulnerability/adults/")
    assert page.locator(".govuk-summary-card").count() == 2
    assert axe_violations(page) == []
    page.get_by_text("Add an agency working with Keith").click()
    assert axe_violations(page) == []
    page.goto("/vulnerability/adults/new/")
    assert axe_violations(page) == []


def test_the_service_gaps_page(page, demo):
    sign_in(page, "analyst", PASSWORD)
    page.goto("/vulnerability/gaps/?level=ward")
    assert page.locator("#gaps-table tbody tr").count() > 5
    assert axe_violations(page) == []
