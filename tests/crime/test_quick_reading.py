"""Files as police.uk publishes them are read by DuckDB's CSV reader (the quick way); anything
else falls back to reading each file in Python (the careful way). Whichever way a file goes,
the store, the errors and the rejects must be the same."""

import csv

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from soclocal.crime import imports, store
from soclocal.crime.imports import HEADERS, CrimeImportFailed, import_paths
from soclocal.crime.readahead import ReadAhead

from .conftest import (
    LONDON_JAN,
    NOTTS_FEB,
    NOTTS_JAN,
    NOTTS_OUTCOMES,
    NOTTS_SEARCHES,
    copy,
    stored_rows,
)

pytestmark = pytest.mark.django_db

ALL = [LONDON_JAN, NOTTS_JAN, NOTTS_FEB, NOTTS_OUTCOMES, NOTTS_SEARCHES]


def outcome_of(paths, ahead=None):
    """What an import of the paths gives: every kind's stored rows, or the errors and the
    rejects file's rows."""
    try:
        record = import_paths(paths, ahead=ahead)
    except CrimeImportFailed as failure:
        with open(failure.rejects_file, newline="", encoding="utf-8") as f:
            rejects = list(csv.reader(f))
        return ("failed", [str(e) for e in failure.errors], rejects)
    return ("done", [(f["kind"], f["force"], f["month"], f["rows"]) for f in record.files],
            {kind: stored_rows(kind) for kind in store.KINDS})


def careful_only(monkeypatch, paths):
    monkeypatch.setattr(imports, "READ_WITH_DUCKDB", False)
    try:
        return outcome_of(paths)
    finally:
        monkeypatch.setattr(imports, "READ_WITH_DUCKDB", True)


def test_the_quick_way_stores_what_the_careful_way_stores(data_dir, lookup, monkeypatch, work):
    paths = [copy(p, work) for p in ALL]
    read_carefully = []
    parse = imports.Importer.parse
    monkeypatch.setattr(imports.Importer, "parse",
                        lambda self, source, *a: read_carefully.append(source.name)
                        or parse(self, source, *a))
    quick = outcome_of(paths)
    assert read_carefully == []  # police.uk's files as published: every one read the quick way
    monkeypatch.setattr(imports.Importer, "parse", parse)
    (data_dir / "crime").rename(data_dir / "crime-quick")
    careful = careful_only(monkeypatch, paths)
    assert quick[0] == "done"
    assert quick == careful


def test_every_row_is_stored_with_the_line_it_came_from(data_dir, work):
    paths = [copy(p, work) for p in (NOTTS_JAN, NOTTS_FEB, LONDON_JAN)]
    import_paths(paths)
    con = store.connect()
    for path in paths:
        with open(path, newline="", encoding="utf-8") as f:
            lines = {n: row for n, row in enumerate(csv.reader(f), start=1) if n > 1}
        got = con.execute("SELECT source_line, crime_id, location, crime_type, context "
                          "FROM street WHERE source_file = ?", [path.name]).fetchall()
        assert len(got) == len(lines)
        for line, crime_id, location, crime_type, context in got:
            row = lines[line]
            assert (crime_id or "", location or "", crime_type, context or "") == (
                row[0], row[6], row[9], row[11]), (path.name, line)


def test_a_file_the_quick_way_cannot_read_is_named_by_line_the_careful_way(data_dir, work):
    good = copy(NOTTS_FEB, work)
    text = NOTTS_JAN.read_text(encoding="utf-8").splitlines()
    # A blank line, then a row cut short: DuckDB's reader stops; the problem is named by the
    # line it is on in the file.
    text[5:5] = ["", ",".join(text[6].split(",")[:4])]
    bad = work / NOTTS_JAN.name
    bad.write_text("\n".join(text) + "\n", encoding="utf-8")
    with pytest.raises(CrimeImportFailed) as failed:
        import_paths([good, bad])
    assert [(e.file, e.line) for e in failed.value.errors] == [(bad.name, 7)]
    assert "has 4 values but the header has 12" in failed.value.errors[0].reason


# ---------------------------------------------------------------- generated files

HEADER = ",".join(HEADERS["street"])
GOOD = ["", "2023-01", "Test Police", "Test Police", "-1.150000", "52.950000",
        "On or near Here", "E01013810", "Nottingham 001A", "Burglary", "", ""]

row = st.fixed_dictionaries({
    "month": st.sampled_from(["2023-01", "2023-01", "2023-01", "2023-02"]),
    "crime_type": st.sampled_from(["Burglary", "Drugs", "Drugs", "Fraud"]),
    "location": st.sampled_from(["On or near Here", "On or near \"The Lane\"", "Here, there",
                                 "Line\none", "Café"]),
    "width": st.sampled_from([12, 12, 12, 12, 11, 13]),
})


def render(values, quote_all):
    out = []
    for v in values:
        if quote_all or any(c in v for c in ',"\n'):
            v = '"' + v.replace('"', '""') + '"'
        out.append(v)
    return ",".join(out)


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(row, min_size=1, max_size=6), newline=st.sampled_from(["\n", "\r\n"]),
       blank_at=st.one_of(st.none(), st.integers(0, 6)), quote_all=st.booleans(),
       final_newline=st.booleans())
def test_quick_and_careful_agree_on_any_file(data_dir, monkeypatch, tmp_path, rows, newline,
                                              blank_at, quote_all, final_newline):
    lines = [HEADER]
    for r in rows:
        values = [*GOOD]
        values[1], values[9], values[6] = r["month"], r["crime_type"], r["location"]
        values = (values + ["x"])[:r["width"]] if r["width"] > 12 else values[:r["width"]]
        lines.append(render(values, quote_all))
    if blank_at is not None:
        lines.insert(min(blank_at, len(lines) - 1) + 1, "")
    path = tmp_path / "2023-01-test-street.csv"
    path.write_bytes((newline.join(lines) + (newline if final_newline else "")).encode())
    for folder in ("crime", "crime-quick", "crime-ahead"):
        if (data_dir / folder).exists():
            import shutil

            shutil.rmtree(data_dir / folder)
    quick = outcome_of([path])
    (data_dir / "crime").rename(data_dir / "crime-quick")
    read_ahead = outcome_of([path], ahead=ReadAhead([path]))
    (data_dir / "crime").rename(data_dir / "crime-ahead")
    careful = careful_only(monkeypatch, [path])
    # The rejects file names the import it came from: compare the rest.
    assert quick == careful
    assert read_ahead == careful


def test_a_folder_named_like_a_pattern_is_read_as_it_is(data_dir, tmp_path):
    folder = tmp_path / "force [2023] *"
    folder.mkdir()
    path = copy(NOTTS_JAN, folder)
    record = import_paths([folder])
    assert record.rows_in == len(list(csv.DictReader(path.open(encoding="utf-8")))) > 0
