"""A manager's tools in a real browser, axe-clean: configuring the star, the report split by
period and area, and merging duplicates by search and pick."""

from datetime import date, datetime
from pathlib import Path

import pytest
from django.utils import timezone

from soclocal.core.access import Role
from tests.browser.conftest import axe_violations, sign_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def check(page):
    assert axe_violations(page) == [], page.url
    assert not [e for e in page.console_errors if "Content Security Policy" in e]


def click(page, name):
    page.get_by_role("button", name=name).click()
    page.wait_for_load_state()


@pytest.fixture
def manager(make_user):
    user = make_user(Role.MANAGER, username="boss")
    make_user(Role.PRACTITIONER, username="keyworker")
    return user


def test_configuring_a_star(page, manager, tmp_path):
    sign_in(page, "boss", PASSWORD)
    page.goto("/cases/")
    page.get_by_role("link", name="Outcomes stars").click()
    page.wait_for_load_state()
    check(page)
    page.get_by_role("link", name="Create a star").click()
    page.wait_for_load_state()
    page.get_by_label("Name", exact=True).fill("Short star")
    page.get_by_label("Lowest score", exact=True).fill("1")
    page.get_by_label("Highest score", exact=True).fill("4")
    page.get_by_label("Stage 1: name").fill("Starting")
    page.get_by_label("Stage 1: lowest score").fill("1")
    page.get_by_label("Stage 1: highest score").fill("2")
    page.get_by_label("Stage 2: name").fill("Growing")
    page.get_by_label("Stage 2: lowest score").fill("4")
    page.get_by_label("Stage 2: highest score").fill("4")
    page.get_by_label("Area 1 (optional)", exact=True).fill("Home")
    click(page, "Save the star")
    assert "Stage 2 (Growing) should start at 3" in page.content()
    assert page.get_by_label("Area 1 (optional)", exact=True).input_value() == "Home"
    check(page)
    page.get_by_label("Stage 2: lowest score").fill("3")
    click(page, "Save the star")
    assert "Short star is saved" in page.content(), page.locator("main").inner_text()
    page.locator("tr", has_text="Short star").get_by_role("button", name="Make active").click()
    page.wait_for_load_state()
    assert "New readings now use Short star" in page.content()
    check(page)

    row = page.locator("tr", has_text="Short star")
    row.get_by_role("link", name="Describe the stages").click()
    page.wait_for_load_state()
    check(page)
    page.get_by_label("Home: Starting").fill("Not yet settled")
    click(page, "Save the descriptions")

    page.locator("tr", has_text="Short star").get_by_role(
        "link", name="Upload licensed descriptors").click()
    page.wait_for_load_state()
    check(page)
    bad = Path(tmp_path) / "licence.csv"
    bad.write_text("area,score,descriptor\nHome,9,Off the scale\n", encoding="utf-8")
    page.get_by_label("Licensed descriptors file (CSV)").set_input_files(str(bad))
    click(page, "Upload")
    assert "licence.csv, line 2, field score" in page.content()
    check(page)


def test_report_split_by_month_and_ward(page, manager):
    from soclocal.areas.models import Area, AreaType
    from soclocal.cases import services
    from tests.cases.conftest import person_data, referral_data

    ward = Area.objects.create(type=AreaType.WARD, code="E05000009", name="Riverside")
    lsoa = Area.objects.create(type=AreaType.LSOA21, code="E01000009", name="Riverside 1",
                               ward=ward)
    year = timezone.localdate().year - 1
    for i, month in enumerate((1, 1, 2)):
        services.record_referral(
            manager, person={**person_data(first_name=f"Kid{i}"), "home_area": lsoa},
            received_at=timezone.make_aware(datetime(year, month, 10, 9)), **referral_data())
    sign_in(page, "boss", PASSWORD)
    page.goto("/cases/report/")
    page.get_by_label("Referrals from").fill(date(year, 1, 1).isoformat())
    page.get_by_label("Referrals to").fill(date(year, 3, 31).isoformat())
    page.get_by_label("Split by period").select_option("month")
    page.get_by_label("Split by the young person's home area").select_option("ward")
    click(page, "Show")
    table = page.locator("table[data-split=figures]")
    assert f"Jan {year}" in table.inner_text() and "Riverside" in table.inner_text()
    check(page)
    page.get_by_label("Sharing version (small numbers hidden)").check()
    click(page, "Show")
    assert "[c]" in page.locator("table[data-split=figures]").inner_text()
    check(page)


def test_merging_duplicates_by_search_and_pick(page, manager):
    from soclocal.cases import services
    from soclocal.cases.models import YoungPerson
    from tests.cases.conftest import person_data, referral_data

    for first, last in (("Jordan", "Smith"), ("Jordon", "Smith")):
        services.record_referral(manager, person=person_data(first_name=first, last_name=last),
                                 **referral_data())
    sign_in(page, "boss", PASSWORD)
    page.goto("/cases/merge/")
    check(page)
    assert "Jordon Smith" in page.locator("table[data-pairs]").inner_text()
    page.get_by_label("Young person's name").fill("Jordan Smith")
    click(page, "Search")
    check(page)
    for box in page.get_by_role("checkbox").all():
        box.check()
    click(page, "Compare the two records")
    assert page.locator("h1").inner_text() == "Compare two records"
    check(page)
    click(page, "Merge the records")
    assert "Say why these records are the same young person" in page.content()
    check(page)
    page.get_by_label("Keep Jordan Smith").check()
    page.get_by_label("Why these are the same person").fill("Same birthday, name misspelt")
    click(page, "Merge the records")
    assert "The records are merged into Jordan Smith" in page.content()
    assert YoungPerson.objects.get(first_name="Jordon").merged_into.first_name == "Jordan"
