"""A force's own extract may add a "SOC marker" column to a street file; police.uk's do not."""

import csv

import pytest

from soclocal.crime import store
from soclocal.crime.imports import CrimeImportFailed, import_paths

from .conftest import NOTTS_FEB, NOTTS_JAN

pytestmark = pytest.mark.django_db


def with_marker(source, target, markers):
    """The police.uk file with a "SOC marker" column: markers[i] for data row i, "" after."""
    with open(source, newline="") as f:
        rows = list(csv.reader(f))
    rows[0].append("SOC marker")
    for i, row in enumerate(rows[1:]):
        row.append(markers[i] if i < len(markers) else "")
    with open(target, "w", newline="") as f:
        csv.writer(f).writerows(rows)
    return target


def column(sql):
    con = store.connect()
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_the_marker_is_stored_and_police_uk_files_read_as_not_known(data_dir, work):
    marked = with_marker(NOTTS_JAN, work / NOTTS_JAN.name, ["Yes", "no", "Y", "", "TRUE"])
    import_paths([marked, NOTTS_FEB])
    rows = dict(column("SELECT month, count(*) FILTER (WHERE soc_marker) FROM street "
                       "GROUP BY month"))
    assert rows == {"2023-01": 3, "2023-02": 0}
    known = dict(column("SELECT month, count(soc_marker) FROM street GROUP BY month"))
    assert known == {"2023-01": 4, "2023-02": 0}


def test_a_store_without_any_marker_reads_it_as_null(data_dir):
    import_paths([NOTTS_FEB])
    assert column("SELECT count(*), count(soc_marker) FROM street")[0][1] == 0


def test_a_marker_that_is_not_yes_or_no_is_refused_naming_line_and_field(data_dir, work):
    marked = with_marker(NOTTS_JAN, work / NOTTS_JAN.name, ["Yes", "maybe"])
    with pytest.raises(CrimeImportFailed) as failure:
        import_paths([marked])
    problem = next(p for p in failure.value.errors if p.field == "SOC marker")
    assert problem.line == 3 and "'maybe' is not yes, no or empty" in problem.reason
    assert not store.partitions("street")


def test_a_column_other_than_the_marker_is_still_refused(data_dir, work):
    target = work / NOTTS_JAN.name
    with open(NOTTS_JAN, newline="") as f:
        rows = list(csv.reader(f))
    rows[0].append("Gang name")
    for row in rows[1:]:
        row.append("")
    with open(target, "w", newline="") as f:
        csv.writer(f).writerows(rows)
    with pytest.raises(CrimeImportFailed) as failure:
        import_paths([target])
    assert "unexpected 'Gang name'" in failure.value.errors[0].reason
