"""The crime store: police.uk records as Parquet files, partitioned by force and month.

Layout under `settings.DATA_DIR / "crime"` (hive partitioning, so DuckDB reads `force` and
`month` from the folder names):

    street/force=<force-slug>/month=<YYYY-MM>/data.parquet
    outcomes/force=<force-slug>/month=<YYYY-MM>/data.parquet
    stop_search/force=<force-slug>/month=<YYYY-MM>/data.parquet
    recorded_counts/force=police-scotland/month=<YYYY-MM>/data.parquet  (Police Scotland)

police.uk republishes months, so a month is the unit of replacement: an import writes its
partitions to a staging folder and then swaps each one into place (see `publish`). Readers
use `connect()`, which gives the views `street`, `outcomes` and `stop_search`; they exist,
empty and with the right columns, before anything is loaded.
"""

import fcntl
import json
import os
import re
import shutil
import uuid
from contextlib import contextmanager
from pathlib import Path

import duckdb
from django.conf import settings

from soclocal.core import faults

KINDS = ("street", "outcomes", "stop_search", "recorded_counts")
KIND_LABELS = {"street": "Street crime", "outcomes": "Outcomes", "stop_search": "Stop and search",
               "recorded_counts": "Recorded crime counts (Police Scotland)"}

# The 14 street-level crime types police.uk publishes.
CRIME_TYPES = (
    "Anti-social behaviour",
    "Bicycle theft",
    "Burglary",
    "Criminal damage and arson",
    "Drugs",
    "Other crime",
    "Other theft",
    "Possession of weapons",
    "Public order",
    "Robbery",
    "Shoplifting",
    "Theft from the person",
    "Vehicle crime",
    "Violence and sexual offences",
)

# Outcome categories police.uk uses in "Last outcome category" (street files) and
# "Outcome type" (outcomes files): its documented list plus the wordings seen in the files
# (police.uk writes "Offender given penalty notice" in files and "a penalty notice" in its
# documentation, so both are accepted).
OUTCOME_CATEGORIES = (
    "Action to be taken by another organisation",
    "Awaiting court outcome",
    "Court case unable to proceed",
    "Court result unavailable",
    "Defendant found not guilty",
    "Defendant sent to Crown Court",
    "Formal action is not in the public interest",
    "Further action is not in the public interest",
    "Further investigation is not in the public interest",
    "Investigation complete; no suspect identified",
    "Local resolution",
    "Offender deprived of property",
    "Offender fined",
    "Offender given a caution",
    "Offender given a drugs possession warning",
    "Offender given a penalty notice",
    "Offender given penalty notice",
    "Offender given absolute discharge",
    "Offender given community sentence",
    "Offender given conditional discharge",
    "Offender given suspended prison sentence",
    "Offender ordered to pay compensation",
    "Offender otherwise dealt with",
    "Offender sent to prison",
    "Status update unavailable",
    "Suspect charged",
    "Suspect charged as part of another case",
    "Unable to prosecute suspect",
    "Under investigation",
)

# Stop and search: the kinds of search police.uk publishes.
SEARCH_TYPES = ("Person search", "Vehicle search", "Person and Vehicle search")

# What a stop and search looked for ("Object of search"), as police.uk publishes it; it may
# also be empty.
OBJECTS_OF_SEARCH = (
    "Anything to threaten or harm anyone",
    "Article for use in theft",
    "Articles for use in criminal damage",
    "Controlled drugs",
    "Crossbows",
    "Detailed object of search unavailable",
    "Evidence of hunting any wild mammal with a dog",
    "Evidence of offences under the Act",
    "Evidence of wildlife offences",
    "Firearms",
    "Fireworks",
    "Game or poaching equipment",
    "Goods on which duty has not been paid etc.",
    "Offensive weapons",
    "Psychoactive substances",
    "Seals or hunting equipment",
    "Stolen goods",
)

# Columns of each view, in order, with DuckDB types. `force` and `month` come from the folder
# names and are not stored inside the files.
COLUMNS: dict[str, list[tuple[str, str]]] = {
    "street": [
        ("crime_id", "VARCHAR"), ("month", "VARCHAR"), ("force", "VARCHAR"),
        ("reported_by", "VARCHAR"), ("falls_within", "VARCHAR"),
        ("longitude", "DOUBLE"), ("latitude", "DOUBLE"), ("location", "VARCHAR"),
        ("lsoa_code", "VARCHAR"), ("lsoa21_code", "VARCHAR"), ("lsoa_name", "VARCHAR"),
        ("crime_type", "VARCHAR"), ("last_outcome_category", "VARCHAR"), ("context", "VARCHAR"),
        ("source_file", "VARCHAR"), ("source_line", "INTEGER"), ("import_id", "BIGINT"),
        ("soc_marker", "BOOLEAN"),
    ],
    "outcomes": [
        ("crime_id", "VARCHAR"), ("month", "VARCHAR"), ("force", "VARCHAR"),
        ("reported_by", "VARCHAR"), ("falls_within", "VARCHAR"),
        ("longitude", "DOUBLE"), ("latitude", "DOUBLE"), ("location", "VARCHAR"),
        ("lsoa_code", "VARCHAR"), ("lsoa21_code", "VARCHAR"), ("lsoa_name", "VARCHAR"),
        ("outcome_type", "VARCHAR"),
        ("source_file", "VARCHAR"), ("source_line", "INTEGER"), ("import_id", "BIGINT"),
    ],
    # Police Scotland extracts (see `scotland.py`): counts, not one row a crime.
    "recorded_counts": [
        ("month", "VARCHAR"), ("force", "VARCHAR"), ("data_zone", "VARCHAR"),
        ("latitude", "DOUBLE"), ("longitude", "DOUBLE"), ("crime_group", "VARCHAR"),
        ("crime_type", "VARCHAR"), ("count", "INTEGER"),
        ("source_file", "VARCHAR"), ("source_line", "INTEGER"), ("import_id", "BIGINT"),
    ],
    "stop_search": [
        ("type", "VARCHAR"), ("date", "TIMESTAMP"), ("month", "VARCHAR"), ("force", "VARCHAR"),
        ("part_of_policing_operation", "BOOLEAN"), ("policing_operation", "VARCHAR"),
        ("latitude", "DOUBLE"), ("longitude", "DOUBLE"), ("gender", "VARCHAR"),
        ("age_range", "VARCHAR"), ("self_defined_ethnicity", "VARCHAR"),
        ("officer_defined_ethnicity", "VARCHAR"), ("legislation", "VARCHAR"),
        ("object_of_search", "VARCHAR"), ("outcome", "VARCHAR"),
        ("outcome_linked_to_object_of_search", "BOOLEAN"),
        ("removal_of_more_than_just_outer_clothing", "BOOLEAN"),
        ("lsoa21_code", "VARCHAR"),
        ("source_file", "VARCHAR"), ("source_line", "INTEGER"), ("import_id", "BIGINT"),
    ],
}
PARTITION_COLUMNS = ("force", "month")
# Columns only some files hold: a force's own extract may mark crimes as SOC (the optional
# "SOC marker" column of a street file); police.uk files, and partitions written before the
# column existed, read as NULL (not known).
OPTIONAL_COLUMNS = {"street": ("soc_marker",)}

MONTH_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
FORCE_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def root() -> Path:
    return Path(settings.DATA_DIR) / "crime"


def slugify_force(name: str) -> str:
    """'City of London Police' -> 'city-of-london'; police.uk's own file names drop 'Police'."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    slug = re.sub(r"-(police|constabulary|police-service)$", "", slug)
    return slug or "unknown"


def partition_dir(kind: str, force: str, month: str, base: Path | None = None) -> Path:
    if kind not in KINDS or not FORCE_RE.match(force) or not MONTH_RE.match(month):
        raise ValueError(f"not a store partition: {kind} {force} {month}")
    return (base or root()) / kind / f"force={force}" / f"month={month}"


def _empty_select(kind: str) -> str:
    cols = ", ".join(f"CAST(NULL AS {t}) AS {c}" for c, t in COLUMNS[kind])
    return f"SELECT {cols} WHERE false"


def _files_select(kind: str, base: Path, con: duckdb.DuckDBPyConnection) -> str | None:
    if not any((base / kind).glob("force=*/month=*/data.parquet")):
        return None
    pattern = str(base / kind / "force=*" / "month=*" / "data.parquet").replace("'", "''")
    names = {c for c, _ in COLUMNS[kind]}

    def column(c, t):
        # A code the loaded geography did not know at import time is read as given, so
        # geography loaded after the crime data still places those rows.
        if c == "lsoa21_code" and "lsoa_code" in names:
            return f"CAST(coalesce(lsoa21_code, lsoa_code) AS {t}) AS {c}"
        return f"CAST({c} AS {t}) AS {c}"

    source = (f"read_parquet('{pattern}', hive_partitioning = true, "
              "hive_types = {'force': VARCHAR, 'month': VARCHAR}, union_by_name = true)")
    held = set()
    if OPTIONAL_COLUMNS.get(kind):
        held = {row[0] for row in con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()}

    def column_or_null(c, t):
        if c in OPTIONAL_COLUMNS.get(kind, ()) and c not in held:
            return f"CAST(NULL AS {t}) AS {c}"
        return column(c, t)

    cols = ", ".join(column_or_null(c, t) for c, t in COLUMNS[kind])
    return f"SELECT {cols} FROM {source}"


def create_views(con: duckdb.DuckDBPyConnection, base: Path | None = None) -> None:
    base = base or root()
    for kind in KINDS:
        con.execute(f"CREATE OR REPLACE VIEW {kind} AS "
                    f"{_files_select(kind, base, con) or _empty_select(kind)}")


def connect(base: Path | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection with the views `street`, `outcomes`, `stop_search`."""
    if base is None:
        recover_if_free()
    con = duckdb.connect(":memory:")
    create_views(con, base)
    return con


def partitions(kind: str | None = None) -> list[dict]:
    """What the store holds: one entry per kind, force and month."""
    found = []
    for k in [kind] if kind else KINDS:
        for path in sorted((root() / k).glob("force=*/month=*/data.parquet")):
            found.append({"kind": k, "force": path.parent.parent.name.split("=", 1)[1],
                          "month": path.parent.name.split("=", 1)[1], "path": path})
    return found


# Replacing months --------------------------------------------------------------------------
#
# An import writes everything to `.staging/<id>/<kind>/force=.../month=.../data.parquet`.
# Only when every file is validated and written does it write its summary, mark the folder
# ready and swap each partition in with renames. A swap that is interrupted (the process is
# killed, the machine stops) is finished by the next `recover()`, which every reader runs
# first (see `connect`), so no reader ever sees some of an import's months and not others
# once its writer has gone; a staging folder that never became ready is simply removed.

READY = "READY"
SUMMARY = "summary.json"
IMPORT_ID = "IMPORT"
RECOVERED = ".recovered"


@contextmanager
def lock():
    """One writer at a time: imports hold this from staging to swap."""
    root().mkdir(parents=True, exist_ok=True)
    with open(root() / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            recover()
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def recover_if_free() -> list[dict]:
    """Finish or remove what a stopped import left, unless an import is running now (then it
    is its own to finish). Cheap when there is nothing to do: one directory listing."""
    staging_root = root() / ".staging"
    if not staging_root.exists() or not any(staging_root.iterdir()):
        return []
    with open(root() / ".lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return []
        try:
            return recover()
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def new_staging(import_id: int | None = None) -> Path:
    path = root() / ".staging" / uuid.uuid4().hex
    path.mkdir(parents=True)
    if import_id is not None:
        (path / IMPORT_ID).write_text(str(import_id))
    return path


def discard_staging(staging: Path, unless_ready: bool = False) -> None:
    if unless_ready and is_ready(staging):
        return
    shutil.rmtree(staging, ignore_errors=True)


def is_ready(staging: Path) -> bool:
    return (staging / READY).exists()


def _write_durably(path: Path, text: str) -> None:
    """Write a small file so that after a crash it is either whole or absent."""
    part = path.with_name(path.name + ".part")
    with open(part, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    part.rename(path)


def publish(staging: Path, summary: dict | None = None) -> list[tuple[str, str, str]]:
    """Swap every partition in `staging` into the store; returns (kind, force, month)s.
    `summary` (JSON-able) is kept with the staging so a swap finished after a restart can
    still say what the import did."""
    if summary is not None:
        _write_durably(staging / SUMMARY, json.dumps(summary))
    # The staged files reach the disk before the folder is marked ready: a crash after the
    # mark finds whole files to swap in.
    for path in staging.rglob("*.parquet"):
        with open(path, "rb") as handle:
            os.fsync(handle.fileno())
    _write_durably(staging / READY, "")
    return _swap(staging)


def _swap(staging: Path) -> list[tuple[str, str, str]]:
    done = []
    trash = root() / ".trash" / staging.name
    for new in sorted(staging.glob("*/force=*/month=*")):
        kind = new.parent.parent.name
        force = new.parent.name.split("=", 1)[1]
        month = new.name.split("=", 1)[1]
        target = partition_dir(kind, force, month)
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            old = trash / kind / new.parent.name / new.name
            old.parent.mkdir(parents=True, exist_ok=True)
            target.rename(old)
        new.rename(target)
        done.append((kind, force, month))
        faults.point("crime.swap")
    shutil.rmtree(trash, ignore_errors=True)
    shutil.rmtree(staging, ignore_errors=True)
    return done


def _staged_import(staging: Path) -> tuple[int | None, dict | None]:
    try:
        import_id = int((staging / IMPORT_ID).read_text())
    except (OSError, ValueError):
        import_id = None
    try:
        summary = json.loads((staging / SUMMARY).read_text())
    except (OSError, ValueError):
        summary = None
    return import_id, summary


def recover() -> list[dict]:
    """Finish swaps a stopped import left ready; remove staging it left unfinished.
    Call it holding `lock()` (which does), so no import is still writing its staging.
    Returns what it did: {"import_id", "finished" (swapped in) or not (removed), "summary"}."""
    staging_root = root() / ".staging"
    if not staging_root.exists():
        return []
    found = []
    for staging in sorted(staging_root.iterdir()):
        import_id, summary = _staged_import(staging)
        finished = (staging / READY).exists()
        note = {"import_id": import_id, "finished": finished,
                "summary": summary if finished else None}
        if import_id is not None:
            # Left for the import's record to be brought up to date (`crime.imports`).
            (root() / RECOVERED).mkdir(exist_ok=True)
            _write_durably(root() / RECOVERED / f"{import_id}.json", json.dumps(note))
        if finished:
            _swap(staging)
        else:
            discard_staging(staging)
        found.append(note)
    return found


def recovered_notes() -> list[tuple[Path, dict]]:
    """What `recover` did for imports whose records are not yet brought up to date."""
    notes = []
    for path in sorted((root() / RECOVERED).glob("*.json")):
        try:
            notes.append((path, json.loads(path.read_text())))
        except (OSError, ValueError):
            path.unlink(missing_ok=True)
    return notes
