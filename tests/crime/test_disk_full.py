"""A disk that fills during a crime import: the store is unchanged and the error says so."""

import errno

import pytest

from soclocal.cli import main
from soclocal.crime import imports, store
from soclocal.crime.models import CrimeImport

from .conftest import NOTTS_FEB, NOTTS_JAN, snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_disk(monkeypatch):
    """The crime store's write boundary (the first file written as an import is saved)
    reports ENOSPC, as the operating system does when the disk is full."""

    def no_space(path, text):
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(store, "_write_durably", no_space)


def test_a_full_disk_leaves_the_store_unchanged_and_the_import_failed(data_dir, full_disk):
    imports_before = CrimeImport.objects.count()
    before = snapshot(data_dir)
    with pytest.raises(OSError) as failure:
        imports.import_paths([NOTTS_JAN, NOTTS_FEB])
    assert failure.value.errno == errno.ENOSPC
    assert snapshot(data_dir) == before
    assert not any((data_dir / "crime" / ".staging").iterdir())
    record = CrimeImport.objects.order_by("pk").last()
    assert CrimeImport.objects.count() == imports_before + 1
    assert record.status == CrimeImport.Status.FAILED and record.rows_in == 0


def test_a_full_disk_over_existing_months_keeps_them(data_dir, monkeypatch):
    imports.import_paths([NOTTS_JAN])
    before = snapshot(data_dir)
    assert before

    def no_space(path, text):
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(store, "_write_durably", no_space)
    with pytest.raises(OSError):
        imports.import_paths([NOTTS_JAN, NOTTS_FEB])
    assert snapshot(data_dir) == before
    con = store.connect()
    assert con.execute("SELECT DISTINCT month FROM street").fetchall() == [("2023-01",)]


def test_the_command_says_the_disk_is_full_without_a_trace(data_dir, full_disk, capsys):
    assert main(["import", "crime", str(NOTTS_JAN)]) == 1
    err = capsys.readouterr().err
    assert "Import failed: nothing was changed. The disk is full" in err
    assert "free some space" in err and "Traceback" not in err


def test_a_full_disk_in_an_upload_job_tells_the_person_plainly():
    from soclocal.core.jobs import disk_problem

    message = disk_problem(OSError(errno.ENOSPC, "No space left on device"))
    assert message.startswith("The disk is full, so nothing was saved")
    assert disk_problem(OSError(errno.EACCES, "Permission denied")) == ""
