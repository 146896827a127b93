"""An analyst uploads a police.uk file and watches the import finish, in a real browser."""

import pytest
from django.core.management import call_command

from soclocal.core.access import Role
from tests.browser.conftest import axe_violations, sign_in
from tests.conftest import PASSWORD
from tests.crime.conftest import NOTTS_JAN, data_lines

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def analyst(transactional_db, make_user, monkeypatch, tmp_path):
    # The store of this test's own (the settings fixture would not reach the server thread).
    from django.conf import settings

    monkeypatch.setattr(settings, "DATA_DIR", tmp_path)
    return make_user(Role.ANALYST, username="importer")


def test_analyst_uploads_a_file_and_sees_it_finish(page, analyst):
    sign_in(page, "importer", PASSWORD)
    page.goto("/crime/")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Import police.uk files").click()
    assert axe_violations(page) == []
    page.get_by_label("police.uk files").set_input_files(str(NOTTS_JAN))
    page.get_by_role("button", name="Import").click()
    page.wait_for_selector("#job-progress")
    assert axe_violations(page) == []
    # The worker runs the queued import; the job page then shows it finished.
    call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "*")
    page.wait_for_selector("#job-result:not([hidden])")
    assert page.locator("#job-status").inner_text() == "Finished" or \
        "Done" in page.locator("#job-status").inner_text()
    page.locator("#job-result-link").click()
    page.wait_for_selector("h1")
    assert f"{data_lines(NOTTS_JAN)}" in page.content()
    assert axe_violations(page) == []
