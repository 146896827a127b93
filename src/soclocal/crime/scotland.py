"""Police Scotland recorded-crime extracts: counts by month, data zone, crime group and type.

police.uk carries no Police Scotland data, so a Scottish partnership brings its own extract
from recorded crime, in the layout documented in docs/police-scotland-extract.md:

    month,data_zone,crime_group,crime_type,count
    2024-01,S01010206,Crimes against society,Drugs - Supply,3

or with `latitude,longitude` in place of `data_zone` (each point is placed in the loaded data
zone boundary that holds it). Crime groups are the Scottish Government's eight groups of
Recorded Crime in Scotland and crime types its published categories (`CRIME_GROUPS`).

The import recognises the layout from its header and runs in the same import as police.uk
files: the same rejects file (file, line, field, reason), the same all-or-nothing rule and
the same staging and swap, each month of the extract replacing the same month already stored
for Police Scotland (kind `recorded_counts`, force `police-scotland`).
"""

import csv
import io
import re
from dataclasses import dataclass

from soclocal.core.imports import ImportProblem

from . import store

FORCE = "police-scotland"
KIND = "recorded_counts"

# The Scottish Government's crime and offence groups (Recorded Crime in Scotland, from
# 2021-22) and the categories it publishes within each.
CRIME_GROUPS: dict[str, tuple[str, ...]] = {
    "Non-sexual crimes of violence": (
        "Homicide etc.", "Attempted murder and serious assault", "Robbery", "Common assault",
        "Domestic abuse", "Stalking", "Threats and extortion",
        "Cruelty to and neglect of children", "Other non-sexual violence"),
    "Sexual crimes": (
        "Rape and attempted rape", "Sexual assault", "Crimes associated with prostitution",
        "Other sexual crimes"),
    "Crimes of dishonesty": (
        "Housebreaking", "Theft by opening a lockfast place", "Theft from a motor vehicle",
        "Theft of a motor vehicle", "Shoplifting", "Other theft", "Fraud",
        "Other dishonesty"),
    "Damage and reckless behaviour": (
        "Fire-raising", "Vandalism", "Culpable and reckless conduct"),
    "Crimes against society": (
        "Crimes against public justice", "Drugs - Supply", "Drugs - Possession",
        "Other drugs offences", "Weapons possession (not used)", "Weapons possession (used)",
        "Offences relating to serious organised crime", "Other crimes against society"),
    "Antisocial offences": (
        "Threatening and abusive behaviour", "Racially aggravated conduct",
        "Drunkenness and other disorderly conduct", "Urinating etc."),
    "Miscellaneous offences": (
        "Licensing offences", "Wildlife offences", "Communications Act offences",
        "Environmental offences", "Other miscellaneous offences"),
    "Road traffic offences": (
        "Dangerous and careless driving", "Driving under the influence", "Speeding",
        "Unlawful use of vehicle", "Vehicle defect offences", "Seat belt offences",
        "Mobile phone offences", "Other road traffic offences"),
}

REQUIRED = ("month", "crime_group", "crime_type", "count")
PLACE_COLUMNS = (("data_zone",), ("latitude", "longitude"))
DZ_RE = re.compile(r"^S01\d{6}$")
# Scotland and its islands, generously.
LATITUDE, LONGITUDE = (54.5, 61.0), (-9.0, -0.5)


def _key(text: str) -> str:
    """Names compared without regard to case, '&' or 'and', dashes, full stops or spacing, so
    an analyst's 'Drugs – supply' is the published 'Drugs - Supply' and 'Homicide etc'
    is 'Homicide etc.'."""
    text = text.lower().replace("&", " and ")
    return re.sub(r"[^a-z0-9()]+", " ", text).replace("( ", "(").replace(" )", ")").strip()


GROUP_BY_KEY = {_key(g): g for g in CRIME_GROUPS}
TYPE_BY_KEY = {(_key(g), _key(t)): t for g, types in CRIME_GROUPS.items() for t in types}
GROUP_OF_TYPE = {_key(t): g for g, types in CRIME_GROUPS.items() for t in types}


def columns_of(header: list[str]) -> list[str]:
    return [re.sub(r"[^a-z0-9]+", "_", c.strip().lower()).strip("_") for c in header]


def recognises(header: list[str]) -> bool:
    """Whether a CSV header is this layout: the required columns and a way to place rows."""
    columns = set(columns_of(header))
    return set(REQUIRED) <= columns and any(set(p) <= columns for p in PLACE_COLUMNS)


@dataclass
class Row:
    month: str
    data_zone: str | None
    latitude: float | None
    longitude: float | None
    crime_group: str
    crime_type: str
    count: int


def check_row(values: dict[str, str], zones) -> tuple[Row | None, list[tuple[str, str]]]:
    """One row's values (by column) checked: the row, or None and [(field, reason), ...].
    `zones` holds the data zone codes the loaded geography knows."""
    problems = []
    month = (values.get("month") or "").strip()
    if not store.MONTH_RE.match(month):
        problems.append(("month", f"'{month}' is not a month written YYYY-MM"))

    zone = (values.get("data_zone") or "").strip().upper() or None
    latitude = longitude = None
    if zone is not None:
        if not DZ_RE.match(zone):
            problems.append(("data_zone", f"'{zone}' is not a data zone code (S01 and six "
                                          "digits)"))
        elif zone not in zones:
            problems.append(("data_zone", f"the data zone {zone} is not in the loaded "
                                          "geography"))
    else:
        raw = {c: (values.get(c) or "").strip() for c in ("latitude", "longitude")}
        if not raw["latitude"] and not raw["longitude"]:
            problems.append(("data_zone", "the row gives neither a data zone nor a latitude "
                                          "and longitude"))
        else:
            for column, (low, high) in (("latitude", LATITUDE), ("longitude", LONGITUDE)):
                try:
                    number = float(raw[column])
                except ValueError:
                    number = None
                if number is None or not low <= number <= high:
                    problems.append((column, f"'{raw[column]}' is not a {column} in Scotland"))
                elif column == "latitude":
                    latitude = number
                else:
                    longitude = number

    group_text = (values.get("crime_group") or "").strip()
    type_text = (values.get("crime_type") or "").strip()
    group = GROUP_BY_KEY.get(_key(group_text))
    crime_type = None
    if group is None:
        problems.append(("crime_group", f"'{group_text}' is not one of the Scottish "
                                        "Government's crime groups"))
    else:
        crime_type = TYPE_BY_KEY.get((_key(group), _key(type_text)))
        other = GROUP_OF_TYPE.get(_key(type_text))
        if crime_type is None and other:
            problems.append(("crime_type", f"'{type_text}' is a crime type of {other}, not of "
                                           f"{group}"))
        elif crime_type is None and not _key(type_text):
            problems.append(("crime_type", "the crime type is empty"))
        elif crime_type is None:
            # Categories change between bulletins: a type not in the list is kept as the
            # extract names it and counted in its group (harm weight 0 until one is set).
            crime_type = " ".join(type_text.split())

    raw_count = (values.get("count") or "").strip()
    count = int(raw_count) if re.fullmatch(r"\d+", raw_count) else None
    if count is None:
        reason = ("is negative: a count cannot be below 0"
                  if re.fullmatch(r"-\s*\d+(\.\d*)?", raw_count) else "is not a whole number")
        problems.append(("count", f"'{raw_count}' {reason}"))

    if problems:
        return None, problems
    return Row(month, zone, latitude, longitude, group, crime_type, count), []


class ZoneFinder:
    """The data zone codes loaded, and their boundaries for placing points (read when needed)."""

    def __init__(self):
        from soclocal.areas.models import Area, AreaType

        self.codes = set(Area.objects.filter(type=AreaType.DZ11).values_list("code", flat=True))
        self._tree = None

    def place(self, points: list[tuple[float, float]]) -> list[str | None]:
        import shapely

        from soclocal.areas.models import Area, AreaType

        if not points:
            return []
        if self._tree is None:
            rows = list(Area.objects.filter(type=AreaType.DZ11, geometry__isnull=False)
                        .exclude(geometry="").values_list("code", "geometry"))
            self._codes = [c for c, _ in rows]
            self._tree = shapely.STRtree(shapely.from_geojson([g for _, g in rows],
                                                              on_invalid="ignore"))
        found: list[str | None] = [None] * len(points)
        if self._codes:
            hits = self._tree.query(shapely.points([(lon, lat) for lat, lon in points]),
                                    predicate="within")
            for i, j in zip(*hits, strict=True):
                found[int(i)] = found[int(i)] or self._codes[int(j)]
        return found


def read(source_name: str, data: bytes, finder: ZoneFinder, add_problem):
    """Every good row of one extract (with its line), calling `add_problem(problem, text)`
    for each bad one."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[:e.start].count(b"\n") + 1
        add_problem(ImportProblem(source_name, "this line is not UTF-8 text", line=line), "")
        return []
    reader = csv.reader(io.StringIO(text, newline=""))
    header = columns_of(next(reader, []))
    good, to_place, seen = [], [], 0
    if not finder.codes:
        add_problem(ImportProblem(source_name, "no Scottish data zones are loaded: import the "
                                               "data zone lookup (dz11_iz11_ltla20.csv) first",
                                  line=1), "")
        return []
    for values in reader:
        line = reader.line_num
        if not any(v.strip() for v in values):
            continue
        seen += 1
        if len(values) != len(header):
            add_problem(ImportProblem(source_name, f"this line has {len(values)} values but "
                                                   f"the header has {len(header)} columns",
                                      line=line), ",".join(values))
            continue
        row, problems = check_row(dict(zip(header, values, strict=True)), finder.codes)
        for column, reason in problems:
            add_problem(ImportProblem(source_name, reason, line=line, field=column),
                        ",".join(values))
        if row is not None:
            good.append((line, row))
            if row.data_zone is None:
                to_place.append(len(good) - 1)
    placed = finder.place([(good[i][1].latitude, good[i][1].longitude) for i in to_place])
    for i, zone in zip(to_place, placed, strict=True):
        line, row = good[i]
        if zone is None:
            add_problem(ImportProblem(source_name, f"the point {row.latitude}, {row.longitude} "
                                                   "is in no loaded data zone", line=line,
                                      field="latitude"), "")
        row.data_zone = zone
    if not seen:
        add_problem(ImportProblem(source_name, "the file has a header but no rows of data",
                                  line=1), "")
    return [(line, row) for line, row in good if row.data_zone is not None]


def stage(files, staging, import_id: int, add_problem, claimed: dict) -> dict[str, dict]:
    """Check every extract and write its good rows to `staging`, a partition per month.
    `files` is [(source name, file name, bytes)]; returns {source name: {"rows", "months"}}.
    A month given by two files of one import is a problem: which to keep is not knowable."""
    import pyarrow as pa  # here, not at the top: every crime import loads this module
    import pyarrow.parquet as pq

    finder = ZoneFinder()
    by_month: dict[str, list] = {}
    summary = {}
    for name, file_name, data in files:
        rows = read(name, data, finder, add_problem)
        months = sorted({row.month for _, row in rows})
        for month in months:
            first = claimed.setdefault((KIND, FORCE, month), name)
            if first != name:
                add_problem(ImportProblem(name, f"this import has two Police Scotland extracts "
                                                f"holding {month}: {first} and {name}"), "")
        for line, row in rows:
            by_month.setdefault(row.month, []).append((file_name, line, row))
        summary[name] = {"rows": len(rows), "months": months}
    for month, rows in by_month.items():
        table = pa.table({
            "data_zone": [r.data_zone for _, _, r in rows],
            "latitude": pa.array([r.latitude for _, _, r in rows], pa.float64()),
            "longitude": pa.array([r.longitude for _, _, r in rows], pa.float64()),
            "crime_group": [r.crime_group for _, _, r in rows],
            "crime_type": [r.crime_type for _, _, r in rows],
            "count": pa.array([r.count for _, _, r in rows], pa.int32()),
            "source_file": [f for f, _, _ in rows],
            "source_line": pa.array([line for _, line, _ in rows], pa.int32()),
            "import_id": pa.array([import_id] * len(rows), pa.int64()),
        })
        target = store.partition_dir(KIND, FORCE, month, base=staging)
        target.mkdir(parents=True, exist_ok=True)
        pq.write_table(table, target / "data.parquet")
    return summary
