"""Reading crime import records and what the store holds, scoped to the asking person."""

from django.db.models import QuerySet

from soclocal.core.access import get_scoped_or_404, scope

from . import store
from .models import CrimeImport


def imports_for(user) -> QuerySet:
    return scope(user, "crime.import", CrimeImport.objects.select_related("created_by"))


def import_for(user, pk: int) -> CrimeImport:
    return get_scoped_or_404(user, "crime.import", CrimeImport.objects.select_related(
        "created_by"), pk=pk)


def store_summary() -> list[dict]:
    """Rows held per kind and force, with the first and last month (open data counts)."""
    con = store.connect()
    try:
        rows = []
        for kind in store.KINDS:
            for force, months, first, last, count in con.execute(
                    f"SELECT force, count(DISTINCT month), min(month), max(month), count(*) "
                    f"FROM {kind} GROUP BY force ORDER BY force").fetchall():
                rows.append({"kind": kind, "kind_label": store.KIND_LABELS[kind],
                             "force": force, "months": months, "first": first,
                             "last": last, "rows": count})
        return rows
    finally:
        con.close()


def street_crimes_by_lsoa(months: list[str], crime_type: str = "") -> dict | None:
    """{LSOA 2021 code: street crimes recorded in `months` (YYYY-MM)}, of one crime type or
    every type; None when the store holds none of those months (so no figure, not zero)."""
    con = store.connect()
    try:
        wanted = list(months)
        held = con.execute("SELECT count(*) FROM (SELECT DISTINCT month FROM street "
                           "WHERE list_contains(?, month))", [wanted]).fetchone()[0]
        if not held:
            return None
        sql = ("SELECT lsoa21_code, count(*) FROM street WHERE list_contains(?, month) "
               "AND lsoa21_code IS NOT NULL")
        params = [wanted]
        if crime_type:
            sql += " AND crime_type = ?"
            params.append(crime_type)
        return dict(con.execute(sql + " GROUP BY lsoa21_code", params).fetchall())
    finally:
        con.close()
