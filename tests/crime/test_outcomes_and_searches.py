"""Outcomes and stop and search files: import, replacement, bad rows and the store's views."""

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from soclocal.crime import store
from soclocal.crime.imports import CrimeImportFailed, import_paths
from soclocal.crime.models import CrimeImport

from .conftest import (
    NOTTS_FEB,
    NOTTS_JAN,
    NOTTS_OUTCOMES,
    NOTTS_SEARCHES,
    csv_rows,
    make_archive,
    snapshot,
)

pytestmark = pytest.mark.django_db


def query(sql, *params):
    con = store.connect()
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def test_outcomes_file_imports_every_row(data_dir):
    rows = csv_rows(NOTTS_OUTCOMES)
    record = import_paths([NOTTS_OUTCOMES])
    assert record.status == CrimeImport.Status.DONE
    assert record.rows_in == len(rows) > 100
    [f] = record.files
    assert (f["kind"], f["force"], f["month"], f["rows"]) == (
        "outcomes", "nottinghamshire", "2023-01", len(rows))
    assert query("SELECT force, month, count(*) FROM outcomes GROUP BY ALL") == [
        ("nottinghamshire", "2023-01", len(rows))]
    by_type = dict(query("SELECT outcome_type, count(*) FROM outcomes GROUP BY 1"))
    assert by_type == dict(Counter(r["Outcome type"] for r in rows))
    # Each row keeps its crime ID, place and line, so it can be traced to the file.
    first = rows[0]
    assert query("SELECT crime_id, lsoa_code, longitude, source_line FROM outcomes "
                 "WHERE source_line = 2") == [
        (first["Crime ID"], first["LSOA code"], float(first["Longitude"]), 2)]


def test_stop_and_search_file_imports_every_row(data_dir):
    rows = csv_rows(NOTTS_SEARCHES)
    record = import_paths([NOTTS_SEARCHES])
    assert record.status == CrimeImport.Status.DONE and record.rows_in == len(rows) > 50
    assert record.files[0]["kind"] == "stop_search"
    assert query("SELECT force, month, count(*) FROM stop_search GROUP BY ALL") == [
        ("nottinghamshire", "2023-01", len(rows))]
    by_object = dict(query("SELECT coalesce(object_of_search, ''), count(*) FROM stop_search "
                           "GROUP BY 1"))
    assert by_object == dict(Counter(r["Object of search"] for r in rows))
    # True, False and empty are kept apart; dates are read with their offset, held as UTC.
    for column, header in (("part_of_policing_operation", "Part of a policing operation"),
                           ("outcome_linked_to_object_of_search",
                            "Outcome linked to object of search")):
        got = dict(query(f"SELECT CAST({column} AS VARCHAR), count(*) FROM stop_search "
                         "GROUP BY 1"))
        expected = Counter({"True": "true", "False": "false", "": None}[r[header]]
                           for r in rows)
        assert got == dict(expected), column
    dates = sorted(datetime.fromisoformat(r["Date"]).astimezone(UTC)
                   .replace(tzinfo=None) for r in rows)
    assert query("SELECT min(date), max(date) FROM stop_search") == [(dates[0], dates[-1])]
    no_place = sum(1 for r in rows if not r["Latitude"])
    assert query("SELECT count(*) FROM stop_search WHERE latitude IS NULL") == [(no_place,)]


def test_a_search_in_summer_time_is_held_in_utc(data_dir, work):
    path = work / "2023-07-nottinghamshire-stop-and-search.csv"
    lines = NOTTS_SEARCHES.read_text(encoding="utf-8").splitlines()
    line = lines[1].split(",")
    line[1] = "2023-07-01T00:30:00+01:00"  # half past midnight on 1 July, British Summer Time
    path.write_text(lines[0] + "\n" + ",".join(line) + "\n", encoding="utf-8")
    import_paths([path])
    assert query("SELECT date, month FROM stop_search") == [
        (datetime(2023, 7, 1) - timedelta(minutes=30), "2023-07")]


def test_an_archive_month_folder_with_all_three_kinds(data_dir, tmp_path):
    archive = make_archive(tmp_path / "2023-01.zip", [NOTTS_JAN, NOTTS_OUTCOMES, NOTTS_SEARCHES])
    record = import_paths([archive])
    assert sorted(f["name"] for f in record.files) == sorted(
        f"2023-01.zip:2023-01/{p.name}" for p in (NOTTS_JAN, NOTTS_OUTCOMES, NOTTS_SEARCHES))
    assert {f["kind"]: f["rows"] for f in record.files} == {
        "street": len(csv_rows(NOTTS_JAN)), "outcomes": len(csv_rows(NOTTS_OUTCOMES)),
        "stop_search": len(csv_rows(NOTTS_SEARCHES))}
    assert record.rows_in == sum(len(csv_rows(p)) for p in (NOTTS_JAN, NOTTS_OUTCOMES,
                                                             NOTTS_SEARCHES))
    assert [p["kind"] for p in store.partitions()] == ["street", "outcomes", "stop_search"]
    # Every outcome is of a crime in the street file, at the same LSOA.
    assert query("SELECT count(*) FROM outcomes o LEFT JOIN street s USING (crime_id) "
                 "WHERE s.crime_id IS NULL OR s.lsoa_code <> o.lsoa_code") == [(0,)]


@pytest.mark.parametrize("original", [NOTTS_OUTCOMES, NOTTS_SEARCHES], ids=["outcomes",
                                                                            "stop-and-search"])
def test_a_republished_month_replaces_the_old_one(data_dir, work, original):
    import_paths([original, NOTTS_FEB])
    kind = "outcomes" if "outcomes" in original.name else "stop_search"
    republished = work / original.name
    republished.write_bytes(b"".join(original.read_bytes().splitlines(keepends=True)[:21]))
    second = import_paths([republished])
    assert query(f"SELECT count(*), min(import_id), max(import_id) FROM {kind}") == [
        (20, second.pk, second.pk)]
    assert query("SELECT count(*) FROM street") == [(len(csv_rows(NOTTS_FEB)),)]


def _with_line(path, work, number, old, new):
    lines = path.read_bytes().split(b"\n")
    assert old in lines[number - 1]
    lines[number - 1] = lines[number - 1].replace(old, new, 1)
    target = work / path.name
    target.write_bytes(b"\n".join(lines))
    return target


def _line_holding(path, text):
    return next(n for n, line in enumerate(path.read_text().splitlines(), start=1)
                if text in line)


BAD = {
    "outcome type": (NOTTS_OUTCOMES, lambda: 4,
                     lambda p: p.read_text().splitlines()[3].rsplit(",", 1)[1].encode(),
                     b"Sent to the moon", "Outcome type", "'Sent to the moon'"),
    "date": (NOTTS_SEARCHES, lambda: 3, lambda p: p.read_text().splitlines()[2].split(",")[1]
             .encode(), b"03/01/2023 14:00", "Date", "not a date and time"),
    "date in another month": (NOTTS_SEARCHES, lambda: 5, lambda p: b"2023-01-", b"2023-02-",
                              "Date", "not in the file's month 2023-01"),
    "object of search": (NOTTS_SEARCHES,
                         lambda: _line_holding(NOTTS_SEARCHES, ",Controlled drugs,"),
                         lambda p: b",Controlled drugs,", b",Drugs,", "Object of search",
                         "'Drugs' is not one of police.uk's objects of search"),
    "search type": (NOTTS_SEARCHES, lambda: 2, lambda p: b"Person search", b"Foot search",
                    "Type", "'Foot search'"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_a_bad_row_is_named_and_nothing_changes(data_dir, work, case):
    import_paths([NOTTS_OUTCOMES, NOTTS_SEARCHES])
    before = snapshot(data_dir)
    original, line_of, old_of, new, field, reason = BAD[case]
    line = line_of()
    path = _with_line(original, work, line, old_of(original), new)
    with pytest.raises(CrimeImportFailed) as failed:
        import_paths([path])
    assert [(e.file, e.line, e.field) for e in failed.value.errors] == [
        (original.name, line, field)]
    assert reason in failed.value.errors[0].reason
    assert snapshot(data_dir) == before
    assert CrimeImport.objects.latest("pk").status == CrimeImport.Status.FAILED


def test_accepting_rejects_keeps_the_other_searches(data_dir, work):
    line = _line_holding(NOTTS_SEARCHES, ",Controlled drugs,")
    path = _with_line(NOTTS_SEARCHES, work, line, b",Controlled drugs,", b",Drugs,")
    record = import_paths([path], accept_rejects=True)
    assert record.rows_in == len(csv_rows(NOTTS_SEARCHES)) - 1 and record.rows_rejected == 1
    assert query("SELECT count(*) FROM stop_search WHERE source_line = ?", line) == [(0,)]


def test_searches_are_placed_in_the_lsoa_holding_their_point(data_dir):
    """Stop and search rows carry no LSOA: the import finds the 2021 LSOA holding each point.
    police.uk's map points sit inside their LSOA, so a search at a street record's point lies
    in that record's LSOA (as far as the demo's generalised boundaries can tell)."""
    from soclocal.areas.demo import load_demo_geography
    from soclocal.areas.models import Area, AreaType

    load_demo_geography()
    import_paths([NOTTS_JAN, NOTTS_SEARCHES])
    lsoa_at = {(r["Longitude"], r["Latitude"]): r["LSOA code"] for r in csv_rows(NOTTS_JAN)}
    known = set(Area.objects.filter(type=AreaType.LSOA21).exclude(geometry="")
                .values_list("code", flat=True))
    placed = query("SELECT printf('%.6f', longitude), printf('%.6f', latitude), lsoa21_code "
                   "FROM stop_search WHERE longitude IS NOT NULL")
    checked = [(lsoa_at[(lon, lat)], code) for lon, lat, code in placed
               if lsoa_at[(lon, lat)] in known]
    # The demo boundaries are generalised, so a point near an edge may fall just over it.
    assert len(checked) > 50
    assert sum(expected == code for expected, code in checked) >= 0.85 * len(checked)
    assert {code for _, _, code in placed if code} <= known
    assert query("SELECT count(*) FROM stop_search WHERE longitude IS NULL "
                 "AND lsoa21_code IS NOT NULL") == [(0,)]
