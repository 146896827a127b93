"""Importing real police.uk files into the store: formats, replacement, quirks, bad input."""

import csv

import pytest

from soclocal.core.models import AuditEvent
from soclocal.crime import store
from soclocal.crime.imports import CrimeImportFailed, import_paths
from soclocal.crime.models import CrimeImport

from .conftest import (
    LONDON_JAN,
    NOTTS_FEB,
    NOTTS_JAN,
    copy,
    data_lines,
    make_archive,
    snapshot,
)

pytestmark = pytest.mark.django_db


def count(sql, *params):
    con = store.connect()
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def test_empty_store_has_empty_views_with_columns(data_dir):
    con = store.connect()
    for kind, columns in store.COLUMNS.items():
        described = con.execute(f"DESCRIBE {kind}").fetchall()
        assert [(r[0], r[1]) for r in described] == columns
        assert con.execute(f"SELECT count(*) FROM {kind}").fetchall() == [(0,)]


def test_import_one_csv(data_dir):
    record = import_paths([NOTTS_JAN])
    assert record.status == CrimeImport.Status.DONE
    assert record.rows_in == data_lines(NOTTS_JAN)
    assert count("SELECT force, month, count(*) FROM street GROUP BY ALL") == [
        ("nottinghamshire", "2023-01", data_lines(NOTTS_JAN))]
    [f] = record.files
    assert f["kind"] == "street" and len(f["sha256"]) == 64 and f["rows"] == record.rows_in
    assert AuditEvent.objects.filter(action="import.crime", object_id=str(record.pk)).exists()
    assert (store.partition_dir("street", "nottinghamshire", "2023-01") / "data.parquet").exists()


def test_import_folder_and_zip_give_the_same_store(data_dir, work, tmp_path):
    for f in (NOTTS_JAN, NOTTS_FEB, LONDON_JAN):
        copy(f, work)
    import_paths([work])
    by_folder = count("SELECT force, month, count(*) FROM street GROUP BY ALL ORDER BY ALL")
    archive = make_archive(tmp_path / "archive.zip", [NOTTS_JAN, NOTTS_FEB, LONDON_JAN])
    record = import_paths([archive])
    assert count("SELECT force, month, count(*) FROM street GROUP BY ALL ORDER BY ALL") \
        == by_folder
    assert by_folder == [("city-of-london", "2021-01", data_lines(LONDON_JAN)),
                         ("nottinghamshire", "2023-01", data_lines(NOTTS_JAN)),
                         ("nottinghamshire", "2023-02", data_lines(NOTTS_FEB))]
    assert record.files[0]["name"].startswith("archive.zip:2021-01/")


def test_same_file_twice_leaves_one_copy(data_dir, work):
    import_paths([NOTTS_JAN])
    import_paths([NOTTS_JAN, copy(NOTTS_JAN, work)])
    assert count("SELECT count(*) FROM street") == [(data_lines(NOTTS_JAN),)]


def test_republished_month_replaces_the_old_one(data_dir, work):
    import_paths([NOTTS_JAN, NOTTS_FEB])
    lines = NOTTS_JAN.read_bytes().splitlines(keepends=True)
    republished = work / NOTTS_JAN.name
    republished.write_bytes(b"".join(lines[:101]))  # police.uk withdrew some rows
    import_paths([republished])
    assert count("SELECT month, count(*) FROM street GROUP BY ALL ORDER BY ALL") == [
        ("2023-01", 100), ("2023-02", data_lines(NOTTS_FEB))]


def test_quirks_are_kept_as_data(data_dir):
    import_paths([LONDON_JAN, NOTTS_JAN])
    # Anti-social behaviour has no crime ID; every row is an incident, identical or not.
    assert count("SELECT count(*) FROM street WHERE crime_type = 'Anti-social behaviour' "
                 "AND crime_id IS NOT NULL") == [(0,)]
    with open(LONDON_JAN, newline="", encoding="utf-8") as f:
        rows = [tuple(r) for r in csv.reader(f)][1:]
    assert len(set(rows)) < len(rows)  # the file has identical rows...
    assert count("SELECT count(*) FROM street WHERE force = 'city-of-london'") == [(len(rows),)]
    repeated = {r[0] for r in rows if r[0]}
    assert len(repeated) < len([r for r in rows if r[0]])  # ...and a repeated crime ID
    # Rows without a location are kept with no coordinates and count in the force's total.
    no_place = count("SELECT count(*) FROM street WHERE longitude IS NULL AND "
                     "force = 'nottinghamshire'")[0][0]
    assert no_place == sum(1 for line in NOTTS_JAN.read_text().splitlines()[1:]
                           if line.split(",")[4] == "")
    assert no_place > 0


def test_2011_codes_are_carried_to_2021(data_dir, lookup):
    import_paths([NOTTS_FEB])
    rows = dict(count("SELECT lsoa_code, any_value(lsoa21_code) FROM street "
                      "WHERE lsoa_code IN ('E01033406', 'E01027931') GROUP BY 1"))
    assert rows.get("E01033406") in (None, "E01035506")
    assert set(rows.values()) <= {"E01035506", "E01033778", "E01033779", "E01033781"}
    assert rows  # the extract has some


def test_crlf_and_bom_files_import(data_dir, work):
    text = NOTTS_JAN.read_bytes()
    target = work / NOTTS_JAN.name
    target.write_bytes(b"\xef\xbb\xbf" + text.replace(b"\n", b"\r\n"))
    record = import_paths([target])
    assert record.rows_in == data_lines(NOTTS_JAN)
    assert count("SELECT max(source_line) FROM street") == [(data_lines(NOTTS_JAN) + 1,)]


def _broken(work, name, transform):
    lines = NOTTS_JAN.read_bytes().split(b"\n")
    path = work / name
    path.write_bytes(transform(lines))
    return path


def _replace_line(n, old, new):
    def change(lines):
        lines = list(lines)
        lines[n - 1] = lines[n - 1].replace(old, new, 1)
        return b"\n".join(lines)
    return change


BAD = {
    "bad header": (_replace_line(1, b"Crime type", b"Crime category"), 1, "header"),
    "bad month": (_replace_line(5, b"2023-01", b"2023-1"), 5, "not a month"),
    "other month": (_replace_line(6, b"2023-01", b"2023-03"), 6, "not the file's month"),
    "outside the UK": (_replace_line(7, b",-1.", b",-11."), 7, "outside the UK"),
    "truncated line": (lambda lines: b"\n".join(lines[:9] + [lines[9][:40]] + lines[10:]), 10,
                       "cut short"),
    "latin-1": (_replace_line(12, b"On or near", b"On or n\xe9ar"), 12, "not UTF-8"),
    "empty file": (lambda lines: b"", None, "empty"),
    "unknown crime type": (_replace_line(14, b",Violence and sexual offences,",
                                         b",Violent crime,"), 14, "'Violent crime'"),
    "bad LSOA code": (_replace_line(15, b",E01", b",E1"), 15, "not an LSOA code"),
    "unknown outcome": (_replace_line(16, b",Unable to prosecute suspect",
                                      b",Sent to the moon"), 16, "'Sent to the moon'"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_input_fails_naming_file_line_reason_and_changes_nothing(data_dir, work, case):
    import_paths([NOTTS_FEB])
    before = snapshot(data_dir)
    transform, line, reason = BAD[case]
    path = _broken(work, NOTTS_JAN.name, transform)
    if case in ("bad month", "outside the UK", "unknown crime type", "bad LSOA code",
                "unknown outcome", "other month"):
        assert transform(NOTTS_JAN.read_bytes().split(b"\n")) != NOTTS_JAN.read_bytes()
    with pytest.raises(CrimeImportFailed) as failed:
        import_paths([path])
    errors = failed.value.errors
    assert any(e.file == NOTTS_JAN.name and e.line == line and reason in e.reason
               for e in errors), [str(e) for e in errors]
    assert snapshot(data_dir) == before
    assert count("SELECT count(*) FROM street WHERE month = '2023-01'") == [(0,)]
    record = CrimeImport.objects.latest("pk")
    assert record.status == CrimeImport.Status.FAILED and record.rejects_file
    assert not list((data_dir / "crime" / ".staging").glob("*"))


def test_every_bad_row_is_named_across_files(data_dir, work):
    a = _broken(work, NOTTS_JAN.name, _replace_line(3, b",E01", b",X01"))
    b = work / NOTTS_FEB.name
    lines = NOTTS_FEB.read_bytes().split(b"\n")
    lines[4] = lines[4].replace(b"2023-02", b"2023-13", 1)
    b.write_bytes(b"\n".join(lines))
    with pytest.raises(CrimeImportFailed) as failed:
        import_paths([a, b])
    named = {(e.file, e.line) for e in failed.value.errors}
    assert (NOTTS_JAN.name, 3) in named and (NOTTS_FEB.name, 5) in named
    with open(failed.value.rejects_file, newline="", encoding="utf-8") as f:
        rejects = list(csv.DictReader(f))
    assert {(r["file"], r["line"]) for r in rejects} >= {(NOTTS_JAN.name, "3"),
                                                         (NOTTS_FEB.name, "5")}


def test_accept_rejects_keeps_the_good_rows_and_the_bad_for_review(data_dir, work):
    path = _broken(work, NOTTS_JAN.name, _replace_line(3, b",E01", b",X01"))
    record = import_paths([path], accept_rejects=True)
    assert record.status == CrimeImport.Status.DONE_WITH_REJECTS
    assert record.rows_in == data_lines(NOTTS_JAN) - 1 and record.rows_rejected == 1
    assert count("SELECT count(*) FROM street") == [(record.rows_in,)]
    assert count("SELECT count(*) FROM street WHERE source_line = 3") == [(0,)]
    with open(data_dir / record.rejects_file, newline="", encoding="utf-8") as f:
        [reject] = list(csv.DictReader(f))
    assert reject["line"] == "3" and "X01" in reject["text"] and reject["field"] == "LSOA code"


def test_two_different_files_for_one_month_are_refused(data_dir, work):
    other = work / "2023-01-nottinghamshire-street.csv"
    other.write_bytes(b"\n".join(NOTTS_JAN.read_bytes().split(b"\n")[:50]))
    with pytest.raises(CrimeImportFailed) as failed:
        import_paths([NOTTS_JAN, other])
    assert "two different files" in str(failed.value)


def test_skip_unchanged_leaves_months_alone(data_dir):
    first = import_paths([NOTTS_JAN])
    again = import_paths([NOTTS_JAN], skip_unchanged=True)
    assert again.files[0]["skipped"] and again.rows_in == 0
    assert count("SELECT DISTINCT import_id FROM street") == [(first.pk,)]


def test_importing_needs_the_capability(data_dir, make_user):
    from django.core.exceptions import PermissionDenied

    from soclocal.core.access import Role

    with pytest.raises(PermissionDenied):
        import_paths([NOTTS_JAN], actor=make_user(Role.PRACTITIONER))
    assert count("SELECT count(*) FROM street") == [(0,)]
