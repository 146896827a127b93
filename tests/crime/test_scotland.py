"""Police Scotland extracts: recognised from the header, checked row by row, imported all or
nothing into the crime store by month, republished months replaced."""

import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from soclocal.cli import main
from soclocal.crime import store
from soclocal.crime.imports import CrimeImportFailed, import_paths
from soclocal.crime.scotland import CRIME_GROUPS, check_row, recognises
from tests.scotland import load_scotland, lookup_rows, random_extract, write_extract

from .conftest import NOTTS_JAN


@pytest.fixture
def scotland(db, data_dir):
    load_scotland("dz11_iz11_ltla20.csv", "dz11.geojson")
    return [r["dz11_code"] for r in lookup_rows()]


def stored():
    con = store.connect()
    try:
        return sorted(con.execute(
            "SELECT month, data_zone, crime_group, crime_type, sum(count) FROM recorded_counts "
            "GROUP BY ALL").fetchall())
    finally:
        con.close()


def sums(rows):
    totals = {}
    for month, zone, group, crime_type, count in rows:
        key = (month, zone, group, crime_type)
        totals[key] = totals.get(key, 0) + int(count)
    return sorted((*k, v) for k, v in totals.items())


def test_an_extract_is_recognised_and_imported_by_month(scotland, work, capsys):
    rows = random_extract(1, ["2024-01", "2024-02"], scotland, CRIME_GROUPS)
    path = write_extract(work / "extract.csv", rows)
    assert main(["import", "crime", str(path)]) == 0
    assert "recorded_counts police-scotland 2024-01 to 2024-02" in capsys.readouterr().out
    assert stored() == sums(rows)
    held = {(p["force"], p["month"]) for p in store.partitions("recorded_counts")}
    assert held == {("police-scotland", "2024-01"), ("police-scotland", "2024-02")}


def test_police_uk_and_scottish_files_share_one_import(scotland, work):
    extract = write_extract(work / "scotland.csv", random_extract(2, ["2023-01"], scotland,
                                                                   CRIME_GROUPS, n=20))
    import_paths([NOTTS_JAN, extract])
    con = store.connect()
    assert con.execute("SELECT count(*) FROM street").fetchone()[0] > 0
    assert con.execute("SELECT count(*) FROM recorded_counts").fetchone()[0] == 20


def test_a_republished_month_replaces_the_old(scotland, work):
    first = random_extract(3, ["2024-01", "2024-02"], scotland, CRIME_GROUPS)
    import_paths([write_extract(work / "first.csv", first)])
    again = random_extract(4, ["2024-02"], scotland, CRIME_GROUPS, n=50)
    import_paths([write_extract(work / "again.csv", again)])
    assert stored() == sums([r for r in first if r[0] == "2024-01"] + again)


def test_points_are_placed_in_data_zones(scotland, work):
    import shapely

    from soclocal.areas.models import Area

    zone = Area.objects.get(code=scotland[0])
    point = shapely.point_on_surface(shapely.from_geojson(zone.geometry))
    path = write_extract(work / "points.csv",
                         [["2024-03", point.y, point.x, "Crimes against society",
                           "Drugs - Supply", 4]],
                         header=["month", "latitude", "longitude", "crime_group", "crime_type",
                                 "count"])
    import_paths([path])
    assert stored() == [("2024-03", zone.code, "Crimes against society", "Drugs - Supply", 4)]


@pytest.mark.parametrize("column,value,field,words", [
    (1, "S01999999", "data_zone", "not in the loaded geography"),
    (1, "E01000001", "data_zone", "is not a data zone code"),
    (2, "Organised crime", "crime_group", "is not one of the Scottish Government's crime groups"),
    (3, "Shoplifting", "crime_type", "is a crime type of Crimes of dishonesty"),
    (3, " ", "crime_type", "the crime type is empty"),
    (0, "2024-13", "month", "is not a month written YYYY-MM"),
    (0, "Jan 2024", "month", "is not a month written YYYY-MM"),
    (4, "-2", "count", "is negative"),
    (4, "2.5", "count", "is not a whole number"),
])
def test_a_bad_row_fails_with_file_line_and_reason_and_changes_nothing(
        scotland, work, column, value, field, words):
    good = random_extract(5, ["2024-01"], scotland, CRIME_GROUPS, n=30)
    import_paths([write_extract(work / "good.csv", good)])
    before = stored()
    rows = random_extract(6, ["2024-01", "2024-02"], scotland, CRIME_GROUPS, n=30)
    rows[6] = ["2024-01", scotland[0], "Non-sexual crimes of violence", "Robbery", 1]
    rows[6][column] = value
    bad = write_extract(work / "bad.csv", rows)
    with pytest.raises(CrimeImportFailed) as failed:
        import_paths([bad])
    problem = failed.value.errors[0]
    assert (problem.file, problem.line, problem.field) == ("bad.csv", 8, field)
    assert words in problem.reason
    assert stored() == before


def test_without_data_zones_loaded_the_extract_is_refused(db, data_dir, work):
    path = write_extract(work / "x.csv", [["2024-01", "S01012345", "Sexual crimes",
                                           "Sexual assault", 1]])
    with pytest.raises(CrimeImportFailed) as failed:
        import_paths([path])
    assert "no Scottish data zones are loaded" in failed.value.errors[0].reason


def test_the_layout_is_recognised_from_its_header():
    assert recognises(["month", "data_zone", "crime_group", "crime_type", "count"])
    assert recognises(["Month", "Latitude", "Longitude", "Crime group", "Crime type", "Count"])
    assert not recognises(["month", "crime_group", "crime_type", "count"])
    assert not recognises(["Crime ID", "Month", "Reported by", "Falls within", "Longitude",
                           "Latitude", "Location", "LSOA code", "LSOA name", "Crime type",
                           "Last outcome category", "Context"])


# ---------------------------------------------------------------- the row parser

ZONES = {"S01012345", "S01000001"}
PAIRS = [(g, t) for g, types in CRIME_GROUPS.items() for t in types]
months = st.builds(lambda y, m: f"{y:04d}-{m:02d}", st.integers(2000, 2099),
                   st.integers(1, 12))


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(month=months, zone=st.sampled_from(sorted(ZONES)), pair=st.sampled_from(PAIRS),
       count=st.integers(0, 10**6), shout=st.booleans())
def test_every_good_row_is_read_as_written(month, zone, pair, count, shout):
    group, crime_type = pair
    written = {"month": month, "data_zone": zone.lower() if shout else zone,
               "crime_group": group.upper() if shout else group,
               "crime_type": crime_type.replace(" and ", " & ") if shout else crime_type,
               "count": str(count)}
    row, problems = check_row(written, ZONES)
    assert problems == []
    assert (row.month, row.data_zone, row.crime_group, row.crime_type, row.count) == (
        month, zone, group, crime_type, count)


text = st.text(alphabet=string.printable, max_size=20)


@given(values=st.fixed_dictionaries({"month": text, "data_zone": text, "crime_group": text,
                                     "crime_type": text, "count": text}))
def test_any_row_is_either_read_or_refused_with_reasons(values):
    row, problems = check_row(values, ZONES)
    assert (row is None) == bool(problems)
    for field, reason in problems:
        assert field in values and reason
    if row is not None:
        assert row.data_zone in ZONES and row.count >= 0
        assert row.crime_type in CRIME_GROUPS[row.crime_group]
