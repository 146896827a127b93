"""police.uk's files as published: their names, headers and rules, how DuckDB reads them, and
a first look at each file.

Nothing here needs Django or the application's database, so the reading a crime import does
can start while Django is still starting (`readahead`); `imports` does the rest.
"""

import csv
import hashlib
import re
import zipfile
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from . import store

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
# A force's own extract may add columns after police.uk's: "SOC marker" (yes or no, or empty
# where not recorded) on a street file marks crimes the force links to serious organised crime.
OPTIONAL_HEADERS = {"street": ["SOC marker"]}
MARKER_YES = ("yes", "y", "true", "1")
MARKER_NO = ("no", "n", "false", "0")
KIND_LABELS = {"street": "street crime", "outcomes": "outcomes", "stop_search": "stop and search"}
FILE_KINDS = {"street": "street", "outcomes": "outcomes", "stop-and-search": "stop_search"}
FILE_NAME_RE = re.compile(
    r"^(?P<month>\d{4}-\d{2})-(?P<force>[a-z0-9]+(?:-[a-z0-9]+)*?)-"
    r"(?P<kind>street|outcomes|stop-and-search)\.csv$", re.IGNORECASE)

# The UK's extent, generously: police.uk's anonymised points all fall inside it.
LONGITUDE = (-8.7, 1.8)
LATITUDE = (49.8, 60.9)
LSOA_RE = "[EW]01[0-9]{6}"
MONTH_PATTERN = "\\d{4}-(0[1-9]|1[0-2])"  # as in store.MONTH_RE, for DuckDB
BOOLEANS = ("", "True", "False", "true", "false", "TRUE", "FALSE")

# CSV bytes checked and written together: enough to spread each query's and write's start-up
# over many rows; beyond a few megabytes speed hardly changes while memory keeps growing.
BATCH_BYTES = 16 << 20


def snake(column: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", column.lower()).strip("_")


def sql_list(values) -> str:
    return "(" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + ")"


def sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def sql_ids(numbers) -> str:
    return ", ".join(str(int(n)) for n in numbers)


def header_fits(kind: str, header: list) -> bool:
    """police.uk's header for the kind, optionally followed by the extra columns a force's own
    extract may carry, in order."""
    expected = HEADERS[kind]
    extra = header[len(expected):]
    return (header[:len(expected)] == expected
            and extra == OPTIONAL_HEADERS.get(kind, [])[:len(extra)])


# ---------------------------------------------------------------- finding the files


@dataclass
class Source:
    name: str  # as shown to people: the file, or archive.zip:folder/file
    file_name: str  # the CSV's own name, kept with every row
    size: int
    read: Callable[[], bytes]
    path: Path | None = None  # the file on disk, where it is one (not in an archive)


def find_sources(paths, stack: ExitStack, problems) -> list[Source]:
    """The CSV files in `paths` (files, folders, zip archives); what cannot be read is said
    with `problems.add(reason)`."""
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
    return [Source(shown, path.name, path.stat().st_size, path.read_bytes, path)]

# ---------------------------------------------------------------- a first look at a file

@dataclass
class Look:
    """What an import needs to know of a file before reading its rows: read once, hashed."""
    sha256: str
    header: list[str]  # the first line's values, after any byte order mark
    header_utf8: bool  # whether the first line is UTF-8 text
    lines: int  # counting a last line without a line break
    bom: bool  # starts with UTF-8's byte order mark
    lone_cr: bool  # a carriage return not followed by a line feed


def look_at(data: bytes) -> Look:
    bom = data.startswith(b"\xef\xbb\xbf")
    end = data.find(b"\n")
    first = data[3 if bom else 0:end if end >= 0 else len(data)].removesuffix(b"\r")
    try:
        text, utf8 = first.decode("utf-8"), True
    except UnicodeDecodeError:
        text, utf8 = first.decode("utf-8", errors="replace"), False
    cr = data.count(b"\r")
    return Look(hashlib.sha256(data).hexdigest(), next(csv.reader([text]), []), utf8,
                data.count(b"\n") + (not data.endswith(b"\n")), bom,
                bool(cr) and cr != data.count(b"\r\n"))


@dataclass
class QuickFile:
    """A file on disk that looks as police.uk publishes files, to be read with DuckDB's CSV
    reader (the quick way; read the careful way if anything in it is wrong)."""
    source: Source
    kind: str
    force: str
    month: str
    columns: list  # the header's columns, as the store names them
    rows: int  # lines after the header: every one a row, if the quick way is to stand


def quick_file(source: Source, look: Look) -> QuickFile | None:
    """The file as a `QuickFile` if it is on disk, named as police.uk names files, with
    police.uk's header and no line break but LF or CRLF; else None."""
    match = FILE_NAME_RE.match(source.file_name)
    if (source.path is None or not match or not store.MONTH_RE.match(match["month"])
            or look.bom or not look.header_utf8 or look.lone_cr or look.lines < 2
            or any(c in str(source.path) for c in "*?[]{}")):  # DuckDB would glob them
        return None
    kind = FILE_KINDS[match["kind"].lower()]
    if not header_fits(kind, look.header):
        return None
    return QuickFile(source, kind, match["force"].lower(), match["month"],
                     [snake(c) for c in look.header], look.lines - 1)


# ---------------------------------------------------------------- rules and reading in SQL

def checks(kind: str) -> list[tuple[str, str, str]]:
    """(field, predicate, reason) for each rule; `file_month` is the month in the file's
    name, or NULL when the name gives none."""
    lon, lat = "longitude", "latitude"
    month_ok = f"regexp_full_match(month, '{MONTH_PATTERN}')"
    checks = []
    if kind in ("street", "outcomes"):
        checks += [
            ("Month", f"NOT {month_ok}",
             "'the month ''' || month || ''' is not a month written YYYY-MM'"),
            ("Reported by", "reported_by = ''", "'the force that reported it is missing'"),
            ("Month", f"{month_ok} AND month <> file_month",
             "'the month ''' || month || ''' is not the file''s month ' || file_month"),
            ("LSOA code", f"lsoa_code <> '' AND NOT regexp_full_match(lsoa_code, '{LSOA_RE}')",
             "'''' || lsoa_code || ''' is not an LSOA code (E01 or W01 and six digits)'"),
        ]
    if kind == "street":
        checks += [
            ("SOC marker", f"soc_marker <> '' AND lower(trim(soc_marker)) NOT IN "
                           f"{sql_list(MARKER_YES + MARKER_NO)}",
             "'the SOC marker ''' || soc_marker || ''' is not yes, no or empty'"),
            ("Crime type", f"crime_type NOT IN {sql_list(store.CRIME_TYPES)}",
             "'the crime type ''' || crime_type || ''' is not one of police.uk''s crime "
             "types'"),
            ("Last outcome category", "last_outcome_category <> '' AND last_outcome_category "
             f"NOT IN {sql_list(store.OUTCOME_CATEGORIES)}",
             "'the outcome ''' || last_outcome_category || ''' is not one of police.uk''s "
             "outcome categories'"),
        ]
    if kind == "outcomes":
        checks.append(("Outcome type", f"outcome_type NOT IN "
                                       f"{sql_list(store.OUTCOME_CATEGORIES)}",
                       "'the outcome ''' || outcome_type || ''' is not one of police.uk''s "
                       "outcome categories'"))
    if kind == "stop_search":
        checks += [
            ("Type", f"type NOT IN {sql_list(store.SEARCH_TYPES)}",
             "'the type of search ''' || type || ''' is not one of "
             + "; ".join(store.SEARCH_TYPES) + "'"),
            ("Date", "TRY_CAST(date AS TIMESTAMPTZ) IS NULL",
             "'the date ''' || date || ''' is not a date and time such as "
             "2024-01-31T14:05:00+00:00'"),
            ("Date", "TRY_CAST(date AS TIMESTAMPTZ) IS NOT NULL "
                     "AND left(date, 7) <> file_month",
             "'the date ''' || date || ''' is not in the file''s month ' || file_month"),
            ("Object of search", "object_of_search <> '' AND object_of_search "
                                 f"NOT IN {sql_list(store.OBJECTS_OF_SEARCH)}",
             "'the object of search ''' || object_of_search || ''' is not one of "
             "police.uk''s objects of search'"),
        ]
        for column in ("Part of a policing operation", "Outcome linked to object of search",
                       "Removal of more than just outer clothing"):
            checks.append((column, f"{snake(column)} NOT IN {sql_list(BOOLEANS)}",
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


def any_bad(kind: str) -> str:
    """A predicate true of exactly the rows that break a rule of `checks`, in fewer steps:
    nearly every row is good, so every row pays for every test. A month (or a search's date)
    is compared with the file's once, and a coordinate is read as a number once. The file's
    month, where known, is a month written YYYY-MM (the file's name is checked first)."""
    month = ("CASE WHEN file_month IS NULL THEN NOT regexp_full_match(month, "
             f"'{MONTH_PATTERN}') ELSE month <> file_month END")
    point = " OR ".join(
        [f"({column} <> '' AND NOT coalesce(TRY_CAST({column} AS DOUBLE) BETWEEN {low} AND "
         f"{high}, false))" for column, (low, high) in (("longitude", LONGITUDE),
                                                       ("latitude", LATITUDE))]
        + ["(longitude = '') <> (latitude = '')"])
    merged = {"Month": month, "Longitude": point, "Latitude": point,
              "Date": "TRY_CAST(date AS TIMESTAMPTZ) IS NULL OR left(date, 7) <> file_month"}
    tests = dict.fromkeys(merged.get(field, predicate) for field, predicate, _ in checks(kind))
    return "coalesce(" + " OR ".join(f"({t})" for t in tests) + ", false)"


def csv_values(kind: str, columns: list) -> str:
    """The columns of a file as the checks read them: an empty value is '' (as the careful
    way reads it); an optional column the file lacks is NULL, not known."""
    names = [snake(c) for c in HEADERS[kind] + OPTIONAL_HEADERS.get(kind, [])]
    return ", ".join(f"coalesce({c}, '') AS {c}" if c in columns else f"NULL AS {c}"
                     for c in names)

def read_csv(*files: QuickFile) -> str:
    """DuckDB's CSV reader over files with the same header, reading every value as text."""
    spec = "{" + ", ".join(f"{sql_text(c)}: 'VARCHAR'" for c in files[0].columns) + "}"
    paths = "[" + ", ".join(sql_text(str(q.source.path)) for q in files) + "]"
    return (f"read_csv({paths}, columns = {spec}, header = true, auto_detect = false, "
            "delim = ',', quote = '\"', escape = '\"', strict_mode = true, "
            "encoding = 'utf-8')")
