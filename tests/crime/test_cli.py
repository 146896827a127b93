"""`soclocal import crime` as an operator runs it."""

import pytest

from soclocal.cli import main
from soclocal.crime import store

from .conftest import NOTTS_JAN, data_lines

pytestmark = pytest.mark.django_db


def test_cli_imports_and_reports(data_dir, capsys):
    assert main(["import", "crime", str(NOTTS_JAN)]) == 0
    out = capsys.readouterr().out
    assert f"Imported {data_lines(NOTTS_JAN):,} rows" in out
    con = store.connect()
    assert con.execute("SELECT count(*) FROM street").fetchall() == [(data_lines(NOTTS_JAN),)]


def test_cli_failure_names_lines_and_writes_rejects(data_dir, work, capsys):
    bad = work / NOTTS_JAN.name
    bad.write_bytes(NOTTS_JAN.read_bytes().replace(b",E01", b",Q01"))
    rejects = work / "rejects.csv"
    assert main(["import", "crime", str(bad), "--rejects-file", str(rejects)]) == 1
    err = capsys.readouterr().err
    assert "nothing was changed" in err and f"{NOTTS_JAN.name}, line 2" in err
    assert "... and" in err and str(rejects) in err
    assert rejects.read_text().count("\n") > 100
    assert main(["import", "crime", str(bad), "--accept-rejects"]) == 0
    assert "rows were rejected" in capsys.readouterr().out
