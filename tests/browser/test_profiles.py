"""The profile page in a real browser: the map and charts draw, axe-core finds nothing serious."""

import pytest

from soclocal.core.access import Role
from tests.browser.conftest import axe_violations, sign_in
from tests.conftest import PASSWORD
from tests.profiles.conftest import write_store

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def ward_profile(transactional_db, make_user, settings, tmp_path):
    from soclocal.areas.demo import load_demo_geography
    from soclocal.areas.models import Area
    from soclocal.profiles.services import build_profile

    settings.DATA_DIR = tmp_path
    write_store(tmp_path)
    load_demo_geography()
    analyst = make_user(Role.ANALYST, username="profiler")
    make_user(Role.BOARD_MEMBER, username="chair")
    return build_profile(analyst, Area.objects.get(type="ward", code="E05012287"),
                         "2024-11", "2024-12")


def test_profile_page_draws_map_and_charts_and_is_accessible(page, ward_profile):
    sign_in(page, "profiler", PASSWORD)
    page.goto(f"/profiles/{ward_profile.pk}/")
    page.wait_for_selector("#profile-map path.leaflet-interactive")
    assert page.locator("#profile-map path.leaflet-interactive").count() >= 10
    images = page.locator("figure.app-chart img")
    assert images.count() >= 2
    assert all(page.evaluate("(img) => img.naturalWidth > 0", images.nth(i).element_handle())
               for i in range(images.count()))
    assert axe_violations(page) == []
    assert not [e for e in page.console_errors if "Content Security Policy" in e]


def test_board_member_sees_the_sharing_version(page, ward_profile):
    sign_in(page, "chair", PASSWORD)
    page.goto(f"/profiles/{ward_profile.pk}/")
    assert "Sharing version" in page.locator("#provenance").inner_text()
    assert axe_violations(page) == []


@pytest.fixture
def city_profile(transactional_db, make_user, settings, tmp_path):
    """Nottingham: 179 small areas, the size that once made a page 22,000 pixels long."""
    from soclocal.areas.demo import load_demo_geography
    from soclocal.areas.models import Area
    from soclocal.profiles.services import build_profile

    settings.DATA_DIR = tmp_path
    write_store(tmp_path)
    load_demo_geography()
    analyst = make_user(Role.ANALYST, username="cityprofiler")
    return build_profile(analyst, Area.objects.get(type="lad", code="E06000018"),
                         "2024-11", "2024-12")


def test_a_city_profile_is_a_short_report_with_every_area_one_click_away(page, city_profile):
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, "cityprofiler", PASSWORD)
    page.goto(f"/profiles/{city_profile.pk}/")
    page.wait_for_selector("#profile-map path.leaflet-interactive")
    assert page.evaluate("document.documentElement.scrollHeight") < 8000
    # The map is fitted to the area: the area's shapes fill most of the map's width or height.
    fill = page.evaluate("""() => {
        const map = document.querySelector('#profile-map').getBoundingClientRect();
        const shapes = document.querySelector('#profile-map .leaflet-overlay-pane svg g')
            .getBoundingClientRect();
        return Math.max(shapes.width / map.width, shapes.height / map.height);
    }""")
    assert fill > 0.8
    # Hotspots are outlined in blue, a colour the rate shading does not use.
    hot = city_profile.figures["hotspots"]["hot"]
    assert hot and page.locator("#profile-map path[stroke='rgb(29, 112, 184)']").count() == len(hot)
    every = page.locator("#all-areas table")
    assert not every.is_visible()
    page.get_by_text("Every small area (179): the full table").click()
    assert every.is_visible()
    assert every.locator("tbody tr").count() == 179
    # Sorting by the deprivation decile puts decile 1 first, then back again.
    every.get_by_role("button", name="Deprivation decile").click()
    first = every.locator("tbody tr").first.locator("td").nth(1).inner_text()
    assert first == "1"
    header = every.locator("thead th").nth(2)
    assert header.get_attribute("aria-sort") == "ascending"
    assert axe_violations(page) == []
    assert not [e for e in page.console_errors if "Content Security Policy" in e]


def test_the_soc_fractions_page_is_accessible(page, ward_profile):
    sign_in(page, "profiler", PASSWORD)
    page.goto("/profiles/soc-fractions/")
    page.get_by_label("Drugs: low (%)").fill("50")
    page.get_by_role("button", name="Save the fractions").click()
    assert "the low percentage must be no more than the central" in page.content()
    assert page.get_by_label("Drugs: low (%)").input_value() == "50"
    assert axe_violations(page) == []
