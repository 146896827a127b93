"""Writing crime import records. The store itself is written by `imports.import_paths`."""

from django.utils import timezone

from soclocal.core import audit
from soclocal.core.access import service

from .models import CrimeImport


@service("crime.import")
def start_import(actor, *, accept_rejects: bool) -> CrimeImport:
    """The record of an import about to run (checks the person may import crime data)."""
    return CrimeImport.objects.create(created_by=actor, accept_rejects=accept_rejects)


@service("crime.import")
def finish_import(actor, record: CrimeImport, *, status: str, files: list, rows_in: int,
                  rows_rejected: int, problems: int, rejects_file: str, notes: list) -> None:
    record.status = status
    record.files = files
    record.rows_in = rows_in
    record.rows_rejected = rows_rejected
    record.problems = problems
    record.rejects_file = rejects_file
    record.notes = notes
    record.finished_at = timezone.now()
    record.save()
    audit.record("import.crime", actor=actor, obj=record, detail={
        "status": status, "rows_in": rows_in, "rows_rejected": rows_rejected,
        "problems": problems, "rejects_file": rejects_file,
        "files": [{k: f.get(k) for k in ("name", "sha256", "kind", "force", "month", "rows")}
                  for f in files],
    })
