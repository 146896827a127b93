"""Participatory budgeting in a real browser: bid, moderate, vote, results; every page
accessible, on a phone-sized screen for the public pages."""

import re
from decimal import Decimal

import pytest
from django.core import mail

from soclocal.core.access import Role
from tests.browser.conftest import axe_violations, sign_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_bid_moderate_vote_and_see_results(page, make_user, settings):
    from soclocal.budgeting import services
    from soclocal.budgeting.models import Process

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    facilitator = make_user(Role.COMMUNITY_FACILITATOR, username="facilitator")
    process = services.create_process(facilitator, name="Youth fund", budget=Decimal(5000),
                                      status=Process.Status.BIDDING)
    page.set_viewport_size({"width": 375, "height": 740})

    page.goto(f"/community/budgets/{process.slug}/")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Make a bid").click()
    page.get_by_label("By text message to a mobile").check()
    page.get_by_label("Mobile number").fill("0115 915 5555")
    page.get_by_role("button", name="Send the code").click()
    assert "UK mobile numbers start 07" in page.locator(".govuk-error-summary").inner_text()
    assert axe_violations(page) == []
    page.get_by_label("By email").check()
    page.get_by_label("Email address").fill("group@example.org")
    page.get_by_role("button", name="Send the code").click()
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    page.get_by_label("The code we sent you").fill(code)
    page.get_by_role("button", name="Continue").click()
    assert axe_violations(page) == []
    page.get_by_label("Name of your project").fill("Friday football")
    page.get_by_label("What it will do").fill("Floodlit football with youth workers")
    page.get_by_label("Name of your group").fill("Meadows Youth")
    page.get_by_label("Where it will happen").fill("The Meadows")
    page.get_by_label("Amount you are asking for").fill("9000")
    page.get_by_role("button", name="Send the bid").click()
    assert page.locator(".govuk-error-summary").is_visible()
    assert axe_violations(page) == []
    page.get_by_label("Amount you are asking for").fill("3000")
    page.get_by_role("button", name="Send the bid").click()
    assert page.get_by_role("heading", name="Bid sent").is_visible()

    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, "facilitator", PASSWORD)
    page.goto(f"/budgeting/{process.pk}/")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Moderate bid 1").click()
    assert axe_violations(page) == []
    page.get_by_label("Put it on the ballot").check()
    page.get_by_role("button", name="Save decision").click()
    assert "is on the ballot" in mail.outbox[-1].subject
    services.update_process(facilitator, Process.objects.get(pk=process.pk),
                            status=Process.Status.VOTING)
    voter_code = services.issue_voter_codes(facilitator, process, 1)[0]
    page.goto(f"/budgeting/{process.pk}/codes/")
    assert voter_code in page.content()
    assert axe_violations(page) == []
    page.context.clear_cookies()

    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(f"/community/budgets/{process.slug}/vote/")
    assert axe_violations(page) == []
    page.get_by_label("Your voter code").fill(voter_code)
    page.get_by_label(re.compile("Friday football")).check()
    page.get_by_role("button", name="Cast my vote").click()
    assert page.get_by_role("heading", name="Your vote is counted").is_visible()
    page.goto(f"/community/budgets/{process.slug}/vote/")
    page.get_by_label("Your voter code").fill(voter_code)
    page.get_by_role("button", name="Cast my vote").click()
    assert "already been used" in page.locator(".govuk-error-summary").inner_text()
    assert axe_violations(page) == []

    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, "facilitator", PASSWORD)
    page.goto(f"/budgeting/{process.pk}/results/")
    page.get_by_role("button", name="Compute the result now").click()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Publish the result").click()
    page.context.clear_cookies()
    page.goto(f"/community/budgets/{process.slug}/results/")
    assert "1 people voted" in page.content() or "1 person voted" in page.content()
    assert "Friday football" in page.content()
    assert axe_violations(page) == []
    assert not [e for e in page.console_errors if "Content Security Policy" in e]


def test_engagement_pages_are_accessible(page, make_user):
    from soclocal.engagement.demo import load_demo_engagement
    from soclocal.engagement.models import CommunityGroup, Event, Story

    make_user(Role.COMMUNITY_FACILITATOR, username="facilitator")
    load_demo_engagement()
    # The café already held (the demo also has one to come).
    cafe = Event.objects.filter(kind=Event.Kind.WORLD_CAFE).order_by("date").first()
    story = Story.objects.filter(status=Story.Status.PUBLISHED).first()
    page.goto("/community/")
    assert axe_violations(page) == []
    page.goto(f"/community/stories/{story.pk}/")
    assert axe_violations(page) == []
    sign_in(page, "facilitator", PASSWORD)
    for url in ("/engagement/", f"/engagement/events/{cafe.pk}/",
                f"/engagement/events/{cafe.pk}/seating/", "/engagement/report/",
                f"/engagement/groups/{CommunityGroup.objects.get().pk}/",
                f"/engagement/stories/{story.pk}/", "/budgeting/"):
        page.goto(url)
        assert axe_violations(page) == [], url
    assert not [e for e in page.console_errors if "Content Security Policy" in e]
