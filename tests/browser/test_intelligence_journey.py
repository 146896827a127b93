"""The intelligence journey in a real browser, axe-clean: a housing officer shares what they
saw; an intelligence officer grades it 2/B/C, links two people and an address, and writes a
sanitised version; a second officer approves and releases it to the housing association; the
housing officer reads only the sanitised text and its condition; another agency gets a 404."""

import pytest

from soclocal.core.access import Role
from soclocal.core.models import AuditEvent
from soclocal.intelligence.models import Entity, IntelligenceReport, Link, Submission
from tests.browser.conftest import axe_violations, sign_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ORIGINAL_DETAIL = "my neighbour at number 6 told me"
CONDITION = "Share only with the tenancy enforcement team"


def as_user(page, username):
    page.context.clear_cookies()
    sign_in(page, username, PASSWORD)


def check(page):
    assert axe_violations(page) == [], page.url
    assert not [e for e in page.console_errors if "Content Security Policy" in e]


def press(page, name):
    page.get_by_role("button", name=name).click()
    page.wait_for_load_state()


def record_entity(page, kind, **labels):
    if not page.get_by_label("Kind").is_visible():
        page.get_by_text("Record someone or something new").click()
    page.get_by_label("Kind").select_option(label=kind)
    for label, value in labels.items():
        page.get_by_label(label).fill(value)
    press(page, "Record and add to the report")


def test_shared_graded_linked_sanitised_and_released(page, make_user, org):
    from soclocal.accounts import services as accounts
    from soclocal.accounts.models import Agency

    housing = accounts.create_agency(None, name="Trentside Test Housing", kind=Agency.Kind.HOUSING)
    org["housing"], org["housing_team"] = housing, accounts.create_team(
        None, agency=housing, name="Tenancy Support")
    make_user(Role.PRACTITIONER, agency="housing", username="housing.officer")
    make_user(Role.INTELLIGENCE_OFFICER, agency="police", username="intel")
    make_user(Role.INTELLIGENCE_OFFICER, agency="police", username="intel2")
    make_user(Role.PRACTITIONER, agency="youth", username="practitioner")
    from datetime import date

    from soclocal.partnership import services as partnership

    partnership.create_agreement(
        None, parties=list(Agency.objects.all()), title="Trentside tenancy enforcement",
        status="active", purposes="Tackling exploitation in social housing",
        lawful_bases="DPA 2018 Part 3", data_categories="Sanitised intelligence",
        retention_terms="Two years", review_on=date(2099, 1, 1), signatories="A. Signatory")

    # A housing officer shares a worry about a flat.
    as_user(page, "housing.officer")
    page.get_by_role("link", name="Intelligence").first.click()
    page.get_by_role("link", name="Share intelligence").click()
    page.wait_for_load_state()
    check(page)
    press(page, "Send")  # empty: errors, nothing lost
    assert "Say what you saw or heard" in page.content()
    check(page)
    page.get_by_label("What did you see or hear?").fill(
        f"Different cars call at flat 4 Example Court late at night; {ORIGINAL_DETAIL}.")
    page.get_by_label("Where?").fill("Flat 4 Example Court, Sneinton")
    page.get_by_label("When?").fill("Most nights last week")
    page.get_by_label("Who and what is involved?").fill("Alex Example, Sam Sample, a grey car")
    page.get_by_label("Someone who saw or heard it told me").check()
    page.get_by_label("Within a few days").check()
    press(page, "Send")
    assert page.locator("[data-status]").inner_text() == "Received"
    check(page)
    submission = Submission.objects.get()

    # An intelligence officer grades it 2/B/C with a condition.
    as_user(page, "intel")
    page.goto("/intelligence/")
    check(page)
    page.get_by_role("link", name=f"{submission.reference} from").click()
    page.get_by_role("link", name="Record and grade a report from this").click()
    page.wait_for_load_state()
    check(page)
    page.get_by_label("2: untested").check()
    page.get_by_label("B: known indirectly but corroborated").check()
    page.get_by_label("C: lawful sharing permitted with conditions").check()
    press(page, "Save the report")  # C without its conditions is refused
    assert "Write the conditions for sharing" in page.content()
    check(page)
    page.get_by_label("Conditions for sharing").fill(CONDITION)
    page.get_by_label("Disseminate").check()
    page.get_by_label("Reasons for the assessment").fill("Tenancy action can disrupt it")
    press(page, "Save the report")
    assert page.locator("[data-grade]").first.inner_text() == "2/B/C"
    assert CONDITION in page.locator("[data-conditions]").first.inner_text()
    check(page)
    report = IntelligenceReport.objects.get()
    report_url = page.url

    # Links two people and an address: search first, then record.
    page.get_by_role("link", name="People, places and links").click()
    page.get_by_label("Search people, places and things").fill("Example")
    press(page, "Search")
    assert "Nothing found" in page.content()
    check(page)
    record_entity(page, "Person", **{"Forenames": "Alex",
                                     "Surname": "Example"})
    record_entity(page, "Person", **{"Forenames": "Sam", "Surname": "Sample"})
    record_entity(page, "Address", Address="Flat 4 Example Court", Postcode="NG2 4AA")
    alex, sam = Entity.objects.get(surname="Example"), Entity.objects.get(surname="Sample")
    flat = Entity.objects.get(kind="address")
    page.get_by_label("From", exact=True).select_option(label=str(alex))
    page.get_by_label("Link", exact=True).select_option(label="Associate of")
    page.get_by_label("To", exact=True).select_option(label=str(sam))
    press(page, "Record the link")
    page.get_by_label("From", exact=True).select_option(label=str(alex))
    page.get_by_label("Link", exact=True).select_option(label="Occupies")
    page.get_by_label("To", exact=True).select_option(label=str(flat))
    page.get_by_label("From date").fill("2026-01-05")
    press(page, "Record the link")
    check(page)
    assert Link.objects.filter(reports=report).count() == 2
    # Searching again finds the person instead of making a duplicate.
    page.get_by_label("Search people, places and things").fill("Alex")
    press(page, "Search")
    assert page.get_by_role("button", name="Add Alex Example to the report").is_visible()

    # A sanitised version, which its author cannot approve.
    page.goto(report_url)
    page.get_by_role("link", name="Write a sanitised version").click()
    page.get_by_label("Sanitised text").fill(
        "Different cars are reported to call at flat 4 Example Court late at night.")
    press(page, "Save the sanitised version")
    assert "Waiting for a second officer" in page.content()
    assert page.get_by_role("button", name="Approve for release").count() == 0
    check(page)

    # A second officer reviews it and releases it to the housing association.
    as_user(page, "intel2")
    page.goto(report_url)
    press(page, "Approve for release")
    assert page.locator("[data-approved]").is_visible()
    page.get_by_role("link", name="Release to an agency").click()
    check(page)
    page.get_by_label("Release to").select_option(label="Trentside Test Housing")
    page.get_by_label("Purpose").fill("Tenancy enforcement at Example Court")
    page.get_by_label("Information-sharing agreement").select_option(index=1)
    press(page, "Save")
    assert "Released to Trentside Test Housing" in page.locator("main").inner_text()
    check(page)

    # The housing officer reads the sanitised text and the condition, never the original.
    as_user(page, "housing.officer")
    page.goto("/intelligence/")
    page.get_by_role("link", name=report.reference).click()
    page.wait_for_load_state()
    check(page)
    text = page.locator("main").inner_text()
    assert "reported to call at flat 4" in text and CONDITION in text and "2/B/C" in text
    assert ORIGINAL_DETAIL not in page.content()
    shared_url = page.url
    assert page.goto(report_url).status == 403

    # A practitioner at another agency gets a 404 for it.
    as_user(page, "practitioner")
    assert page.goto(shared_url).status == 404

    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"intelligence.submission.made", "intelligence.submission.viewed",
            "intelligence.report.created", "intelligence.entity.created",
            "intelligence.link.created", "intelligence.sanitised.created",
            "intelligence.sanitised.approved", "intelligence.release.made",
            "intelligence.sanitised.read", "access.denied"} <= actions
