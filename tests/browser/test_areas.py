"""The area map and the neighbourhood picker in a real browser, under the strict CSP."""

import pytest

from soclocal.core.access import Role
from tests.browser.conftest import axe_violations, sign_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def csp_refusals(page):
    return [e for e in page.console_errors if "Content Security Policy" in e]


@pytest.fixture
def analyst(transactional_db, make_user):
    from soclocal.areas.demo import load_demo_geography

    load_demo_geography()
    return make_user(Role.ANALYST, username="mapper")


def test_area_page_map_is_drawn_and_accessible(page, analyst):
    sign_in(page, "mapper", PASSWORD)
    page.goto("/areas/ward/E05012287/")
    page.wait_for_selector("#area-map path.leaflet-interactive")
    assert page.locator("#area-map path.leaflet-interactive").count() == 11
    assert axe_violations(page) == []
    assert not csp_refusals(page)


def test_picking_areas_on_the_map_ticks_the_list(page, analyst):
    sign_in(page, "mapper", PASSWORD)
    page.goto("/areas/neighbourhoods/new/?within=lad/E06000018")
    page.wait_for_selector("#picker-map path.leaflet-interactive")
    assert page.locator('input[name="members"]:checked').count() == 0
    page.locator("#picker-map path.leaflet-interactive").nth(5).click(force=True)
    assert page.locator('input[name="members"]:checked').count() == 1
    assert page.locator("[data-picked-count]").inner_text() == "1 area chosen"
    assert axe_violations(page) == []
    page.get_by_label("Name", exact=True).fill("Picked on the map")
    page.get_by_role("button", name="Create neighbourhood").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Picked on the map"
    assert not csp_refusals(page)
