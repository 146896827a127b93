"""Profile figures against independent computations over the same police.uk CSVs."""

import csv
from collections import Counter

import pytest

from soclocal.crime.store import CRIME_TYPES
from soclocal.profiles.analytics import (
    DEFAULT_HARM_WEIGHTS,
    SOC_TYPES,
    compute_profile,
)

from .conftest import fixture_csvs

NOTTINGHAM = "E06000018"


def raw_rows(months):
    for path in fixture_csvs():
        if path.name[:7] not in months:
            continue
        with open(path, newline="") as f:
            yield from csv.DictReader(f)


def lsoa_codes_of(area):
    from soclocal.areas.selectors import lsoas_of

    return set(lsoas_of(area).values_list("code", flat=True))


@pytest.fixture
def nottingham(geography, crime_store):
    from soclocal.areas.models import Area

    return Area.objects.get(type="lad", code=NOTTINGHAM)


@pytest.fixture
def profile(nottingham):
    return compute_profile(nottingham, "2024-11", "2024-12")


def test_counts_for_a_local_authority_match_the_raw_rows_in_its_lsoas(nottingham, profile):
    codes = lsoa_codes_of(nottingham)
    expected = Counter(r["Crime type"] for r in raw_rows({"2024-11", "2024-12"})
                       if r["LSOA code"] in codes)
    assert set(profile["counts_by_crime_type"]) == set(CRIME_TYPES)
    for crime_type in CRIME_TYPES:
        assert profile["counts_by_crime_type"][crime_type] == expected.get(crime_type, 0)
    assert profile["total"] == sum(expected.values()) > 1000


def test_rows_without_an_lsoa_count_only_in_the_force_total(profile):
    rows = list(raw_rows({"2024-11", "2024-12"}))
    force = profile["force_totals"][0]
    assert force["total"] == len(rows)
    assert force["without_lsoa"] == sum(1 for r in rows if not r["LSOA code"]) > 0


def test_rates_and_harm_by_hand(nottingham, profile):
    from soclocal.areas.selectors import lsoas_of

    population = sum(p or 0 for p in lsoas_of(nottingham).values_list("population", flat=True))
    assert profile["area"]["population"] == population
    robbery = profile["counts_by_crime_type"]["Robbery"]
    assert profile["rates_per_1000"]["Robbery"] == round(1000 * robbery / population, 2)
    harm = sum(n * DEFAULT_HARM_WEIGHTS[t] for t, n in profile["counts_by_crime_type"].items())
    assert profile["harm"]["total"] == pytest.approx(harm, abs=0.01)
    soc = sum(profile["counts_by_crime_type"][t] * DEFAULT_HARM_WEIGHTS[t] for t in SOC_TYPES)
    assert profile["soc"]["share_of_harm"] == pytest.approx(100 * soc / harm, abs=0.01)


def test_configured_weights_are_used_and_printed(nottingham):
    figures = compute_profile(nottingham, "2024-12", "2024-12", weights={"Shoplifting": 50})
    assert figures["harm"]["weights"]["Shoplifting"] == 50
    assert figures["harm"]["by_crime_type"]["Shoplifting"] == pytest.approx(
        50 * figures["counts_by_crime_type"]["Shoplifting"])


def test_a_ward_by_hand_and_its_parent_is_the_authority(geography, crime_store):
    from soclocal.areas.models import Area

    ward = Area.objects.get(type="ward", code="E05012287")  # St Ann's
    figures = compute_profile(ward, "2024-12", "2024-12")
    codes = lsoa_codes_of(ward)
    expected = Counter(r["Crime type"] for r in raw_rows({"2024-12"}) if r["LSOA code"] in codes)
    assert figures["counts_by_crime_type"] == {t: expected.get(t, 0) for t in CRIME_TYPES}
    roles = [c["role"] for c in figures["comparison"]]
    assert roles[:2] == ["area", "parent"] and figures["comparison"][1]["code"] == NOTTINGHAM
    similar = [c for c in figures["comparison"] if c["role"] == "similar"]
    assert 3 <= len(similar) <= 5 and all(c["type"] == "ward" for c in similar)
    mine = figures["area"]["imd_score"]
    others = [abs(c["imd_score"] - mine) for c in similar]
    assert others == sorted(others)


def test_year_on_year_change_uses_the_same_months_a_year_earlier(profile):
    trend = profile["trend"]
    assert trend["available"]
    every = {c["crime_type"]: c for c in trend["year_on_year"]}["All crime"]
    codes_total = profile["total"]
    assert every["current"] == codes_total
    assert [m["month"] for m in trend["monthly"]] == ["2024-11", "2024-12"]
    for change in trend["year_on_year"]:
        assert change["flag"] in (None, "up", "down")
        if change["flag"]:
            assert change["q_value"] < 0.05


def test_deprivation_correlation_and_deciles(profile):
    from scipy import stats

    rows = [r for r in profile["lsoas"] if r["imd_score"] is not None and r["rate"] is not None]
    s = stats.spearmanr([r["imd_score"] for r in rows], [r["rate"] for r in rows])
    assert profile["deprivation"]["spearman"]["r"] == pytest.approx(s.statistic, abs=1e-3)
    assert sum(d["count"] for d in profile["deprivation"]["by_decile"]) == sum(
        r["count"] for r in profile["lsoas"] if r["imd_decile"])


def test_repeat_locations_by_hand(profile, nottingham):
    codes = lsoa_codes_of(nottingham)
    points = Counter((r["LSOA code"], r["Longitude"], r["Latitude"])
                     for r in raw_rows({"2024-11", "2024-12"})
                     if r["LSOA code"] in codes and r["Longitude"])
    repeats = Counter()
    for (code, _x, _y), n in points.items():
        if n >= 2:
            repeats[code] += n
    top = profile["repeat_locations"][0]
    assert top["repeat_incidents"] == max(repeats.values())
    assert repeats[top["code"]] == top["repeat_incidents"]


def test_a_set_of_lsoa_codes_can_be_profiled(geography, crime_store):
    codes = {"E01013810", "E01013811"}
    figures = compute_profile(codes, "2024-12", "2024-12")
    expected = sum(1 for r in raw_rows({"2024-12"}) if r["LSOA code"] in codes)
    assert figures["total"] == expected
    assert figures["area"]["type"] == "lsoa_set"


def test_the_source_checksum_changes_when_one_row_changes(geography, settings, tmp_path):
    from .conftest import write_store

    codes = {"E01013810", "E01013811"}
    settings.DATA_DIR = tmp_path / "before"
    write_store(settings.DATA_DIR)
    before = {s["month"]: s["checksum"] for s in compute_profile(codes, "2024-11", "2024-12")["source"]}
    changed = tmp_path / "csv" / "2024-12-nottinghamshire-street.csv"
    changed.parent.mkdir()
    original = [p for p in fixture_csvs() if p.name.startswith("2024-12")][0]
    lines = original.read_text().splitlines(keepends=True)
    row = lines[1]
    swap = "Shoplifting" if "Shoplifting" not in row else "Burglary"
    for crime_type in CRIME_TYPES:
        if f",{crime_type}," in row and crime_type != swap:
            lines[1] = row.replace(f",{crime_type},", f",{swap},", 1)
            break
    assert lines[1] != row
    changed.write_text("".join(lines))
    settings.DATA_DIR = tmp_path / "after"
    write_store(settings.DATA_DIR, [changed if p == original else p for p in fixture_csvs()])
    after = {s["month"]: s["checksum"] for s in compute_profile(codes, "2024-11", "2024-12")["source"]}
    assert before["2024-11"] == after["2024-11"]
    assert before["2024-12"] != after["2024-12"]
