"""The data protection pages in a real browser: accessible, and the subject access form keeps
what was typed when no one matches."""

import pytest

from tests.browser.conftest import axe_violations, sign_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def admin(transactional_db):
    from soclocal.accounts.models import User
    from soclocal.demo import load_people, load_records_due

    load_people()
    load_records_due()
    user = User.objects.get(username="admin")
    user.set_password(PASSWORD)
    user.save()
    return user


def test_the_data_protection_pages_are_accessible(page, admin):
    sign_in(page, "admin", PASSWORD)
    page.get_by_role("link", name="Data protection").first.click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Record of processing").is_visible()
    assert page.get_by_text("bid-contacts").first.is_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Retention rules and what is due").click()
    page.wait_for_load_state()
    row = page.locator("tr", has_text="young-people")
    assert row.locator("td").last.inner_text().strip() == "1"
    assert axe_violations(page) == []
    page.goto("/data-protection/subject-access/")
    page.get_by_label("Whose records").fill("Case 99999")
    page.get_by_label("Request reference or purpose").fill("Test request")
    page.get_by_role("button", name="Make the export").click()
    page.wait_for_load_state()
    assert page.get_by_text("Nothing held matches").first.is_visible()
    assert page.get_by_label("Whose records").input_value() == "Case 99999"
    assert axe_violations(page) == []
    assert not [e for e in page.console_errors if "Content Security Policy" in e]
