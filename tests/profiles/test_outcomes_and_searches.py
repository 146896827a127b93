"""The outcomes mix and stop and search sections, with police.uk outcomes and stop and search
files loaded, against counts made here from the same files."""

import csv
import json
from collections import Counter
from pathlib import Path

import pytest
from django.urls import reverse

from soclocal.core.access import Role
from soclocal.core.disclosure import MARK
from soclocal.crime.imports import import_paths
from soclocal.profiles import services
from soclocal.profiles.exports import render_file

CRIME = Path(__file__).resolve().parents[1] / "fixtures" / "crime"
STREET = CRIME / "2023-01-nottinghamshire-street.csv"
OUTCOMES = CRIME / "2023-01-nottinghamshire-outcomes.csv"
SEARCHES = CRIME / "2023-01-nottinghamshire-stop-and-search.csv"
ASHFIELD = "E07000170"  # where the fixture months place nearly every row


def rows(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture
def built(settings, tmp_path, geography, make_user):
    from soclocal.areas.models import Area

    settings.DATA_DIR = tmp_path
    import_paths([str(STREET), str(OUTCOMES), str(SEARCHES)])
    analyst = make_user(Role.ANALYST)
    area = Area.objects.get(type="lad", code=ASHFIELD)
    return area, analyst, services.build_profile(analyst, area, "2023-01", "2023-01")


def expected_outcomes(area):
    from soclocal.areas.selectors import lsoas_of

    codes = set(lsoas_of(area).values_list("code", flat=True))
    return Counter(r["Outcome type"] for r in rows(OUTCOMES) if r["LSOA code"] in codes)


def expected_searches(area):
    """Searches whose point falls inside one of the area's LSOA boundaries."""
    from shapely.geometry import Point, shape
    from shapely.ops import unary_union

    from soclocal.areas.selectors import lsoas_of

    outline = unary_union([shape(json.loads(g)) for g in
                           lsoas_of(area).values_list("geometry", flat=True) if g])
    inside = [r for r in rows(SEARCHES) if r["Longitude"] and outline.contains(
        Point(float(r["Longitude"]), float(r["Latitude"])))]
    return (Counter(r["Object of search"] or "Not recorded" for r in inside),
            Counter(r["Outcome"] or "Not recorded" for r in inside))


def test_outcomes_mix_counts_and_shares(built):
    area, _analyst, version = built
    expected = expected_outcomes(area)
    outcomes = version.figures["outcomes"]
    assert outcomes["outcomes_file"] == dict(expected)
    total = sum(expected.values())
    assert outcomes["outcomes_file_total"] == total > 20
    no_suspect = "Investigation complete; no suspect identified"
    assert expected[no_suspect] > 0
    assert outcomes["outcomes_file_share"][no_suspect] == round(
        100 * expected[no_suspect] / total, 1)
    assert sum(outcomes["outcomes_file_share"].values()) == pytest.approx(100, abs=0.5)


def test_stop_and_search_by_object_and_outcome(built):
    area, _analyst, version = built
    by_object, by_outcome = expected_searches(area)
    searches = version.figures["stop_search"]
    assert searches["by_object"] == dict(by_object)
    assert searches["by_outcome"] == dict(by_outcome)
    assert searches["total"] == sum(by_object.values()) > 10


def test_the_json_file_and_the_page_show_both_sections(built, client):
    area, analyst, version = built
    figures = json.loads(render_file(version, "json", sharing=False)[0])
    assert figures["outcomes"]["outcomes_file"] == dict(expected_outcomes(area))
    assert figures["stop_search"]["by_object"] == dict(expected_searches(area)[0])
    client.force_login(analyst)
    page = client.get(reverse("profiles:profile", args=[version.pk])).content.decode()
    for table in ("outcomes-mix", "stop-search-object", "stop-search-outcome"):
        assert f'id="{table}"' in page
    no_suspect = "Investigation complete; no suspect identified"
    share = version.figures["outcomes"]["outcomes_file_share"][no_suspect]
    assert no_suspect in page and f">{share}<" in page
    for obj in expected_searches(area)[0]:
        assert obj in page


def test_the_sharing_version_hides_small_counts_in_both_sections(built):
    _area, _analyst, version = built
    shared = json.loads(render_file(version, "json", sharing=True)[0])
    full = version.figures
    for section, table in (("outcomes", "outcomes_file"), ("stop_search", "by_object"),
                           ("stop_search", "by_outcome")):
        original, hidden = full[section][table], shared[section][table]
        small = [k for k, n in original.items() if 0 < n < 5]
        assert small, f"the fixture has small counts in {table}"
        for key in small:
            assert hidden[key] == MARK
        for key, n in original.items():
            assert hidden[key] in (n, MARK)
    shares = shared["outcomes"]["outcomes_file_share"]
    for key, n in shared["outcomes"]["outcomes_file"].items():
        if n == MARK:
            assert shares[key] == MARK


def test_the_csv_zip_has_both_tables(built):
    import io
    import zipfile

    area, _analyst, version = built
    content = render_file(version, "csv", sharing=False)[0]
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        recorded = list(csv.DictReader(io.StringIO(z.read("outcomes_recorded.csv").decode())))
        searches = list(csv.DictReader(io.StringIO(z.read("stop_search.csv").decode())))
    assert {r["outcome_type"]: int(r["count"]) for r in recorded} == dict(
        expected_outcomes(area))
    assert {r["value"]: int(r["searches"]) for r in searches
            if r["breakdown"] == "object_of_search"} == dict(expected_searches(area)[0])
