"""The early intervention journey in a real browser: referral to re-referral, axe-clean."""

import re
from datetime import date

import pytest

from soclocal.core.access import Role
from tests.browser.conftest import axe_violations, sign_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def as_user(page, username):
    page.context.clear_cookies()
    sign_in(page, username, PASSWORD)


def check(page):
    assert axe_violations(page) == [], page.url
    assert not [e for e in page.console_errors if "Content Security Policy" in e]


def save(page, name="Save"):
    page.get_by_role("button", name=name).click()
    page.wait_for_load_state()


def test_referral_to_rereferral(page, make_user):
    make_user(Role.PRACTITIONER, username="keyworker")
    make_user(Role.MANAGER, username="boss")
    dob = date(date.today().year - 14, 1, 15).isoformat()

    as_user(page, "keyworker")
    page.goto("/cases/refer/")
    check(page)
    page.get_by_label("Young person's name").fill("Casey Example")
    page.get_by_label("Date of birth").fill(dob)
    save(page, "Search")
    page.get_by_role("link", name="Record a new young person").click()
    page.wait_for_load_state()
    check(page)
    page.get_by_label("First name").fill("Casey")
    page.get_by_label("Last name").fill("Example")
    page.get_by_label("Police", exact=True).check()
    page.get_by_label("Referrer's name and organisation").fill("PC Test, Test Police")
    page.get_by_label("Criminal exploitation").check()
    page.get_by_label("Several phones or SIM cards").check()
    page.get_by_label("What is happening").fill("Older men collect Casey; a lifestyle choice.")
    page.get_by_label("The young person agrees to work with the service").check()
    page.get_by_label("The young person agrees to information being shared").check()
    page.get_by_label("A caregiver agrees to information being shared").check()
    save(page, "Record the referral")
    assert page.locator("h1").inner_text() == "Casey Example", page.locator("main").inner_text()
    assert "lifestyle choice" in page.content()  # the language warning
    check(page)
    case_url = page.url

    as_user(page, "boss")
    page.goto(case_url)
    page.get_by_role("link", name="Triage the referral").click()
    check(page)
    page.get_by_label("Accept").check()
    save(page)
    assert page.locator("[data-status]").inner_text() == "Open"

    as_user(page, "keyworker")
    page.goto(case_url)
    page.get_by_role("link", name="Record outreach").click()
    check(page)
    today = date.today().isoformat()
    page.get_by_label("Date").fill(today)
    page.get_by_label("Door knock").check()
    page.get_by_label("The young person engaged").check()
    save(page)
    page.get_by_role("link", name="Record a contact").click()
    check(page)
    page.get_by_label("Date").fill(today)
    page.get_by_label("Duration in minutes").fill("45")
    page.get_by_label("1:1").check()
    page.get_by_label("Place").fill("Cafe on the high street")
    save(page)
    page.get_by_role("link", name="Record a star reading").click()
    check(page)
    page.get_by_label("Date of the reading").fill(today)
    for select in page.locator("select[name^=area_]").all():
        select.select_option("4")
    save(page)
    page.get_by_role("button", name=re.compile("Approve the reading")).click()
    page.wait_for_load_state()
    assert page.locator("svg.app-star-chart").count() == 1
    check(page)
    page.get_by_role("link", name="Make a plan").click()
    check(page)
    page.get_by_label("Goal for Positive use of time").fill("Try the boxing club")
    page.get_by_role("button", name="Add another action").click()
    page.wait_for_load_state()
    assert page.get_by_label("Action 4: what will happen").count() == 1
    assert page.get_by_label("Goal for Positive use of time").input_value() == \
        "Try the boxing club"
    check(page)
    page.get_by_label("Action 1: goal it serves").select_option(
        label="Goal for Positive use of time")
    page.get_by_label("Action 1: kind of support").select_option("diversionary")
    page.get_by_label("Action 1: what will happen").fill("Boxing taster session")
    page.get_by_label("Action 1: owner").fill("Key worker")
    save(page)
    assert "Waiting for approval" in page.content()

    as_user(page, "boss")
    page.goto(case_url)
    page.get_by_role("button", name="Approve the plan").click()
    page.wait_for_load_state()
    assert "Approved by" in page.content()

    as_user(page, "keyworker")
    page.goto(case_url)
    page.get_by_role("link", name="Close the case").click()
    check(page)
    page.get_by_label("Goals met").check()
    page.get_by_label("Summary").fill("Casey boxes weekly and is back at school.")
    save(page)

    as_user(page, "boss")
    page.goto(case_url)
    check(page)
    page.get_by_role("button", name="Approve closure").click()
    page.wait_for_load_state()
    assert page.locator("[data-status]").inner_text() == "Closed"

    as_user(page, "keyworker")
    page.goto(case_url)
    page.get_by_role("link", name="Refer again").click()
    check(page)
    page.get_by_label("School", exact=True).check()
    page.get_by_label("Referrer's name and organisation").fill("Head of year")
    page.get_by_label("Missing episodes").check()
    page.get_by_label("The young person agrees to work with the service").check()
    save(page)
    assert page.locator("[data-status]").inner_text() == "Waiting for triage"
    body = page.content()
    assert "Re-referral received" in body and "Boxing taster session" in body
    assert "Cafe on the high street" in body and "Goals met" in body
    check(page)

    # A purpose the case page never offers opens nothing and asks again, accessibly.
    page.goto(case_url + "?purpose=curious")
    assert page.get_by_role("heading", name="Why are you looking at this record?").is_visible()
    assert "Boxing taster session" not in page.content()
    check(page)
    page.get_by_label("Why are you looking at this case?").select_option(index=0)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()
    assert "Boxing taster session" in page.content()
