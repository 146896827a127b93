"""A batch is checked and written in one pass when every row is good, and the careful way when
not: either way the store holds exactly the good rows, and every bad one is named by file,
line and field. LSOA codes are looked up in the geography as the files use them."""

import csv
import json
import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from soclocal.crime import imports, store
from soclocal.crime.imports import HEADERS, CrimeImportFailed, import_paths

from .conftest import NOTTS_JAN, csv_rows

pytestmark = pytest.mark.django_db

HEADER = ",".join(HEADERS["street"])
GOOD = ["", "{month}", "Test Police", "Test Police", "-1.150000", "52.950000",
        "On or near Here", "E01013810", "Nottingham 001A", "Burglary", "", ""]
# One defect each: the field police.uk's header names, and how the row is spoiled.
DEFECTS = {
    "Month": lambda row: row.__setitem__(1, "2023-13"),
    "Crime type": lambda row: row.__setitem__(9, "Fraud"),
    "LSOA code": lambda row: row.__setitem__(7, "S01000001"),
    "Longitude": lambda row: row.__setitem__(4, "12.5"),
    "Latitude": lambda row: row.__setitem__(5, "north"),
}

files_strategy = st.lists(
    st.lists(st.one_of(st.none(), st.sampled_from(sorted(DEFECTS))), min_size=1, max_size=6),
    min_size=1, max_size=3)


def write_files(folder, spec):
    """Files 2023-01-test-street.csv, 2023-02-..., each row good (None) or with one defect;
    returns the (file, line) of the good rows and (file, line, field) of the bad."""
    good, bad = set(), set()
    for n, rows in enumerate(spec, start=1):
        month = f"2023-{n:02d}"
        name = f"{month}-test-street.csv"
        lines = [HEADER]
        for line, defect in enumerate(rows, start=2):
            row = [v.format(month=month) for v in GOOD]
            if defect is None:
                good.add((name, line))
            else:
                DEFECTS[defect](row)
                bad.add((name, line, defect))
            lines.append(",".join(row))
        (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return good, bad


def stored_rows():
    con = store.connect()
    try:
        return set(con.execute("SELECT source_file, source_line FROM street").fetchall())
    finally:
        con.close()


@settings(max_examples=8, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(spec=files_strategy, one_batch=st.booleans())
def test_the_store_holds_exactly_the_good_rows_and_every_bad_one_is_named(
        data_dir, tmp_path_factory, monkeypatch, spec, one_batch):
    monkeypatch.setattr(imports, "BATCH_BYTES", 1 << 30 if one_batch else 1)
    shutil.rmtree(data_dir / "crime", ignore_errors=True)
    folder = tmp_path_factory.mktemp("in")
    good, bad = write_files(folder, spec)

    # All or nothing: any bad row fails the import, naming each, and stores nothing.
    if bad:
        with pytest.raises(CrimeImportFailed) as failed:
            import_paths([folder])
        named = {(e.file, e.line, e.field) for e in failed.value.errors}
        assert named == bad
        assert stored_rows() == set()
    else:
        record = import_paths([folder])
        assert stored_rows() == good
        assert record.rows_in == len(good)

    # Accepting rejects keeps exactly the good rows, and the rejects file lists the bad.
    record = import_paths([folder], accept_rejects=True)
    assert stored_rows() == good
    assert record.rows_in == len(good) and record.rows_rejected == len(bad)
    if bad:
        with open(data_dir / record.rejects_file, newline="", encoding="utf-8") as f:
            listed = {(r["file"], int(r["line"]), r["field"]) for r in csv.DictReader(f)}
        assert listed == bad
    per_file = {f["name"]: (f["rows"], f["rejected"]) for f in record.files}
    for name in per_file:
        assert per_file[name] == (sum(1 for g in good if g[0] == name),
                                  sum(1 for b in bad if b[0] == name))


def test_a_republished_month_still_replaces_the_old_one_in_one_pass(data_dir, tmp_path):
    folder = tmp_path / "first"
    folder.mkdir()
    write_files(folder, [[None, None, None]])
    import_paths([folder])
    again = tmp_path / "again"
    again.mkdir()
    good, _ = write_files(again, [[None]])
    import_paths([again])
    assert stored_rows() == good
    source = json.loads((store.partition_dir("street", "test", "2023-01")
                         / "source.json").read_text())
    assert source["rows"] == 1


def _square(lon, lat, size=0.01):
    return json.dumps({"type": "Polygon", "coordinates": [[
        [lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size],
        [lon, lat]]]})


def test_known_codes_carry_to_themselves_and_unknown_ones_are_counted_outside(data_dir):
    from soclocal.areas import snapshot
    from soclocal.areas.models import Area, AreaType

    rows = csv_rows(NOTTS_JAN)
    codes = sorted({r["LSOA code"] for r in rows if r["LSOA code"]})
    known = set(codes[::2])
    Area.objects.bulk_create([Area(type=AreaType.LSOA21, code=c, name=c) for c in known])
    snapshot.changed()  # bulk_create sends no signals
    record = import_paths([NOTTS_JAN])
    outside = sum(1 for r in rows if r["LSOA code"] and r["LSOA code"] not in known)
    assert record.files[0]["outside_geography"] == outside > 0
    con = store.connect()
    carried = dict(con.execute("SELECT lsoa_code, any_value(lsoa21_code) FROM street "
                               "WHERE lsoa_code <> '' GROUP BY 1").fetchall())
    assert {code for code in known if carried.get(code) == code} == known


def test_a_split_2011_code_goes_to_the_successor_holding_the_point(data_dir, tmp_path):
    from soclocal.areas.models import Area, AreaType, LsoaLookup

    for new, lon in (("E01090001", -1.20), ("E01090002", -1.10)):
        Area.objects.create(type=AreaType.LSOA21, code=new, name=new,
                            geometry=_square(lon, 52.90))
        LsoaLookup.objects.create(lsoa11_code="E01080000", lsoa11_name="Old 001A",
                                  lsoa21_code=new, lsoa21_name=new, change="S",
                                  lad22_code="E06000018", lad22_name="Nottingham")
    path = tmp_path / "2023-01-test-street.csv"
    lines = [HEADER]
    for lon in ("-1.195", "-1.095", "-1.500", ""):  # in the first, in the second, in neither
        row = [v.format(month="2023-01") for v in GOOD]
        row[4], row[5], row[7] = lon, "52.905" if lon else "", "E01080000"
        lines.append(",".join(row))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    import_paths([path])
    con = store.connect()
    placed = dict(con.execute("SELECT source_line, lsoa21_code FROM street").fetchall())
    # A point in neither successor, or no point, goes to the first.
    assert placed == {2: "E01090001", 3: "E01090002", 4: "E01090001", 5: "E01090001"}
