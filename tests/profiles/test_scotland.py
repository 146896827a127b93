"""Profiles of Scottish areas, from a Police Scotland extract over data zones and SIMD."""

import csv
import json

import pytest

from soclocal.cli import main
from soclocal.crime.imports import import_paths
from soclocal.crime.scotland import CRIME_GROUPS
from soclocal.profiles.analytics import compute_profile
from soclocal.profiles.areas import find_area
from tests.scotland import (
    ORKNEY,
    SCOTLAND,
    SHETLAND,
    load_scotland,
    lookup_rows,
    random_extract,
    write_extract,
)

MONTHS = [f"{y}-{m:02d}" for y in (2023, 2024) for m in range(1, 13)]


@pytest.fixture
def extract(db, settings, tmp_path):
    """Scottish geography and an extract written here, over both islands' data zones."""
    settings.DATA_DIR = tmp_path / "var"
    settings.DATA_DIR.mkdir()
    load_scotland()
    zones = [r["dz11_code"] for r in lookup_rows()]
    rows = random_extract(11, MONTHS, zones, CRIME_GROUPS, n=1500)
    import_paths([write_extract(tmp_path / "extract.csv", rows)])
    return rows


def independent_group_sums(rows, council, months):
    """Counts per crime group for a council's data zones, summed from the extract's rows
    with the lookup file alone."""
    council_of = {r["dz11_code"]: r["ltla20_code"] for r in lookup_rows()}
    sums = dict.fromkeys(CRIME_GROUPS, 0)
    for month, zone, group, _type, count in rows:
        if council_of[zone] == council and month in months:
            sums[group] += int(count)
    return sums


def test_council_area_counts_per_crime_group_equal_the_extract(extract, tmp_path):
    out = tmp_path / "orkney.json"
    assert main(["profile", ORKNEY, "--from", "2024-01", "--to", "2024-12", "--format",
                 "json", "--out", str(out)]) == 0
    figures = json.loads(out.read_text())
    expected = independent_group_sums(extract, ORKNEY, MONTHS[12:])
    assert figures["counts_by_crime_group"] == expected
    assert figures["total"] == sum(expected.values())


def test_a_type_not_in_the_published_list_is_counted_in_its_group(db, settings, tmp_path):
    """Bulletins rename categories ('Theft by opening lockfast places'): such a row is kept
    under the name the extract gives and counted in its group, never lost."""
    settings.DATA_DIR = tmp_path / "var"
    settings.DATA_DIR.mkdir()
    load_scotland()
    zones = [r["dz11_code"] for r in lookup_rows() if r["ltla20_code"] == ORKNEY]
    rows = random_extract(3, MONTHS[12:], zones, CRIME_GROUPS, n=200)
    rows += [["2024-03", zones[0], "Crimes of dishonesty", "Theft by opening lockfast places", 4],
             ["2024-04", zones[1], "Crimes of dishonesty", "Theft by  opening lockfast places",
              2]]
    import_paths([write_extract(tmp_path / "extract.csv", rows)])
    f = compute_profile(find_area(ORKNEY), "2024-01", "2024-12")
    assert f["counts_by_crime_group"] == independent_group_sums(rows, ORKNEY, MONTHS[12:])
    assert f["counts_by_crime_type"]["Theft by opening lockfast places"] == 6
    assert "Theft by opening lockfast places" in f["crime_groups"]["Crimes of dishonesty"]


def test_a_scottish_profile_reads_simd_and_compares_council_areas(extract):
    orkney = find_area(ORKNEY)
    f = compute_profile(orkney, "2024-01", "2024-12")
    assert f["nation"] == "scotland" and f["deprivation"]["index"] == "simd2020"
    with open(SCOTLAND / "simd2020_scotland_dz11.csv", newline="") as file:
        deciles = {r["dz11_code"]: int(r["IMD_decile"]) for r in csv.DictReader(file)}
    assert {r["code"]: r["imd_decile"] for r in f["lsoas"]} == {
        z: deciles[z] for z in (r["code"] for r in f["lsoas"])}
    assert len(f["lsoas"]) == 29
    by_decile = {d["decile"]: d["lsoas"] for d in f["deprivation"]["by_decile"]}
    assert sum(by_decile.values()) == 29
    assert "income" in f["deprivation"]["domains"]
    similar = [c for c in f["comparison"] if c["role"] == "similar"]
    assert [c["code"] for c in similar] == [SHETLAND]  # the only other council loaded
    # Rates per 1,000 from the extract's counts and SIMD's populations.
    area = f["comparison"][0]
    assert area["rate_total"] == round(1000 * f["total"] / f["area"]["population"], 2)
    # Two years loaded: the year-on-year test is run, per crime group.
    assert f["trend"]["available"]
    assert {c["crime_type"] for c in f["trend"]["year_on_year"]} == {*CRIME_GROUPS, "All crime"}
    assert f["hotspots"]["available"]
    assert set(f["harm"]["weight_sources"]) == set(f["crime_types"])
    assert f["actions_framework"] == "4ds"


def test_a_data_zone_is_compared_with_its_council_area(extract):
    zone = lookup_rows()[0]
    from soclocal.areas.models import Area

    f = compute_profile(Area.objects.get(code=zone["dz11_code"]), "2024-01", "2024-06")
    parent = next(c for c in f["comparison"] if c["role"] == "parent")
    assert parent["code"] == zone["ltla20_code"]
    assert parent["counts_by_crime_group"] == independent_group_sums(
        extract, zone["ltla20_code"], MONTHS[12:18])


def test_the_profile_page_maps_data_zones_by_simd_and_offers_the_4_ds(extract, make_user,
                                                                      client):
    from django.urls import reverse

    from soclocal.core.access import Role
    from soclocal.profiles.services import build_profile

    analyst = make_user(Role.ANALYST)
    version = build_profile(analyst, find_area(SHETLAND), "2024-01", "2024-12")
    client.force_login(analyst)
    page = client.get(reverse("profiles:profile", args=[version.pk])).content.decode()
    assert "Deprivation is measured by the Scottish Index of Multiple Deprivation 2020" in page
    assert 'id="deprivation-map-canvas"' in page and "data-area-map" in page
    assert "Police Scotland recorded crime extract" in page
    assert "The 4 Ps" not in page
    assert set(version.texts) >= {"divert", "deter", "detect", "disrupt", "develop"}
    assert "pursue" not in version.texts
    geo = client.get(reverse("profiles:geojson", args=[version.pk])).json()
    assert len(geo["features"]) == 30
    assert all(1 <= f["properties"]["imd_decile"] <= 10 for f in geo["features"])


def test_simds_crime_indicator_is_a_baseline_beside_the_extract(extract):
    f = compute_profile(find_area(ORKNEY), "2024-01", "2024-12")
    baseline = f["simd_crime"]
    assert baseline["available"]
    with open(SCOTLAND / "simd2020_scotland_dz11_indicators.csv", newline="") as file:
        published = {r["dz11_code"]: float(r["crime_count"]) for r in csv.DictReader(file)
                     if r["crime_count"] not in ("", "*")}  # '*': suppressed by SIMD
    assert published
    rows = {r["code"]: r for r in baseline["by_zone"]}
    assert {c: r["simd_count"] for c, r in rows.items() if r["simd_count"] is not None} == {
        c: round(published[c], 2) for c in rows if c in published}
    # A year of the extract (twelve months loaded) beside SIMD's count.
    assert all(r["extract_per_year"] == r["extract_count"] for r in rows.values())
    assert baseline["zones_with_both"] == sum(1 for c in rows if c in published)
    assert baseline["simd_total"] == pytest.approx(
        sum(round(published[c], 2) for c in rows if c in published), abs=0.05)


def test_the_demo_extract_is_calibrated_to_simd_crime_counts(tmp_path):
    from soclocal.demo_glasgow import MONTHS, SHARES, synthetic_extract

    indicators = SCOTLAND / "simd2020_scotland_dz11_indicators.csv"
    path = synthetic_extract(tmp_path / "x.csv", indicators)
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    with open(indicators, newline="") as f:
        published = {r["dz11_code"]: float(r["crime_count"]) for r in csv.DictReader(f)
                     if r["crime_count"] not in ("", "*")}
    years = len(MONTHS) / 12
    drawn = sum(int(r["count"]) for r in rows if r["data_zone"] in published) / years
    expected = sum(published.values()) * sum(SHARES.values())
    assert abs(drawn - expected) / expected < 0.05
    assert {r["crime_type"] for r in rows} <= {t for _g, t in SHARES}
    assert pytest.approx(1.0) == sum(SHARES.values())


def test_a_scottish_partnership_weighs_police_scotlands_crime_types_on_the_harm_weights_page(
        extract, make_user, client):
    from django.urls import reverse

    from soclocal.core.access import Role
    from soclocal.profiles import scotland
    from soclocal.profiles.selectors import current_weights
    from soclocal.profiles.services import build_profile, field_name

    analyst = make_user(Role.ANALYST)
    client.force_login(analyst)
    url = reverse("profiles:harm_weights")
    page = client.get(url).content.decode()
    assert "Police Scotland crime types" in page
    fraud = "Fraud"
    assert fraud in scotland.CRIME_TYPES and f'name="{field_name(fraud)}"' in page
    data = {field_name(t): str(w) for t, w in current_weights().items()}
    data[field_name(fraud)] = "abc"
    refused = client.post(url, data)
    assert refused.status_code == 200 and b"govuk-error-summary" in refused.content
    data[field_name(fraud)] = "123.5"
    assert client.post(url, data).status_code == 302
    version = build_profile(analyst, find_area(SHETLAND), "2024-01", "2024-12")
    assert scotland.current_weights()[fraud] == 123.5
    assert version.figures["harm"]["weights"][fraud] == 123.5


def test_a_partnership_with_no_scottish_areas_weighs_only_police_uk_types(db, make_user, client):
    from django.urls import reverse

    from soclocal.core.access import Role
    from soclocal.crime.store import CRIME_TYPES
    from soclocal.profiles.forms import HarmWeightsForm

    assert [f.label for f in HarmWeightsForm().fields.values()] == list(CRIME_TYPES)
    client.force_login(make_user(Role.ANALYST))
    assert b"Police Scotland" not in client.get(reverse("profiles:harm_weights")).content
