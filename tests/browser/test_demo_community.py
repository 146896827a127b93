"""The demo's community pages in a real browser: a visitor bids in the process taking bids,
votes with a code the facilitator's page lists, sees the vote counted, and asks to join a
group; the facilitator sees what needs them on the home page. Every page accessible."""

import re

import pytest
from django.conf import settings as django_settings
from django.core import mail

from tests.browser.conftest import axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(settings):
    from soclocal.demo import load_people
    from soclocal.engagement.demo import load_demo_engagement

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    load_people()
    load_demo_engagement()


def test_a_visitor_bids_votes_and_asks_to_join_in_the_demo(page, demo):
    from soclocal.engagement.demo import BIDDING_SLUG, VOTING_SLUG

    page.goto("/community/")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Sneinton safer streets fund").click()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Make a bid").click()
    page.get_by_label("By email").check()
    page.get_by_label("Email address").fill("visitor@example.org")
    page.get_by_role("button", name="Send the code").click()
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    # A demo visitor has no inbox behind the address they typed: the page shows the code.
    assert page.locator(".govuk-inset-text").get_by_text(code, exact=True).is_visible()
    page.get_by_label("The code we sent you").fill(code)
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Name of your project").fill("Homework club")
    page.get_by_label("What it will do").fill("A quiet place to do homework after school")
    page.get_by_label("Name of your group").fill("Sneinton parents")
    page.get_by_label("Kind of group").select_option("Community group")
    page.get_by_label("Where it will happen").fill("Sneinton library")
    page.get_by_label("Amount you are asking for").fill("2000")
    page.get_by_role("button", name="Send the bid").click()
    assert page.get_by_role("heading", name="Bid sent").is_visible()
    assert page.url.endswith(f"/community/budgets/{BIDDING_SLUG}/bid/new/")

    # The facilitator's home page says what needs them; the process page lists codes to try.
    sign_in(page, "facilitator", django_settings.DEMO_PASSWORD)
    assert page.get_by_role("heading", name="What needs you today").is_visible()
    queue = page.locator(".app-work-list").inner_text()
    assert "3 bids waiting for a decision in Sneinton safer streets fund" in queue
    assert "St Ann's youth spaces vote" in queue and "asking to join" in queue
    assert axe_violations(page) == []
    page.get_by_role("link", name=re.compile("St Ann's youth spaces vote")).click()
    assert page.get_by_role("heading", name="Voter codes to try (demo only)").is_visible()
    assert axe_violations(page) == []
    voter_code = page.locator("#demo-codes code").first.inner_text()
    page.context.clear_cookies()

    page.goto(f"/community/budgets/{VOTING_SLUG}/")
    before = int(re.search(r"(\d+) votes? cast so far",
                           page.locator("#ballots-cast").inner_text()).group(1))
    page.get_by_role("link", name="Vote").click()
    assert axe_violations(page) == []
    page.get_by_label("Your voter code").fill(voter_code)
    page.get_by_label(re.compile("Lights on the walkways")).check()
    page.get_by_role("button", name="Cast my vote").click()
    assert page.get_by_role("heading", name="Your vote is counted").is_visible()
    assert f"{before + 1} votes cast so far, yours included" in page.content()
    assert axe_violations(page) == []
    page.get_by_role("link", name=re.compile("Back to")).click()
    assert f"{before + 1} votes cast so far" in page.locator("#ballots-cast").inner_text()

    # Asking to join a group: a mistake is explained and what was typed is kept.
    page.goto("/community/")
    page.get_by_role("link", name="ask to join St Ann's community voice").click()
    assert axe_violations(page) == []
    page.get_by_label("Your name").fill("Rosa")
    page.get_by_label("Email address or phone number").fill("rosa at home")
    page.get_by_role("button", name="Send my request").click()
    assert "Enter an email address, or a phone number" in page.locator(
        ".govuk-error-summary").inner_text()
    assert page.get_by_label("Your name").input_value() == "Rosa"
    assert axe_violations(page) == []
    page.get_by_label("Email address or phone number").fill("07700 900982")
    page.get_by_role("button", name="Send my request").click()
    assert page.get_by_role("heading", name="Request sent").is_visible()
    assert axe_violations(page) == []

    sign_in(page, "facilitator", django_settings.DEMO_PASSWORD)
    page.get_by_role("link", name=re.compile("residents asking to join")).click()
    assert "07700900982" in page.content()
    assert axe_violations(page) == []
    # The form with mistakes is answered 400 on purpose; nothing else may go wrong.
    assert [e for e in page.console_errors if "status of 400" not in e] == []
