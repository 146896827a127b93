"""A resident tells the partnership what they know in a real browser: the form and the
thank-you page are accessible, and the thank-you page shows only the reference."""

import pytest

from tests.browser.conftest import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def force(db):
    from soclocal.accounts import services
    from soclocal.accounts.models import Agency

    services.get_or_create_partnership("Test partnership")
    services.create_agency(None, name="Test Police", kind=Agency.Kind.POLICE)


def test_a_resident_reports_anonymously_and_sees_only_a_reference(page, force):
    from soclocal.intelligence.models import Submission

    page.goto("/community/")
    page.get_by_role("link", name="Tell the partnership what you know").click()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Send").click()  # nothing filled in
    assert page.get_by_text("Say what is happening").first.is_visible()
    assert axe_violations(page) == []
    page.get_by_label("What is happening?").fill("Young lads sent to the flats with packages")
    page.get_by_label("Where is it happening?").fill("Example Court, Sneinton")
    page.get_by_label("When does it happen?").fill("After school most days")
    page.get_by_label("Someone who saw or heard it told me").check()
    page.get_by_label("Urgent: someone may be at risk now").check()
    page.get_by_label("A child or young person may be at risk").check()
    page.wait_for_timeout(3100)  # a person takes longer than the form's minimum time
    page.get_by_role("button", name="Send").click()
    page.wait_for_url("**/community/tell-us/sent/")
    sent = Submission.objects.get()
    assert sent.urgent_safeguarding and sent.source == "community"
    body = page.content()
    assert sent.reference in body and "Example Court" not in body and "packages" not in body
    assert axe_violations(page) == []
