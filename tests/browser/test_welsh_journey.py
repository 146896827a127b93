"""A resident switches the public pages to Welsh in a real browser and votes in Welsh; every
page passes axe-core in both languages and says which language it is in."""

import re
from decimal import Decimal

import pytest

from tests.browser.conftest import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def voting(db):
    from soclocal.budgeting import services
    from soclocal.budgeting.models import Bid, Process

    process = Process.objects.create(
        name="Ringland youth spaces vote", name_cy="Pleidlais lleoedd ieuenctid Ringland",
        description="Choose what the money is spent on.",
        description_cy="Dewiswch ar beth y caiff yr arian ei wario.",
        slug="ringland", budget=Decimal(8000), status=Process.Status.VOTING)
    Bid.objects.create(process=process, reference="1", title="Youth shelter",
                       title_cy="Lloches ieuenctid", cost=Decimal(3000),
                       status=Bid.Status.ACCEPTED)
    Bid.objects.create(process=process, reference="2", title="Boxing club", cost=Decimal(2500),
                       status=Bid.Status.ACCEPTED)
    return process, services.issue_voter_codes(None, process, 1)[0]


def test_switch_to_welsh_and_vote(page, voting):
    process, code = voting
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(f"/community/budgets/{process.slug}/")
    assert page.locator("html").get_attribute("lang") == "en-GB"
    assert axe_violations(page) == []

    page.get_by_role("link", name="Cymraeg").click()
    page.wait_for_url(f"**/community/budgets/{process.slug}/")  # the same page
    assert page.locator("html").get_attribute("lang") == "cy"
    assert page.get_by_role("heading", name="Pleidlais lleoedd ieuenctid Ringland").is_visible()
    assert page.get_by_role("link", name="English").get_attribute("lang") == "en-GB"
    assert axe_violations(page) == []

    page.get_by_role("link", name="Pleidleisio", exact=True).click()
    assert page.locator("html").get_attribute("lang") == "cy"  # remembered
    assert axe_violations(page) == []
    page.get_by_role("button", name="Bwrw fy mhleidlais").click()  # no code given
    assert "Rhowch eich cod pleidleisio." in page.locator(".govuk-error-summary").inner_text()
    assert axe_violations(page) == []
    page.get_by_label("Eich cod pleidleisio").fill(code)
    page.get_by_label(re.compile("Lloches ieuenctid")).check()
    page.get_by_label(re.compile("Boxing club")).check()  # no Welsh title: the English one
    page.get_by_role("button", name="Bwrw fy mhleidlais").click()
    assert page.get_by_role("heading", name="Mae eich pleidlais wedi'i chyfrif").is_visible()
    assert axe_violations(page) == []
    assert process.ballots.count() == 1

    page.get_by_role("link", name="English").click()
    assert page.get_by_role("heading", name="Your vote is counted").is_visible()
    assert page.locator("html").get_attribute("lang") == "en-GB"


def test_community_pages_pass_axe_in_both_languages(page, voting):
    for language in ("en-gb", "cy"):
        page.goto(f"/language/{language}/?next=/community/")
        for path in ("/community/", "/community/stories/", "/community/tell-us/",
                     "/community/budgets/ringland/results/"):
            page.goto(path)
            assert page.locator("html").get_attribute("lang") == (
                "cy" if language == "cy" else "en-GB")
            assert axe_violations(page) == [], (language, path)
