"""The vulnerability map and ranked table, and the NRM pages, in a real browser."""

import pytest

from tests.browser.conftest import axe_violations, sign_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(transactional_db):
    from django.conf import settings

    from soclocal.areas.demo import load_demo_geography
    from soclocal.demo import load_people
    from soclocal.safeguarding.demo import load_demo_safeguarding

    load_demo_geography()
    load_people()
    load_demo_safeguarding()
    from soclocal.accounts.models import User

    for user in User.objects.filter(username__in=["analyst", "social.worker"]):
        user.set_password(PASSWORD)
        user.save()
    return settings


def test_the_index_map_and_table_are_drawn_and_accessible(page, demo):
    from soclocal.areas.models import Area

    sign_in(page, "analyst", PASSWORD)
    page.goto("/vulnerability/?level=small&period=2025")
    lsoas = Area.objects.filter(type="lsoa21", lad__code="E06000018").count()
    page.wait_for_selector("#index-map path.leaflet-interactive")
    assert page.locator("#index-map path.leaflet-interactive").count() == lsoas
    assert page.locator("#index-table tbody tr").count() == lsoas
    assert page.locator("#index-table tbody tr").first.locator("td").first.inner_text() == "1"
    assert axe_violations(page) == []
    assert not [e for e in page.console_errors if "Content Security Policy" in e]
    page.goto("/vulnerability/indicators/")
    assert axe_violations(page) == []
    page.goto("/vulnerability/upload/")
    assert axe_violations(page) == []
    page.goto("/vulnerability/nrm/report/")
    assert page.locator("#force-table tbody tr").count() == 7
    assert axe_violations(page) == []


def test_nrm_pages_are_accessible(page, demo):
    sign_in(page, "social.worker", PASSWORD)
    page.goto("/vulnerability/nrm/")
    assert page.locator("#nrm-table tbody tr").count() >= 3
    assert axe_violations(page) == []
    page.locator("#nrm-table a").first.click()
    page.wait_for_load_state()
    assert "NRM referral" in page.locator(".govuk-caption-l").inner_text()
    assert axe_violations(page) == []
    page.goto("/vulnerability/nrm/new/")
    assert axe_violations(page) == []
