"""Crime data over the API: the record of each import."""

from datetime import datetime

from ninja import Router, Schema

from soclocal.core.access import demand

from . import selectors

router = Router(tags=["crime"])


class ImportFileOut(Schema):
    name: str
    sha256: str
    kind: str
    force: str
    month: str
    rows: int
    rejected: int
    skipped: str


class CrimeImportOut(Schema):
    id: int
    status: str
    started_at: datetime
    finished_at: datetime | None
    imported_by: str | None
    accept_rejects: bool
    rows_in: int
    rows_rejected: int
    problems: int
    has_rejects_file: bool
    files: list[ImportFileOut]
    notes: list[str]


@router.get("/crime/imports", response=list[CrimeImportOut], summary="Crime imports, newest first")
def list_imports(request, limit: int = 50):
    demand(request, "crime.import")
    return [{
        "id": r.pk, "status": r.status, "started_at": r.started_at, "finished_at": r.finished_at,
        "imported_by": r.created_by.get_username() if r.created_by else None,
        "accept_rejects": r.accept_rejects, "rows_in": r.rows_in,
        "rows_rejected": r.rows_rejected, "problems": r.problems,
        "has_rejects_file": bool(r.rejects_file),
        "files": [{"name": f.get("name", ""), "sha256": f.get("sha256", ""),
                   "kind": f.get("kind", ""), "force": f.get("force", ""),
                   "month": f.get("month", ""), "rows": f.get("rows", 0),
                   "rejected": f.get("rejected", 0), "skipped": f.get("skipped", "")}
                  for f in r.files],
        "notes": r.notes,
    } for r in selectors.imports_for(request.user)[:max(1, min(limit, 500))]]
