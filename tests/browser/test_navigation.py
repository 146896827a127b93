"""Every demo role signs in, sees only its navigation, and every page it can reach is accessible."""

from urllib.parse import urlsplit

import pytest
from django.conf import settings

from soclocal.core.access import Role, can
from soclocal.core.context_processors import NAVIGATION
from tests.browser.conftest import axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(transactional_db):
    from soclocal.demo import PEOPLE, load_demo

    load_demo()
    return {username: roles for username, *_rest, roles in PEOPLE}


def test_sign_in_page_is_accessible(page):
    page.goto("/sign-in/")
    assert page.title().startswith("Sign in")
    assert axe_violations(page) == []


def test_wrong_password_shows_an_error_summary(page, demo):
    sign_in(page, "analyst", "not-the-password")
    assert page.get_by_text("There is a problem").is_visible()
    assert axe_violations(page) == []


@pytest.mark.parametrize("username", ["admin", "analyst", "intel", "practitioner", "mentor",
                                      "manager", "facilitator", "board"])
def test_each_role_sees_its_navigation_and_every_reachable_page_is_accessible(page, demo, username):
    from soclocal.accounts.models import User

    sign_in(page, username, settings.DEMO_PASSWORD)
    assert urlsplit(page.url).path == "/"
    user = User.objects.get(username=username)
    nav = page.get_by_role("navigation", name="Menu")
    labels = [t.strip() for t in nav.locator("a").all_inner_texts()]
    # The notifications link carries the unread count ("Notifications 3 unread").
    from soclocal.core.notifications import unread_count

    unread = unread_count(user)
    labels = [" ".join(t.split()).removesuffix(f" {unread} unread") if unread else t
              for t in labels]
    expected = [label for label, _name, cap in NAVIGATION if cap is None or can(user, cap)]
    assert labels == expected
    assert Role.LABELS[demo[username][0]] in page.content()

    # Visit every page linked from the navigation and one step beyond, checking each with axe.
    seen, failures = set(), {}
    queue = ["/"] + [urlsplit(h).path for h in nav.locator("a").evaluate_all(
        "els => els.map(e => e.href)")]
    while queue and len(seen) < 40:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        if "text/html" not in page.request.get(path).headers.get("content-type", ""):
            continue  # a download (CSV, PDF, JSON), not a page
        response = page.goto(path)
        assert response.status == 200, (username, path, response.status)
        problems = axe_violations(page)
        if problems:
            failures[path] = problems
        if path.count("/") <= 2:  # follow links from top-level pages only
            for href in page.locator("main a[href^='/']").evaluate_all(
                    "els => els.map(e => e.getAttribute('href'))"):
                href = urlsplit(href).path
                if href not in seen and not href.startswith(("/sign-out", "/api/", "/static/")):
                    queue.append(href)
    assert failures == {}
    assert page.console_errors == []
