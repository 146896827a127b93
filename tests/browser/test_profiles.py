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
