"""Importing police.uk files into the crime store, all or nothing.

`import_paths(paths)` takes CSV files, folders and police.uk's monthly archive zips (folders
`YYYY-MM/` of `*-street.csv`, `*-outcomes.csv` and `*-stop-and-search.csv`). Each file is read
once, in turn, so memory does not grow with the number of months:

1. its bytes are checked as UTF-8 text and its header against police.uk's exact columns;
2. pyarrow parses it (rows with the wrong number of values are named by line);
3. DuckDB checks every row with SQL (month, coordinates, LSOA code, crime type, outcome)
   and carries 2011 LSOA codes to 2021 through the areas lookup;
4. the good rows are written as Parquet to a staging folder.

Only when every file is clean (or the person chose to accept rejects) are the staged months
swapped into the store, each replacing the same force's month of the same kind. Every rejected
row is written, with its file, line and reason, to a rejects CSV in the data directory.
"""

import csv
import hashlib
import io
import json
import re
import zipfile
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
from django.conf import settings

from soclocal.core.imports import (
    ImportFailed,
    ImportProblem,
    Problems,
    Progress,
    TooManyProblems,
    decode_text,
)

from . import services, store
from .models import CrimeImport

HEADERS = {
    "street": ["Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude",
               "Location", "LSOA code", "LSOA name", "Crime type", "Last outcome category",
               "Context"],
    "outcomes": ["Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude",
                 "Location", "LSOA code", "LSOA name", "Outcome type"],
    "stop_search": ["Type", "Date", "Part of a policing operation", "Policing operation",
                    "Latitude", "Longitude", "Gender", "Age range", "Self-defined ethnicity",
                    "Officer-defined ethnicity", "Legislation", "Object of search", "Outcome",
                    "Outcome linked to object of search",
                    "Removal of more than just outer clothing"],
}
KIND_LABELS = {"street": "street crime", "outcomes": "outcomes", "stop_search": "stop and search"}
FILE_KINDS = {"street": "street", "outcomes": "outcomes", "stop-and-search": "stop_search"}
FILE_NAME_RE = re.compile(
    r"^(?P<month>\d{4}-\d{2})-(?P<force>[a-z0-9]+(?:-[a-z0-9]+)*?)-"
    r"(?P<kind>street|outcomes|stop-and-search)\.csv$", re.IGNORECASE)

# The UK's extent, generously: police.uk's anonymised points all fall inside it.
LONGITUDE = (-8.7, 1.8)
LATITUDE = (49.8, 60.9)
LSOA_RE = "[EW]01[0-9]{6}"
BOOLEANS = ("", "True", "False", "true", "false", "TRUE", "FALSE")

SHOWN_PROBLEMS = 10_000  # kept in memory for the failure; the rejects file has every one


def snake(column: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", column.lower()).strip("_")


def _sql_list(values) -> str:
    return "(" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + ")"


def _q(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


class CrimeImportFailed(ImportFailed):
    """Nothing was imported; `errors` lists problems and `rejects_file` holds every one."""

    def __init__(self, errors, *, record=None, rejects_file="", total=None):
        super().__init__(errors)
        self.record = record
        self.rejects_file = rejects_file
        self.total = total if total is not None else len(errors)


# ---------------------------------------------------------------- finding the files

@dataclass
class Source:
    name: str  # as shown to people: the file, or archive.zip:folder/file
    file_name: str  # the CSV's own name, kept with every row
    size: int
    read: Callable[[], bytes]


def find_sources(paths, stack: ExitStack, problems: Problems) -> list[Source]:
    sources = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file()
                           and p.suffix.lower() in (".csv", ".zip"))
            if not found:
                problems.add(f"the folder {path} holds no CSV or zip files")
            for p in found:
                sources += _sources_of_file(p, p.relative_to(path).as_posix(), stack, problems)
        elif path.is_file():
            sources += _sources_of_file(path, path.name, stack, problems)
        else:
            problems.add(f"there is no file or folder {path}")
    return sources


def _sources_of_file(path: Path, shown: str, stack, problems) -> list[Source]:
    if path.suffix.lower() == ".zip":
        try:
            archive = stack.enter_context(zipfile.ZipFile(path))
        except zipfile.BadZipFile:
            problems.add(f"{shown} is not a zip archive that can be opened")
            return []
        members = sorted(
            (m for m in archive.infolist() if not m.is_dir()
             and m.filename.lower().endswith(".csv") and "__MACOSX" not in m.filename),
            key=lambda m: m.filename)
        if not members:
            problems.add(f"the archive {shown} holds no CSV files")
        return [Source(f"{shown}:{m.filename}", m.filename.rsplit("/", 1)[-1], m.file_size,
                       (lambda a=archive, m=m: a.read(m))) for m in members]
    return [Source(shown, path.name, path.stat().st_size, path.read_bytes)]


# ---------------------------------------------------------------- the geography

class Geography:
    """LSOA codes the areas app knows, and how 2011 codes carry to 2021."""

    def __init__(self):
        from soclocal.areas.models import Area, AreaType, LsoaLookup

        lsoa21 = set(Area.objects.filter(type=AreaType.LSOA21).values_list("code", flat=True))
        lsoa21 |= set(LsoaLookup.objects.values_list("lsoa21_code", flat=True))
        self.splits: dict[str, list[str]] = {}
        for old, new in (LsoaLookup.objects.order_by("lsoa11_code", "lsoa21_code")
                         .values_list("lsoa11_code", "lsoa21_code")):
            if old not in lsoa21:
                self.splits.setdefault(old, []).append(new)
        codes = sorted(lsoa21) + sorted(self.splits)
        self.table = pa.table({
            "code": pa.array(codes, pa.string()),
            "lsoa21": pa.array(sorted(lsoa21) + [v[0] for _, v in sorted(self.splits.items())],
                               pa.string()),
            "split": pa.array([False] * len(lsoa21)
                              + [len(v) > 1 for _, v in sorted(self.splits.items())]),
        })
        self.empty = not codes
        self._shapes = None
        self._tree = None

    def shapes(self) -> dict:
        """LSOA 2021 boundaries as shapely geometries (loaded when first needed)."""
        if self._shapes is None:
            import shapely

            from soclocal.areas.models import Area, AreaType

            self._shapes = {}
            for code, geometry in (Area.objects.filter(type=AreaType.LSOA21)
                                   .exclude(geometry__isnull=True).exclude(geometry="")
                                   .values_list("code", "geometry")):
                try:
                    self._shapes[code] = shapely.from_geojson(geometry)
                except Exception:  # a broken boundary places nothing; it is not this import's fault
                    continue
        return self._shapes

    def split_target(self, code: str, lon, lat) -> str:
        """A split 2011 LSOA's 2021 LSOA: the one holding the point, else the first."""
        import shapely

        targets = self.splits[code]
        if lon is not None and lat is not None:
            for target in targets:
                shape = self.shapes().get(target)
                if shape is not None and shapely.contains_xy(shape, lon, lat):
                    return target
        return targets[0]

    def lsoa_of_points(self, lons, lats) -> list:
        """The LSOA 2021 holding each point, or None (no boundaries, or outside them)."""
        import shapely

        shapes = self.shapes()
        found = [None] * len(lons)
        if not shapes or not len(lons):
            return found
        if self._tree is None:
            self._codes = list(shapes)
            self._tree = shapely.STRtree([shapes[c] for c in self._codes])
        points = shapely.points(np.asarray(lons, dtype=float), np.asarray(lats, dtype=float))
        pairs = self._tree.query(points, predicate="within")
        for point_index, shape_index in zip(pairs[0], pairs[1], strict=True):
            if found[point_index] is None:
                found[point_index] = self._codes[shape_index]
        return found


# ---------------------------------------------------------------- one file

@dataclass
class FileOutcome:
    name: str
    sha256: str
    kind: str = ""
    force: str = ""
    month: str = ""
    rows: int = 0
    rejected: int = 0
    skipped: str = ""
    partitions: list = field(default_factory=list)
    outside_geography: int = 0

    def as_record(self):
        return {"name": self.name, "sha256": self.sha256, "kind": self.kind,
                "force": self.force, "month": self.month, "rows": self.rows,
                "rejected": self.rejected, "skipped": self.skipped,
                "outside_geography": self.outside_geography}


class Rejects:
    """Every rejected row or file, written to a CSV as it is found."""

    def __init__(self, path: Path):
        self.path = path
        self.count = 0
        self.shown: list[ImportProblem] = []
        self._handle = None
        self._writer = None

    def add(self, problem: ImportProblem, text: str = ""):
        if self._writer is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._handle = open(self.path, "w", newline="", encoding="utf-8")
            self._writer = csv.writer(self._handle)
            self._writer.writerow(["file", "line", "field", "reason", "text"])
        self._writer.writerow([problem.file, problem.line or "", problem.field, problem.reason,
                               text])
        self.count += 1
        if len(self.shown) < SHOWN_PROBLEMS:
            self.shown.append(problem)

    def close(self):
        if self._handle is not None:
            self._handle.close()


def _line_index(data: bytes):
    """Start and end offsets of each line, and the numbers of the lines that are not blank."""
    buf = np.frombuffer(data, dtype=np.uint8)
    breaks = np.flatnonzero(buf == 10)
    starts = np.concatenate(([0], breaks + 1))
    ends = np.concatenate((breaks, [len(data)]))
    lengths = ends - starts
    has_cr = np.zeros(len(ends), dtype=bool)
    nonempty = lengths > 0
    has_cr[nonempty] = buf[ends[nonempty] - 1] == 13
    content = lengths - has_cr
    return starts, ends - has_cr, np.flatnonzero(content > 0) + 1


class FileImporter:
    """Checks one file and stages its good rows; problems go to `rejects`."""

    def __init__(self, con, geography: Geography, import_id: int, staging: Path,
                 rejects: Rejects, *, write: bool):
        self.con = con
        self.geo = geography
        self.import_id = import_id
        self.staging = staging
        self.rejects = rejects
        self.write = write

    def run(self, source: Source, data: bytes, outcome: FileOutcome) -> None:
        name = source.name
        problems = Problems(name)
        # File-level checks: encoding, emptiness, the header.
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        try:
            text_ok = decode_text(data, problems) is not None
        except TooManyProblems:
            text_ok = False
        if not text_ok:
            for p in problems:
                self.rejects.add(p)
            return
        starts, ends, nonblank = _line_index(data)
        first = data[starts[0]:ends[0]].decode("utf-8")
        header = next(csv.reader([first]), [])
        kind = self._kind(source, header, outcome)
        if kind is None:
            return
        outcome.kind = kind
        if len(nonblank) <= 1 or nonblank[0] != 1:
            self._file_problem(name, "the file has a header but no rows of data"
                               if len(nonblank) <= 1 else "the first line should be the header",
                               line=1)
            return

        # Parse: every row must have the header's number of values.
        columns = [snake(c) for c in HEADERS[kind]]
        invalid = []

        def on_invalid(row):
            invalid.append((row.number, row.actual_columns, row.text))
            return "skip"

        convert = pacsv.ConvertOptions(
            column_types={c: pa.string() for c in columns}, strings_can_be_null=False,
            check_utf8=False, quoted_strings_can_be_null=False)  # UTF-8 is checked above
        try:
            table = pacsv.read_csv(io.BytesIO(data), convert_options=convert,
                                   read_options=pacsv.ReadOptions(column_names=columns,
                                                                  skip_rows=1))
        except pa.ArrowInvalid:
            # Some row is malformed: read again, one thread, naming each bad row (slower).
            table = pacsv.read_csv(
                io.BytesIO(data), convert_options=convert,
                read_options=pacsv.ReadOptions(column_names=columns, skip_rows=1,
                                               use_threads=False, block_size=1 << 24),
                parse_options=pacsv.ParseOptions(invalid_row_handler=on_invalid))
        rows_seen = table.num_rows + len(invalid) + 1
        if rows_seen == len(nonblank):
            # One row a line (no values running over lines): row n is the nth non-blank line.
            bad_numbers = np.array([n for n, _, _ in invalid], dtype=np.int64)
            good_numbers = np.setdiff1d(np.arange(2, rows_seen + 1), bad_numbers)
            lines = nonblank[good_numbers - 1]
            invalid_lines = [(int(nonblank[n - 1]), count, text) for n, count, text in invalid]
        else:
            lines, invalid_lines = self._lines_the_slow_way(data, len(columns))
        for line, count, text in invalid_lines:
            self.rejects.add(ImportProblem(
                name, f"this line has {count} values but the header has {len(columns)} "
                      "columns (is the line cut short?)", line=line), text)
        outcome.rejected += len(invalid_lines)
        table = table.append_column("line", pa.array(lines, pa.int32()))
        self._check_and_stage(source, kind, table, data, starts, ends, outcome)

    def _file_problem(self, name, reason, line=None, field=""):
        self.rejects.add(ImportProblem(name, reason, line=line, field=field))

    def _kind(self, source, header, outcome):
        match = FILE_NAME_RE.match(source.file_name)
        if match:
            kind = FILE_KINDS[match["kind"].lower()]
            outcome.force, outcome.month = match["force"].lower(), match["month"]
            if not store.MONTH_RE.match(outcome.month):
                self._file_problem(source.name, f"the file name's month {outcome.month} is not "
                                                "a month written YYYY-MM")
                return None
        else:
            kind = next((k for k, h in HEADERS.items() if header == h), None)
            if kind is None:
                self._file_problem(
                    source.name, "this is not a police.uk street, outcomes or stop and search "
                                 "file: its name is not like 2024-01-force-street.csv and its "
                                 "header is not one of police.uk's", line=1)
                return None
            if kind == "stop_search":
                self._file_problem(
                    source.name, "name stop and search files as police.uk does "
                                 "(2024-01-force-stop-and-search.csv): the force is known only "
                                 "from the name", line=1)
                return None
        expected = HEADERS[kind]
        if header != expected:
            missing = [c for c in expected if c not in header]
            extra = [c for c in header if c not in expected]
            detail = []
            if missing:
                detail.append("missing " + ", ".join(f"'{c}'" for c in missing))
            if extra:
                detail.append("unexpected " + ", ".join(f"'{c}'" for c in extra))
            if not detail:
                detail.append("the columns are in a different order")
            self._file_problem(
                source.name, f"the header is not police.uk's {KIND_LABELS[kind]} header "
                             f"({'; '.join(detail)}); it should be exactly: "
                             + ",".join(expected), line=1)
            return None
        return kind

    def _lines_the_slow_way(self, data, width):
        """Line numbers when some values run over several lines: let the csv module count."""
        reader = csv.reader(io.StringIO(data.decode("utf-8"), newline=""))
        next(reader)
        lines, invalid = [], []
        start = reader.line_num + 1
        for values in reader:
            if values and values != [""]:
                if len(values) == width:
                    lines.append(start)
                else:
                    invalid.append((start, len(values), ",".join(values)))
            start = reader.line_num + 1
        return np.array(lines, dtype=np.int32), invalid

    # ------------------------------------------------------------ row checks in SQL

    def _checks(self, kind: str, file_month: str):
        lon, lat = "longitude", "latitude"
        checks = []
        if kind in ("street", "outcomes"):
            checks += [
                ("Month", "NOT regexp_full_match(month, '\\d{4}-(0[1-9]|1[0-2])')",
                 "'the month ''' || month || ''' is not a month written YYYY-MM'"),
                ("Reported by", "reported_by = ''", "'the force that reported it is missing'"),
            ]
            if file_month:
                checks.append(("Month", f"regexp_full_match(month, '\\d{{4}}-(0[1-9]|1[0-2])') "
                                        f"AND month <> {_q(file_month)}",
                               f"'the month ''' || month || ''' is not the file''s month "
                               f"{file_month}'"))
            checks += [
                ("LSOA code", f"lsoa_code <> '' AND NOT regexp_full_match(lsoa_code, '{LSOA_RE}')",
                 "'''' || lsoa_code || ''' is not an LSOA code (E01 or W01 and six digits)'"),
            ]
        if kind == "street":
            checks += [
                ("Crime type", f"crime_type NOT IN {_sql_list(store.CRIME_TYPES)}",
                 "'the crime type ''' || crime_type || ''' is not one of police.uk''s crime "
                 "types'"),
                ("Last outcome category", "last_outcome_category <> '' AND last_outcome_category "
                 f"NOT IN {_sql_list(store.OUTCOME_CATEGORIES)}",
                 "'the outcome ''' || last_outcome_category || ''' is not one of police.uk''s "
                 "outcome categories'"),
            ]
        if kind == "outcomes":
            checks.append(("Outcome type", f"outcome_type NOT IN "
                                           f"{_sql_list(store.OUTCOME_CATEGORIES)}",
                           "'the outcome ''' || outcome_type || ''' is not one of police.uk''s "
                           "outcome categories'"))
        if kind == "stop_search":
            checks += [
                ("Type", f"type NOT IN {_sql_list(store.SEARCH_TYPES)}",
                 "'the type of search ''' || type || ''' is not one of "
                 + "; ".join(store.SEARCH_TYPES) + "'"),
                ("Date", "TRY_CAST(date AS TIMESTAMPTZ) IS NULL",
                 "'the date ''' || date || ''' is not a date and time such as "
                 "2024-01-31T14:05:00+00:00'"),
            ]
            if file_month:
                checks.append(("Date", f"TRY_CAST(date AS TIMESTAMPTZ) IS NOT NULL "
                                       f"AND left(date, 7) <> {_q(file_month)}",
                               f"'the date ''' || date || ''' is not in the file''s month "
                               f"{file_month}'"))
            for column in ("Part of a policing operation", "Outcome linked to object of search",
                           "Removal of more than just outer clothing"):
                checks.append((column, f"{snake(column)} NOT IN {_sql_list(BOOLEANS)}",
                               f"'''' || {snake(column)} || ''' is not True, False or empty'"))
        checks += [
            ("Longitude", f"({lon} = '') <> ({lat} = '')",
             "'give both longitude and latitude, or neither'"),
            ("Longitude", f"{lon} <> '' AND TRY_CAST({lon} AS DOUBLE) IS NULL",
             f"'the longitude ''' || {lon} || ''' is not a number'"),
            ("Longitude", f"TRY_CAST({lon} AS DOUBLE) IS NOT NULL AND NOT "
                          f"(TRY_CAST({lon} AS DOUBLE) BETWEEN {LONGITUDE[0]} AND {LONGITUDE[1]})",
             f"'the longitude ' || {lon} || ' is outside the UK ({LONGITUDE[0]} to "
             f"{LONGITUDE[1]})'"),
            ("Latitude", f"{lat} <> '' AND TRY_CAST({lat} AS DOUBLE) IS NULL",
             f"'the latitude ''' || {lat} || ''' is not a number'"),
            ("Latitude", f"TRY_CAST({lat} AS DOUBLE) IS NOT NULL AND NOT "
                         f"(TRY_CAST({lat} AS DOUBLE) BETWEEN {LATITUDE[0]} AND {LATITUDE[1]})",
             f"'the latitude ' || {lat} || ' is outside the UK ({LATITUDE[0]} to "
             f"{LATITUDE[1]})'"),
        ]
        return checks

    def _check_and_stage(self, source, kind, table, data, starts, ends, outcome):
        con = self.con
        con.register("raw", table)
        try:
            checks = self._checks(kind, outcome.month)
            any_bad = " OR ".join(f"({predicate})" for _, predicate, _ in checks)
            if con.execute(f"SELECT count(*) FROM raw WHERE {any_bad}").fetchall()[0][0] == 0:
                checks = []  # the usual case: one pass finds nothing wrong
            union = " UNION ALL ".join(
                f"SELECT line, {_q(field_name)} AS field, {reason} AS reason FROM raw "
                f"WHERE {predicate}" for field_name, predicate, reason in checks)
            found = con.execute(f"SELECT line, field, reason FROM ({union}) "
                                "ORDER BY line, field").fetchall() if checks else []
            bad_lines = sorted({line for line, _, _ in found})
            for line, field_name, reason in found:
                start, end = starts[line - 1], ends[line - 1]
                self.rejects.add(ImportProblem(source.name, reason, line=line, field=field_name),
                                 data[start:end].decode("utf-8", "replace"))
            outcome.rejected += len(bad_lines)
            con.execute("CREATE OR REPLACE TEMP TABLE bad (line INTEGER)")
            if bad_lines:
                con.executemany("INSERT INTO bad VALUES (?)", [(x,) for x in bad_lines])
            good_count = table.num_rows - len(bad_lines)
            outcome.rows = good_count
            if not self.write or good_count == 0:
                return
            self._stage(source, kind, outcome)
        finally:
            con.unregister("raw")

    def _stage(self, source, kind, outcome):
        con = self.con
        con.execute("CREATE OR REPLACE TEMP VIEW good AS SELECT * FROM raw "
                    + ("WHERE line NOT IN (SELECT line FROM bad)" if outcome.rejected else ""))
        # Which force each row belongs to: the file name's, else from "Reported by".
        if outcome.force:
            force_sql = _q(outcome.force)
        else:
            names = [r[0] for r in con.execute("SELECT DISTINCT reported_by FROM good")
                     .fetchall()]
            force_sql = "CASE reported_by " + " ".join(
                f"WHEN {_q(n)} THEN {_q(store.slugify_force(n))}" for n in names) + " END"
        fix = self._lsoa_fixes(kind)
        con.register("fix", fix)
        con.register("geo", self.geo.table)
        try:
            text = "NULLIF({0}, '')"
            common = {
                "longitude": "CAST(NULLIF(good.longitude, '') AS DOUBLE)",
                "latitude": "CAST(NULLIF(good.latitude, '') AS DOUBLE)",
                "source_file": _q(source.file_name),
                "source_line": "good.line",
                "import_id": str(int(self.import_id)),
            }
            if kind == "stop_search":
                month_sql = "left(good.date, 7)"
                special = {
                    "date": "CAST(timezone('UTC', CAST(good.date AS TIMESTAMPTZ)) AS TIMESTAMP)",
                    "lsoa21_code": "fix.lsoa21",
                    **{c: f"CASE lower(good.{c}) WHEN 'true' THEN true WHEN 'false' THEN false "
                          "END" for c in ("part_of_policing_operation",
                                          "outcome_linked_to_object_of_search",
                                          "removal_of_more_than_just_outer_clothing")},
                }
            else:
                month_sql = "good.month"
                special = {"lsoa21_code": "COALESCE(fix.lsoa21, geo.lsoa21)"}
            select = []
            for column, _ in store.COLUMNS[kind]:
                if column in store.PARTITION_COLUMNS:
                    continue
                expr = special.get(column) or common.get(column) or text.format(f"good.{column}")
                select.append(f"{expr} AS {column}")
            joins = "LEFT JOIN fix ON fix.line = good.line"
            if kind != "stop_search":
                joins += " LEFT JOIN geo ON geo.code = good.lsoa_code"
                outcome.outside_geography = con.execute(
                    "SELECT count(*) FROM good WHERE lsoa_code <> '' AND lsoa_code NOT IN "
                    "(SELECT code FROM geo)").fetchall()[0][0]
            staged = (f"SELECT {force_sql} AS force, {month_sql} AS month, "
                      f"{', '.join(select)} FROM good {joins}")
            if outcome.force and outcome.month:
                # Named like police.uk's files, and every row's month checked against the
                # name: the file is one partition.
                groups = [(outcome.force, outcome.month)]
                con.execute(f"CREATE OR REPLACE TEMP VIEW staged AS {staged}")
            else:
                con.execute(f"CREATE OR REPLACE TEMP TABLE staged AS {staged}")
                groups = con.execute("SELECT DISTINCT force, month FROM staged ORDER BY 1, 2")\
                    .fetchall()
            for force, month in groups:
                target = store.partition_dir(kind, force, month, base=self.staging)
                if target.exists():
                    raise DuplicatePartition(kind, force, month)
                target.mkdir(parents=True)
                con.execute(
                    f"COPY (SELECT * EXCLUDE (force, month) FROM staged WHERE force = ? "
                    f"AND month = ? ORDER BY source_line) TO '{target / 'data.parquet'}' "
                    "(FORMAT parquet, COMPRESSION snappy)", [force, month])
                rows = outcome.rows if len(groups) == 1 else con.execute(
                    "SELECT count(*) FROM staged WHERE force = ? AND month = ?",
                    [force, month]).fetchall()[0][0]
                (target / "source.json").write_text(json.dumps({
                    "file": source.file_name, "sha256": outcome.sha256,
                    "import_id": self.import_id, "rows": rows}))
                outcome.partitions.append((kind, force, month))
            if len(groups) == 1:
                outcome.force, outcome.month = groups[0]
        finally:
            con.unregister("fix")
            con.unregister("geo")
            con.execute("DROP VIEW IF EXISTS staged; DROP TABLE IF EXISTS staged; "
                        "DROP VIEW IF EXISTS good")

    def _lsoa_fixes(self, kind) -> pa.Table:
        """Per-line LSOA 2021 codes the SQL join cannot give: split 2011 LSOAs placed by their
        point, and stop and search points placed in their LSOA."""
        con = self.con
        if kind == "stop_search":
            rows = con.execute("SELECT line, CAST(longitude AS DOUBLE), CAST(latitude AS DOUBLE) "
                               "FROM good WHERE longitude <> ''").fetchall()
            codes = self.geo.lsoa_of_points([r[1] for r in rows], [r[2] for r in rows])
            lines = [r[0] for r in rows]
        else:
            con.register("geo", self.geo.table)
            rows = con.execute(
                "SELECT line, lsoa_code, TRY_CAST(longitude AS DOUBLE), "
                "TRY_CAST(latitude AS DOUBLE) FROM good JOIN geo ON geo.code = good.lsoa_code "
                "WHERE geo.split").fetchall()
            con.unregister("geo")
            lines = [r[0] for r in rows]
            codes = [self.geo.split_target(code, lon, lat) for _, code, lon, lat in rows]
        return pa.table({"line": pa.array(lines, pa.int32()), "lsoa21": pa.array(codes,
                                                                                 pa.string())})


class DuplicatePartition(Exception):
    def __init__(self, kind, force, month):
        super().__init__(f"{KIND_LABELS[kind]} for {force} {month}")
        self.kind, self.force, self.month = kind, force, month


# ---------------------------------------------------------------- the whole import

def import_paths(paths, *, actor=None, accept_rejects=False, progress=None,
                 skip_unchanged=False) -> CrimeImport:
    """Import police.uk files, folders and archives; all or nothing unless `accept_rejects`.

    Raises `CrimeImportFailed` (an `ImportFailed`) naming the file, line and reason for every
    bad row; the store is then exactly as it was. With `skip_unchanged`, a month whose stored
    copy came from a file with the same checksum is left alone.
    """
    record = services.start_import(actor, accept_rejects=accept_rejects)
    report = Progress(progress)
    rejects = Rejects(store.root() / "rejects" / f"import-{record.pk}-rejects.csv")
    outcomes: list[FileOutcome] = []
    notes: list[str] = []
    try:
        with store.lock(), ExitStack() as stack:
            staging = store.new_staging()
            stack.callback(store.discard_staging, staging)
            top = Problems("import")
            sources = find_sources(paths, stack, top)
            for p in top:
                rejects.add(p)
            if not sources and not top:
                rejects.add(ImportProblem("import", "no files were given"))
            geography = Geography()
            con = stack.enter_context(duckdb.connect(":memory:"))
            con.execute("SET enable_progress_bar = false")
            importer = FileImporter(con, geography, record.pk, staging, rejects,
                                    write=True)
            total = sum(s.size for s in sources) or 1
            done = 0
            seen: dict[str, str] = {}
            claimed: dict[tuple, str] = {}
            for source in sources:
                report(done, total, f"Checking {source.name}")
                data = source.read()
                digest = hashlib.sha256(data).hexdigest()
                outcome = FileOutcome(source.name, digest)
                outcomes.append(outcome)
                if digest in seen:
                    outcome.skipped = f"the same file as {seen[digest]}; imported once"
                    done += source.size
                    continue
                seen[digest] = source.name
                if skip_unchanged and _unchanged(source, digest):
                    outcome.skipped = "already in the store, unchanged"
                    m = FILE_NAME_RE.match(source.file_name)
                    outcome.kind = FILE_KINDS[m["kind"].lower()]
                    outcome.force, outcome.month = m["force"].lower(), m["month"]
                    done += source.size
                    continue
                # Once a file has failed, later files are still checked but need not be
                # staged: nothing will be published.
                importer.write = accept_rejects or rejects.count == 0
                try:
                    importer.run(source, data, outcome)
                except DuplicatePartition as twice:
                    rejects.add(ImportProblem(
                        source.name, f"this import has two different files with {twice}: "
                                     f"{claimed.get((twice.kind, twice.force, twice.month), '')}"
                                     f" and {source.name}; give one of them"))
                for key in outcome.partitions:
                    claimed[key] = source.name
                del data
                done += source.size
            rejects.close()
            if rejects.count and not accept_rejects:
                raise _failure(record, rejects, outcomes, actor)
            report(total, total, "Saving to the store")
            published = store.publish(staging)
    except CrimeImportFailed:
        raise
    except Exception:
        rejects.close()
        services.finish_import(actor, record, status=CrimeImport.Status.FAILED,
                               files=[o.as_record() for o in outcomes], rows_in=0,
                               rows_rejected=0, problems=rejects.count,
                               rejects_file=_relative(rejects), notes=["the import stopped"])
        raise
    outside = sum(o.outside_geography for o in outcomes)
    if outside:
        notes.append(f"{outside:,} rows have LSOA codes outside the loaded geography: they are "
                     "kept (and count in force totals) without an LSOA 2021 code")
    if not published and not rejects.count:
        notes.append("nothing changed: every file was already in the store")
    rows_in = sum(o.rows for o in outcomes if not o.skipped)
    rejected = sum(o.rejected for o in outcomes)
    services.finish_import(
        actor, record,
        status=CrimeImport.Status.DONE_WITH_REJECTS if rejects.count else CrimeImport.Status.DONE,
        files=[o.as_record() for o in outcomes], rows_in=rows_in, rows_rejected=rejected,
        problems=rejects.count, rejects_file=_relative(rejects), notes=notes)
    record.refresh_from_db()
    return record


def _relative(rejects: Rejects) -> str:
    if not rejects.count:
        return ""
    return str(rejects.path.relative_to(Path(settings.DATA_DIR)))


def _unchanged(source: Source, digest: str) -> bool:
    m = FILE_NAME_RE.match(source.file_name)
    if not m or not store.MONTH_RE.match(m["month"]):
        return False
    kind = FILE_KINDS[m["kind"].lower()]
    marker = store.partition_dir(kind, m["force"].lower(), m["month"]) / "source.json"
    try:
        return json.loads(marker.read_text()).get("sha256") == digest
    except (OSError, ValueError):
        return False


def _failure(record, rejects: Rejects, outcomes, actor) -> CrimeImportFailed:
    rejected = sum(o.rejected for o in outcomes)
    services.finish_import(actor, record, status=CrimeImport.Status.FAILED,
                           files=[o.as_record() for o in outcomes], rows_in=0,
                           rows_rejected=rejected, problems=rejects.count,
                           rejects_file=_relative(rejects), notes=[])
    record.refresh_from_db()
    errors = list(rejects.shown)
    if rejects.count > len(errors):
        errors.append(ImportProblem("import", f"{rejects.count - len(errors):,} more problems "
                                              f"are listed in {rejects.path}"))
    return CrimeImportFailed(errors, record=record, rejects_file=str(rejects.path),
                             total=rejects.count)


# ---------------------------------------------------------------- uploads, run as a job

def uploads_root() -> Path:
    return store.root() / "uploads"


def run_upload(actor, *, progress=None, upload: str, accept_rejects: bool = False) -> dict:
    """The background job behind the upload page: import the saved files, then remove them
    (the import record keeps their names and checksums)."""
    from django.urls import reverse

    folder = Path(upload)
    if uploads_root().resolve() not in folder.resolve().parents:
        raise ValueError("the upload is not in the uploads folder")
    try:
        record = import_paths(sorted(folder.iterdir()), actor=actor,
                              accept_rejects=accept_rejects, progress=progress)
    finally:
        import shutil

        shutil.rmtree(folder, ignore_errors=True)
    return {"import": record.pk, "rows_in": record.rows_in,
            "rows_rejected": record.rows_rejected,
            "url": reverse("crime:import", args=[record.pk])}
