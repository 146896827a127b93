"""The crime pages and endpoints for the access matrix in tests/core/test_access_matrix.py."""

PAGES = {
    "crime:imports": ("crime.import", False),
    "crime:upload": ("crime.import", False),
    "crime:import": ("crime.import", False),
    "crime:rejects": ("crime.import", False),
}

API = {
    "/api/v1/crime/imports": "crime.import",
}


def context():
    """An import record with a rejects file, so its pages answer for those allowed."""
    from pathlib import Path

    from django.conf import settings

    from soclocal.crime.models import CrimeImport

    rejects = Path(settings.DATA_DIR) / "crime" / "rejects" / "matrix-rejects.csv"
    rejects.parent.mkdir(parents=True, exist_ok=True)
    rejects.write_text("file,line,field,reason,text\n")
    record = CrimeImport.objects.create(status=CrimeImport.Status.DONE_WITH_REJECTS,
                                        rejects_file="crime/rejects/matrix-rejects.csv")
    return {"crime_import": record.pk}


def url_kwargs(name, ctx):
    if name in ("crime:import", "crime:rejects"):
        return {"pk": ctx.get("crime_import", 1)}
    return None


def api_path(template, ctx):
    return template
