"""Files are checked and written in batches: the store must not depend on how they fall."""

import pytest

from soclocal.crime import imports, store
from soclocal.crime.imports import CrimeImportFailed, import_paths

from .conftest import (
    LONDON_JAN,
    NOTTS_FEB,
    NOTTS_JAN,
    NOTTS_OUTCOMES,
    NOTTS_SEARCHES,
    copy,
    csv_rows,
    stored_rows,
)

pytestmark = pytest.mark.django_db

ALL = [LONDON_JAN, NOTTS_JAN, NOTTS_FEB, NOTTS_OUTCOMES, NOTTS_SEARCHES]


@pytest.mark.parametrize("batch_bytes", [1, 1 << 30], ids=["a-file-a-batch", "one-batch"])
def test_the_store_is_the_same_however_files_are_batched(data_dir, monkeypatch, batch_bytes):
    monkeypatch.setattr(imports, "BATCH_BYTES", batch_bytes)
    record = import_paths(ALL)
    assert record.rows_in == sum(len(csv_rows(p)) for p in ALL)
    assert {(f["kind"], f["force"], f["month"], f["rows"]) for f in record.files} == {
        ("street", "city-of-london", "2021-01", len(csv_rows(LONDON_JAN))),
        ("street", "nottinghamshire", "2023-01", len(csv_rows(NOTTS_JAN))),
        ("street", "nottinghamshire", "2023-02", len(csv_rows(NOTTS_FEB))),
        ("outcomes", "nottinghamshire", "2023-01", len(csv_rows(NOTTS_OUTCOMES))),
        ("stop_search", "nottinghamshire", "2023-01", len(csv_rows(NOTTS_SEARCHES)))}
    # Each row is where its file and line say, with its own file's name.
    for path in ALL:
        kind = "stop_search" if "stop" in path.name else path.stem.rsplit("-", 1)[1]
        got = [r[0] for r in store.connect().execute(
            f"SELECT source_line FROM {kind} WHERE source_file = ? ORDER BY 1",
            [path.name]).fetchall()]
        assert got == list(range(2, len(csv_rows(path)) + 2)), path.name


def test_batching_changes_nothing_in_the_rows(data_dir, monkeypatch):
    monkeypatch.setattr(imports, "BATCH_BYTES", 1)
    import_paths(ALL)
    one_by_one = {kind: stored_rows(kind) for kind in store.KINDS}
    monkeypatch.setattr(imports, "BATCH_BYTES", 1 << 30)
    import_paths(ALL)
    assert {kind: stored_rows(kind) for kind in store.KINDS} == one_by_one


@pytest.mark.parametrize("batch_bytes", [1, 1 << 30], ids=["a-file-a-batch", "one-batch"])
def test_two_files_for_one_month_are_refused_across_batches(data_dir, work, monkeypatch,
                                                             batch_bytes):
    monkeypatch.setattr(imports, "BATCH_BYTES", batch_bytes)
    other = work / "sub"
    other.mkdir()
    shorter = other / NOTTS_OUTCOMES.name
    shorter.write_bytes(b"".join(NOTTS_OUTCOMES.read_bytes().splitlines(keepends=True)[:30]))
    with pytest.raises(CrimeImportFailed) as failed:
        import_paths([NOTTS_OUTCOMES, NOTTS_JAN, shorter])
    [problem] = failed.value.errors
    assert problem.file == shorter.name
    assert "two different files with outcomes for nottinghamshire 2023-01" in problem.reason
    assert str(NOTTS_OUTCOMES.name) in problem.reason


def test_problems_are_listed_in_the_order_of_the_files(data_dir, work, monkeypatch):
    monkeypatch.setattr(imports, "BATCH_BYTES", 1 << 30)
    first = work / NOTTS_JAN.name
    first.write_bytes(NOTTS_JAN.read_bytes().replace(b",E01019429,", b",E0101942,", 1))
    second = copy(LONDON_JAN, work, "2021-01-city-of-london-street.csv")
    second.write_bytes(second.read_bytes() + b"cut,short\n")
    with pytest.raises(CrimeImportFailed) as failed:
        import_paths([first, second])
    assert [e.file for e in failed.value.errors] == [first.name, second.name]


def test_a_file_not_named_like_police_uk_is_split_by_force_and_month(data_dir, work):
    """Without police.uk's name, the header says the kind and each row's force ("Reported
    by") and month say where it goes."""
    lines = LONDON_JAN.read_text(encoding="utf-8").splitlines()
    notts = NOTTS_JAN.read_text(encoding="utf-8").splitlines()
    mixed = work / "crimes we were sent.csv"
    mixed.write_text("\n".join(lines[:51] + notts[1:41]) + "\n", encoding="utf-8")
    record = import_paths([mixed])
    assert record.rows_in == 90
    con = store.connect()
    assert con.execute("SELECT force, month, count(*), min(source_line), max(source_line) "
                       "FROM street GROUP BY ALL ORDER BY ALL").fetchall() == [
        ("city-of-london", "2021-01", 50, 2, 51), ("nottinghamshire", "2023-01", 40, 52, 91)]
