"""A Scottish profile in a real browser: a data zone map shaded by SIMD decile, axe-clean."""

import pytest

from soclocal.core.access import Role
from tests.browser.conftest import axe_violations, sign_in
from tests.conftest import PASSWORD
from tests.scotland import ORKNEY, SCOTLAND, load_scotland

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def orkney_profile(transactional_db, make_user, settings, tmp_path):
    from soclocal.crime.imports import import_paths
    from soclocal.demo_glasgow import synthetic_extract
    from soclocal.profiles.areas import find_area
    from soclocal.profiles.services import build_profile

    settings.DATA_DIR = tmp_path
    load_scotland()
    # The demo's synthetic extract, calibrated to these islands' SIMD crime counts.
    extract = synthetic_extract(tmp_path / "extract.csv",
                                SCOTLAND / "simd2020_scotland_dz11_indicators.csv")
    import_paths([extract])
    analyst = make_user(Role.ANALYST, username="scotprofiler")
    return build_profile(analyst, find_area(ORKNEY), "2024-01", "2024-12")


def test_scottish_profile_maps_data_zones_by_simd_decile_and_is_accessible(page,
                                                                           orkney_profile):
    sign_in(page, "scotprofiler", PASSWORD)
    page.goto(f"/profiles/{orkney_profile.pk}/")
    heading = page.locator("#deprivation-map")
    assert "Scottish Index of Multiple Deprivation 2020" in heading.inner_text()
    page.wait_for_selector("#deprivation-map-canvas path.leaflet-interactive")
    assert page.locator("#deprivation-map-canvas path.leaflet-interactive").count() == 29
    # Shaded by decile: the data zones take more than one of the legend's colours.
    fills = page.eval_on_selector_all(
        "#deprivation-map-canvas path.leaflet-interactive",
        "paths => [...new Set(paths.map(p => p.getAttribute('fill')))]")
    assert len(fills) > 1
    assert axe_violations(page) == []
    assert not [e for e in page.console_errors if "Content Security Policy" in e]
