"""Partners' indicator files: `area_code, period, indicator, count` and optional `denominator`.

Every row is checked (the area is a loaded LSOA or data zone, the period is YYYY, YYYY-Qn or
YYYY-MM, the indicator is defined, the count a whole number of 0 or more, the denominator no
smaller than the count, no row twice); any problem stops the whole file (core/imports.py).
A row for an area, period and indicator already held replaces the figure held.
"""

import re
from pathlib import Path

from soclocal.areas.models import SMALL_AREA_TYPES, Area
from soclocal.core import imports

from .models import Indicator, IndicatorValue

COLUMNS = ["area_code", "period", "indicator", "count"]
OPTIONAL = ["denominator"]
PERIOD = re.compile(r"^(\d{4})(?:-Q([1-4])|-(0[1-9]|1[0-2]))?$")


def valid_period(text: str) -> bool:
    return bool(PERIOD.match(text)) and 1990 <= int(text[:4]) <= 2100


def _whole(text: str):
    text = text.strip()
    return int(text) if re.fullmatch(r"\d+", text) else None


def check_rows(csv_file, problems, *, areas: dict, indicators: dict,
               worked_out=frozenset()) -> list[dict]:
    """The rows as values to write; every problem goes into `problems`."""
    seen = {}
    good = []
    has_denominator = "denominator" in csv_file.header
    for line, row in csv_file.rows:
        code = row["area_code"].strip().upper()
        period = row["period"].strip()
        name = row["indicator"].strip()
        ok = True
        if code not in areas:
            problems.add(f"unknown area code '{code}' (not a loaded LSOA or data zone)",
                         line=line, field="area_code")
            ok = False
        if not valid_period(period):
            problems.add(f"bad period '{period}': write YYYY, YYYY-Qn or YYYY-MM",
                         line=line, field="period")
            ok = False
        if name in worked_out:
            problems.add(f"indicator '{name}' is worked out from the system's own records; "
                         "it cannot be uploaded", line=line, field="indicator")
            ok = False
        elif name not in indicators:
            problems.add(f"unknown indicator '{name}'; define it on the indicators page first",
                         line=line, field="indicator")
            ok = False
        count = _whole(row["count"])
        if count is None:
            problems.add(f"count '{row['count'].strip()}' is not a whole number of 0 or more",
                         line=line, field="count")
            ok = False
        denominator = None
        if has_denominator and row["denominator"].strip():
            denominator = _whole(row["denominator"])
            if denominator is None:
                problems.add(f"denominator '{row['denominator'].strip()}' is not a whole "
                             "number of 0 or more", line=line, field="denominator")
                ok = False
            elif count is not None and denominator < count:
                problems.add(f"denominator {denominator} is smaller than the count {count}",
                             line=line, field="denominator")
                ok = False
        key = (code, period, name)
        if key in seen:
            problems.add(f"duplicate row: {code}, {period}, {name} is already on line "
                         f"{seen[key]}", line=line)
            ok = False
        else:
            seen[key] = line
        if ok:
            good.append({"area": areas[code], "period": period, "indicator": indicators[name],
                         "count": count, "denominator": denominator})
    return good


def _loader(display_name: str):
    def load(path: Path, problems, progress):
        csv_file = imports.read_csv(path, problems)
        if csv_file is None or not imports.require_columns(csv_file, COLUMNS, problems):
            return imports.ImportResult("indicators", "vulnerability indicators", display_name)
        codes = {r["area_code"].strip().upper() for _, r in csv_file.rows}
        areas = {a.code.upper(): a.pk for a in
                 Area.objects.filter(type__in=SMALL_AREA_TYPES, code__in=codes)}
        indicators = dict(Indicator.objects.filter(kind=Indicator.Kind.UPLOADED)
                          .values_list("code", "pk"))
        worked_out = set(Indicator.objects.exclude(kind=Indicator.Kind.UPLOADED)
                         .values_list("code", flat=True))
        rows = check_rows(csv_file, problems, areas=areas, indicators=indicators,
                          worked_out=worked_out)
        problems.raise_if_any()
        created = updated = 0
        for row in imports.rows_with_progress(rows, progress, "Saving figures"):
            _, made = IndicatorValue.objects.update_or_create(
                indicator_id=row["indicator"], area_id=row["area"], period=row["period"],
                defaults={"count": row["count"], "denominator": row["denominator"],
                          "source_file": display_name})
            created += made
            updated += not made
        return imports.ImportResult("indicators", "vulnerability indicators", display_name,
                                    rows=len(rows), counts={"added": created, "replaced": updated})
    return load


def import_indicators(path, *, actor=None, progress=None, display_name=None):
    """Import one partner file, all or nothing. Raises imports.ImportFailed with every problem."""
    path = Path(path)
    return imports.run("indicators", path, _loader(display_name or path.name),
                       actor=actor, progress=progress)
