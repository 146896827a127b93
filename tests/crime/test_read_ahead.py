"""The command line reads and surveys a crime import's files while Django starts
(`readahead.ReadAhead`); the import takes what was read ahead only where it still holds."""

import hashlib

import pytest

from soclocal.crime import imports, store
from soclocal.crime.readahead import ReadAhead

from .conftest import LONDON_JAN, NOTTS_FEB, NOTTS_JAN, NOTTS_OUTCOMES, NOTTS_SEARCHES, copy
from .test_quick_reading import outcome_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def surveys_run(monkeypatch):
    """The kinds the import surveyed itself (not ahead)."""
    ran = []
    survey = imports.survey
    monkeypatch.setattr(imports, "survey", lambda kind, *a: ran.append(kind) or survey(kind, *a))
    return ran


def test_reading_ahead_stores_what_reading_in_turn_stores(data_dir, lookup, work, surveys_run):
    paths = [copy(p, work) for p in (LONDON_JAN, NOTTS_JAN, NOTTS_FEB, NOTTS_OUTCOMES,
                                     NOTTS_SEARCHES)]
    in_turn = outcome_of(paths)
    assert sorted(surveys_run) == ["outcomes", "stop_search", "street"]
    (data_dir / "crime").rename(data_dir / "crime-in-turn")
    surveys_run.clear()
    ahead = outcome_of(paths, ahead=ReadAhead([work]))
    assert surveys_run == []  # every batch was surveyed while Django would have been starting
    assert ahead[0] == "done"
    assert ahead == in_turn


def test_a_file_changed_after_it_was_read_ahead_is_read_again(data_dir, work, surveys_run):
    path = copy(NOTTS_JAN, work)
    ahead = ReadAhead([path])
    ahead.connection()  # done reading
    lines = path.read_bytes().splitlines(keepends=True)
    path.write_bytes(b"".join(lines[:-3]))  # three rows fewer
    record = imports.import_paths([path], ahead=ahead)
    assert record.rows_in == len(lines) - 4
    assert record.files[0]["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert surveys_run == ["street"]
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
