"""The command line reads a crime import's files, and loads the geography they are placed
with, while Django starts (`readahead.ReadAhead`); the import takes what was read ahead only
where it still holds."""

import hashlib

import pytest

from soclocal.areas import snapshot
from soclocal.crime import imports, store
from soclocal.crime.readahead import ReadAhead

from .conftest import (
    LONDON_JAN,
    NOTTS_FEB,
    NOTTS_JAN,
    NOTTS_OUTCOMES,
    NOTTS_SEARCHES,
    copy,
    csv_rows,
)
from .test_quick_reading import outcome_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(data_dir, monkeypatch):
    """How many times the import loaded the geography itself (not ahead). The command line
    finds the data directory from the environment, as the read-ahead does."""
    monkeypatch.setenv("SOCLOCAL_DATA_DIR", str(data_dir))
    times = []
    real = imports.Geography
    monkeypatch.setattr(imports, "Geography", lambda *a: times.append(a[1:]) or real(*a))
    return times


def test_reading_ahead_stores_what_reading_in_turn_stores(data_dir, lookup, work, loaded):
    paths = [copy(p, work) for p in (LONDON_JAN, NOTTS_JAN, NOTTS_FEB, NOTTS_OUTCOMES,
                                     NOTTS_SEARCHES)]
    in_turn = outcome_of(paths)
    assert loaded == [snapshot.lsoa_paths()]
    (data_dir / "crime").rename(data_dir / "crime-in-turn")
    loaded.clear()
    ahead = outcome_of(paths, ahead=ReadAhead([work]))
    assert loaded == []  # loaded while Django would have been starting
    assert ahead[0] == "done"
    assert ahead == in_turn


def test_a_geography_changed_after_it_was_read_ahead_is_loaded_again(data_dir, work, loaded):
    from soclocal.areas.models import LsoaLookup

    path = copy(NOTTS_JAN, work)
    code = csv_rows(NOTTS_JAN)[0]["LSOA code"]
    snapshot.lsoa_paths()
    ahead = ReadAhead([path])
    assert ahead.geography is not None
    # The code the file uses becomes known after the read-ahead loaded the geography.
    LsoaLookup.objects.create(lsoa11_code=code, lsoa11_name="Old", lsoa21_code="E01099999",
                              lsoa21_name="New", change="U", lad22_code="E06000018",
                              lad22_name="Nottingham")
    record = imports.import_paths([path], ahead=ahead)
    assert loaded == [snapshot.lsoa_paths()]
    assert store.connect().execute(
        f"SELECT DISTINCT lsoa21_code FROM street WHERE lsoa_code = '{code}'"
    ).fetchall() == [("E01099999",)]
    assert record.files[0]["outside_geography"] == sum(
        1 for r in csv_rows(NOTTS_JAN) if r["LSOA code"] not in ("", code))


def test_a_file_changed_after_it_was_read_ahead_is_read_again(data_dir, work, loaded):
    path = copy(NOTTS_JAN, work)
    ahead = ReadAhead([path])
    ahead.connection()  # done reading
    lines = path.read_bytes().splitlines(keepends=True)
    path.write_bytes(b"".join(lines[:-3]))  # three rows fewer
    record = imports.import_paths([path], ahead=ahead)
    assert record.rows_in == len(lines) - 4
    assert record.files[0]["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert store.connect().execute("SELECT count(*) FROM street").fetchall()[0][0] == (
        len(lines) - 4)


def test_a_problem_found_reading_ahead_is_still_named_by_the_import(data_dir, work):
    bad = work / NOTTS_JAN.name
    text = NOTTS_JAN.read_text(encoding="utf-8").splitlines()
    text[3] = text[3].replace("2023-01", "2023-13", 1)
    bad.write_text("\n".join(text) + "\n", encoding="utf-8")
    paths = [bad, work / "missing.csv"]
    failed = outcome_of(paths, ahead=ReadAhead(paths))
    assert failed[0] == "failed"
    assert [e for e in failed[1] if "line 4" in e and "2023-13" in e]
    assert [e for e in failed[1] if "missing.csv" in e]
