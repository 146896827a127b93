"""The shared imports pipeline: reading CSVs safely, reporting problems, all or nothing."""

import hashlib

import pytest

from soclocal.core import imports
from soclocal.core.imports import ImportFailed, ImportProblem, ImportResult, Problems
from soclocal.core.models import AuditEvent


def write(tmp_path, name, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def read(path):
    problems = Problems(path.name)
    return imports.read_csv(path, problems), problems


def test_problem_reads_like_a_sentence():
    problem = ImportProblem("lsoa.csv", "'11' is not a decile from 1 to 10", line=12,
                            field="IMD_decile")
    assert str(problem) == "lsoa.csv, line 12, field IMD_decile: '11' is not a decile from 1 to 10"
    assert str(ImportProblem("b.geojson", "is empty", feature=3, field="name")) == (
        "b.geojson, feature 3, field name: is empty")


@pytest.mark.parametrize("data", [
    b"code,value\nA,1\nB,2\n",
    b"code,value\r\nA,1\r\nB,2\r\n",
    b"\xef\xbb\xbfcode,value\r\nA,1\r\nB,2",
])
def test_reads_utf8_with_or_without_bom_and_either_line_ending(tmp_path, data):
    csv_file, problems = read(write(tmp_path, "a.csv", data))
    assert not problems
    assert csv_file.header == ["code", "value"]
    assert csv_file.rows == [(2, {"code": "A", "value": "1"}), (3, {"code": "B", "value": "2"})]


def test_quoted_thousands_stay_one_value(tmp_path):
    csv_file, problems = read(write(tmp_path, "p.csv", b'code,people\nA,"1,296"\n'))
    assert not problems and csv_file.rows[0][1]["people"] == "1,296"


def test_latin1_bytes_name_the_line(tmp_path):
    _, problems = read(write(tmp_path, "l.csv", b"code,name\nA,Cafe\nB,Caf\xe9\n"))
    assert len(problems) == 1
    assert problems[0].line == 3 and "not UTF-8" in problems[0].reason


def test_truncated_line_is_reported_and_other_rows_still_checked(tmp_path):
    csv_file, problems = read(write(tmp_path, "t.csv", b"a,b,c\n1,2,3\n4,5\n7,8,9\n"))
    assert [p.line for p in problems] == [3]
    assert "2 values but the header has 3 columns" in problems[0].reason
    assert [line for line, _ in csv_file.rows] == [2, 4]


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b"\n\n  \n"])
def test_empty_file(tmp_path, data):
    csv_file, problems = read(write(tmp_path, "e.csv", data))
    assert csv_file is None and problems[0].reason == "the file is empty"


def test_header_without_rows(tmp_path):
    _, problems = read(write(tmp_path, "h.csv", b"a,b\n"))
    assert "no rows" in problems[0].reason and problems[0].line == 1


def test_broken_json_names_line_and_column(tmp_path):
    problems = Problems("x.geojson")
    assert imports.read_json(write(tmp_path, "x.geojson", b'{"a": 1,\n "b": }'), problems) is None
    assert problems[0].line == 2 and "broken JSON at column 7" in problems[0].reason


def test_require_columns(tmp_path):
    csv_file, problems = read(write(tmp_path, "c.csv", b"a,b\n1,2\n"))
    assert not imports.require_columns(csv_file, ["a", "c"], problems)
    assert str(problems[0]) == "c.csv, line 1, field c: the header has no column 'c'"


def test_progress_is_throttled_but_always_reports_the_end():
    calls = []
    progress = imports.Progress(lambda *a: calls.append(a))
    for done in range(1, 1001):
        progress(done, 1000, "rows")
    assert 90 <= len(calls) <= 110
    assert calls[-1] == (1000, 1000, "rows")
    imports.Progress(None)(1, 1)  # no callback: nothing happens


@pytest.mark.django_db
def test_run_is_all_or_nothing_and_audited(tmp_path, make_user):
    from soclocal.accounts.models import Partnership

    path = write(tmp_path, "data.csv", b"a\n1\n")

    def failing(path, problems, report):
        Partnership.objects.create(name="written before the problem was found")
        problems.add("bad", line=2)
        return ImportResult("test", "x", path.name)

    before = AuditEvent.objects.count()
    with pytest.raises(ImportFailed) as failed:
        imports.run("test", path, failing)
    assert str(failed.value.errors[0]) == "data.csv, line 2: bad"
    assert not Partnership.objects.filter(name__startswith="written").exists()
    assert AuditEvent.objects.count() == before

    def working(path, problems, report):
        report(1, 1, "done")
        return ImportResult("test", "x", path.name, rows=1)

    seen = []
    result = imports.run("test", path, working, progress=lambda *a: seen.append(a))
    assert result.rows == 1 and seen == [(1, 1, "done")]
    event = AuditEvent.objects.filter(action="import.test").get()
    assert event.detail["sha256"] == hashlib.sha256(b"a\n1\n").hexdigest()
    assert event.detail["file"] == "data.csv" and event.detail["rows"] == 1


@pytest.mark.django_db
def test_missing_file(tmp_path):
    with pytest.raises(ImportFailed, match="no such file"):
        imports.run("test", tmp_path / "nope.csv", lambda *a: None)


@pytest.mark.django_db
def test_too_many_problems_stop_early(tmp_path):
    def noisy(path, problems, report):
        for line in range(10_000):
            problems.add("bad", line=line)

    with pytest.raises(ImportFailed) as failed:
        imports.run("test", write(tmp_path, "n.csv", b"a\n"), noisy)
    assert len(failed.value.errors) == imports.MAX_PROBLEMS + 1
    assert "stopped after" in failed.value.errors[-1].reason
    assert "more problems" in str(failed.value)
