"""Importing police.uk files into the crime store, all or nothing.

`import_paths(paths)` takes CSV files, folders and police.uk's monthly archive zips (folders
`YYYY-MM/` of `*-street.csv`, `*-outcomes.csv` and `*-stop-and-search.csv`). Files are read one
at a time and checked and written in batches of about `BATCH_BYTES` of CSV, so memory depends
on the batch, not on the number of months:

1. each file's header is checked against police.uk's exact columns;
2. each file is written as Parquet straight from its CSV into its partition of a staging
   folder, several files at once, in one pass: DuckDB's CSV reader reads it, SQL checks
   every row (month, coordinates, LSOA code, crime type, outcome, what a search was for),
   each row is numbered with the line it came from and given its LSOA 2021 code
   (`geography`), and the rows that pass are written;
3. the write stands if it wrote every line after the header, one row each.

That is the quick way, for files on disk where every line is one row and every row is good
(police.uk's files as published; decisions 67, 68 and 71). When a write does not stand, or a
file is in an archive, the file is read the careful way, in batches of about `BATCH_BYTES`:
each file's bytes are checked as UTF-8 text, pyarrow splits them into values, every problem
is named by file, line and field, and the good rows are written with one partitioned `COPY`.

The command line starts reading the files and the geography before Django (`readahead`,
decision 69); police.uk's format and the SQL that reads it are in `policeuk`, which needs no
Django.

Only when every file is clean (or the person chose to accept rejects) are the staged months
swapped into the store, each replacing the same force's month of the same kind. Every rejected
row is written, with its file, line and reason, to a rejects CSV in the data directory.
"""

import csv
import errno
import io
import json
import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
from django.conf import settings

from soclocal.areas import snapshot
from soclocal.core import spreadsheet
from soclocal.core.imports import (
    ImportFailed,
    ImportProblem,
    Problems,
    Progress,
    TooManyProblems,
    decode_text,
)

from . import scotland, services, store
from .geography import Geography
from .models import CrimeImport
from .policeuk import (
    BATCH_BYTES,
    FILE_KINDS,
    FILE_NAME_RE,
    HEADERS,
    KIND_LABELS,
    MARKER_NO,
    MARKER_YES,
    OPTIONAL_HEADERS,
    Look,
    QuickFile,
    Source,
    any_bad,
    checks,
    csv_values,
    find_sources,
    header_fits,
    look_at,
    quick_file,
    read_csv,
    snake,
    sql_ids,
    sql_list,
    sql_text,
)

SHOWN_PROBLEMS = 10_000  # kept in memory for the failure; the rejects file has every one
# Read files as police.uk publishes them with DuckDB's CSV reader (off: always the careful way).
READ_WITH_DUCKDB = True



class CrimeImportFailed(ImportFailed):
    """Nothing was imported; `errors` lists problems and `rejects_file` holds every one."""

    def __init__(self, errors, *, record=None, rejects_file="", total=None):
        super().__init__(errors)
        self.record = record
        self.rejects_file = rejects_file
        self.total = total if total is not None else len(errors)


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
            self._writer = spreadsheet.writer(self._handle)
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
    import numpy as np

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



def _plain_utf8(data: bytes) -> bool:
    """Whether the bytes are UTF-8 text with something besides white space in it (checked
    without copying the whole file, as stripping it would)."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return bool(data[:4096].strip()) or bool(data.strip())


def _int32(values):
    """An int32 Arrow array straight from numpy's buffer (pa.array would import pandas, a
    second or more of start-up for every import)."""
    import numpy as np
    import pyarrow as pa

    values = np.ascontiguousarray(values, dtype=np.int32)
    return pa.Array.from_buffers(pa.int32(), len(values), [None, pa.py_buffer(values)])


@dataclass
class Parsed:
    """One file read and split into values, waiting to be checked with the rest of its batch."""
    source: Source
    outcome: FileOutcome
    kind: str
    table: object  # a pyarrow Table: every column as text, and `line`, the line each row starts on
    data: bytes  # kept to quote bad lines in the rejects file
    starts: object  # numpy arrays: where each line starts and ends in `data`
    ends: object


@dataclass
class Quick(QuickFile):
    """A file for DuckDB's CSV reader to read and write in one pass (the quick way), with
    what the import says of it."""
    outcome: FileOutcome | None = None

    @property
    def key(self) -> tuple:
        return self.kind, self.force, self.month


class Importer:
    """Stages files: each file police.uk publishes as it is, in one pass of its own (the quick
    way, several at once); the rest in batches, read and checked the careful way.

    A careful batch (up to `batch_bytes` of CSV) is checked with one query and written with
    one `COPY`, so the per-query and per-write start-up is paid once a batch rather than once
    a file, while memory stays bounded by the batch, not the import."""

    def __init__(self, con, import_id: int, staging: Path, rejects: Rejects, *,
                 accept_rejects: bool, batch_bytes: int | None = None):
        self.con = con  # holding `geo` and `lsoa21_at` (see `geography`)
        self.import_id = import_id
        self.staging = staging
        self.rejects = rejects
        self.accept_rejects = accept_rejects
        self.batch_bytes = batch_bytes or BATCH_BYTES
        self.pending: list[Parsed] = []
        self.pending_bytes = 0
        self.claimed: dict[tuple, str] = {}  # (kind, force, month) -> the file staged for it
        self.batches = 0
        self.quick: list[tuple[Quick, object]] = []  # files being written, with their future
        self._pool = None

    @property
    def writing(self) -> bool:
        # Once anything is wrong (and rejects are not accepted), later files are still
        # checked but need not be staged: nothing will be published.
        return self.accept_rejects or self.rejects.count == 0

    def add(self, source: Source, look: Look, outcome: FileOutcome, data=None) -> None:
        """Take a file: start writing it the quick way, else hold it for a careful batch;
        `data`, its bytes, is read again if not given and the file is read the careful way."""
        # Once something is wrong only checking is left: the careful way names every problem.
        quick = self._quick(source, look, outcome) if READ_WITH_DUCKDB and self.writing else None
        if quick is not None and quick.key not in self.claimed:
            # Claimed now, so that a careful file for the same month is found to be a second.
            self.claimed[quick.key] = source.name
            self.quick.append((quick, self._writer().submit(self._write_quickly, quick)))
            return
        self._hold(self.parse(source, source.read() if data is None else data, outcome))

    def _hold(self, item) -> None:
        if item is None:
            return
        self.pending.append(item)
        self.pending_bytes += len(item.data)
        if self.pending_bytes >= self.batch_bytes:
            self.flush()

    def finish(self) -> None:
        """Wait for the files being written; read each whose quick write did not stand the
        careful way, with the files held for it."""
        for q, future in self.quick:
            if future.result():
                q.outcome.rows = q.rows
                self._mark(q, *q.key, q.rows, store.partition_dir(*q.key, base=self.staging))
            else:
                del self.claimed[q.key]
                self._hold(self.parse(q.source, q.source.read(), q.outcome))
        self.quick = []
        self.close()
        self.flush()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def flush(self) -> None:
        pending, self.pending, self.pending_bytes = self.pending, [], 0
        for kind in HEADERS:
            group = [p for p in pending if p.kind == kind]
            if group:
                self._check_and_stage(kind, group)

    # ------------------------------------------------------------ the quick way

    def _quick(self, source: Source, look: Look, outcome: FileOutcome) -> Quick | None:
        """The file, for the quick way, if it looks as police.uk publishes files (see
        `policeuk.quick_file`); else None, having changed nothing, for the careful way."""
        found = quick_file(source, look)
        if found is None:
            return None
        outcome.kind, outcome.force, outcome.month = found.kind, found.force, found.month
        return Quick(**vars(found), outcome=outcome)

    def _writer(self) -> ThreadPoolExecutor:
        # Reading and writing one file is mostly one thread's work in DuckDB: files side by
        # side keep every core busy.
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=(os.cpu_count() or 1) + 1)
        return self._pool

    def _write_quickly(self, q: Quick) -> bool:
        """Write the file from its CSV straight into its place in the staging, checking every
        row on the way, on a DuckDB connection of its own. True if that stands: every line
        after the header was a row and every row was good (the rows that break a rule are
        left out, so a file with any is short). Else False with nothing staged, to read the
        file the careful way."""
        target = store.partition_dir(*q.key, base=self.staging) / "data.parquet"
        target.parent.mkdir(parents=True)
        # row_number() OVER () numbers the rows of one file in the order they are read.
        rows = (f"(SELECT {csv_values(q.kind, q.columns)}, "
                "CAST(row_number() OVER () + 1 AS INTEGER) AS line, "
                f"{sql_text(q.month)} AS file_month, "
                f"{sql_text(q.source.file_name)} AS source_file FROM {read_csv(q)}) AS good")
        select, joins = self._select(q.kind)
        try:
            with self.con.cursor() as cursor:
                written = cursor.execute(
                    f"COPY (SELECT {', '.join(select)} FROM {rows} {joins} WHERE NOT {any_bad(q.kind)}) "
                    f"TO {sql_text(str(target))} "
                    "(FORMAT parquet, COMPRESSION snappy, RETURN_STATS)").fetchall()
        except (duckdb.InvalidInputException, duckdb.ConversionException):
            written = []  # DuckDB's reader found a problem: the careful way names it
        if sum(w[1] for w in written) != q.rows:
            shutil.rmtree(target.parent, ignore_errors=True)
            return False
        if q.kind != "stop_search":
            # A code outside the geography is the only way a row with a code has no 2021 one.
            nulls = {column: sum(int(w[4].get(f'"{column}"', {}).get("null_count", 0))
                                 for w in written)
                     for column in ("lsoa_code", "lsoa21_code")}
            q.outcome.outside_geography = nulls["lsoa21_code"] - nulls["lsoa_code"]
        return True

    # ------------------------------------------------------------ one file

    def parse(self, source: Source, data: bytes, outcome: FileOutcome) -> Parsed | None:
        import numpy as np
        import pyarrow as pa
        import pyarrow.csv as pacsv

        name = source.name
        problems = Problems(name)
        # File-level checks: encoding, emptiness, the header.
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        if _plain_utf8(data):
            text_ok = True
        else:  # name each line that is not UTF-8, or say the file is empty
            try:
                text_ok = decode_text(data, problems) is not None
            except TooManyProblems:
                text_ok = False
        if not text_ok:
            for p in problems:
                self.rejects.add(p)
            return None
        starts, ends, nonblank = _line_index(data)
        first = data[starts[0]:ends[0]].decode("utf-8")
        header = next(csv.reader([first]), [])
        kind = self._kind(source, header, outcome)
        if kind is None:
            return None
        outcome.kind = kind
        if len(nonblank) <= 1 or nonblank[0] != 1:
            self._file_problem(name, "the file has a header but no rows of data"
                               if len(nonblank) <= 1 else "the first line should be the header",
                               line=1)
            return None

        # Parse: every row must have the header's number of values.
        columns = [snake(c) for c in header]
        invalid = []

        def on_invalid(row):
            invalid.append((row.number, row.actual_columns, row.text))
            return "skip"

        convert = pacsv.ConvertOptions(
            column_types={c: pa.string() for c in columns}, strings_can_be_null=False,
            check_utf8=False, quoted_strings_can_be_null=False)  # UTF-8 is checked above
        try:
            table = pacsv.read_csv(pa.BufferReader(data), convert_options=convert,
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
            if invalid:
                bad_numbers = np.array([n for n, _, _ in invalid], dtype=np.int64)
                good_numbers = np.setdiff1d(np.arange(2, rows_seen + 1), bad_numbers)
                lines = nonblank[good_numbers - 1]
            else:
                lines = nonblank[1:]
            invalid_lines = [(int(nonblank[n - 1]), count, text) for n, count, text in invalid]
        else:
            lines, invalid_lines = self._lines_the_slow_way(data, len(columns))
        for line, count, text in invalid_lines:
            self.rejects.add(ImportProblem(
                name, f"this line has {count} values but the header has {len(columns)} "
                      "columns (is the line cut short?)", line=line), text)
        outcome.rejected += len(invalid_lines)
        for optional in OPTIONAL_HEADERS.get(kind, ()):
            if snake(optional) not in columns:  # not in this file: not known
                table = table.append_column(snake(optional),
                                            pa.nulls(table.num_rows, pa.string()))
        table = table.append_column("line", _int32(lines))
        return Parsed(source, outcome, kind, table, data, starts, ends)

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
            kind = next((k for k in HEADERS if header_fits(k, header)), None)
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
        if not header_fits(kind, header):
            missing = [c for c in expected if c not in header]
            extra = [c for c in header if c not in expected + OPTIONAL_HEADERS.get(kind, [])]
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
                             + ",".join(expected)
                             + "".join(f" (optionally followed by ,{c})"
                                       for c in OPTIONAL_HEADERS.get(kind, [])), line=1)
            return None
        return kind

    def _lines_the_slow_way(self, data, width):
        """Line numbers when some values run over several lines: let the csv module count."""
        import numpy as np

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

    def _prepare(self, group: list) -> None:
        """The view `raw`: the rows of `raw_rows` (a batch's rows, each knowing its file `src`,
        its place in `group`, and its `line`) with their file's month, force and name."""
        con = self.con
        con.execute("CREATE OR REPLACE TEMP TABLE files AS SELECT unnest($1) AS src, "
                    "unnest($2) AS file_month, unnest($3) AS file_force, "
                    "unnest($4) AS source_file",
                    [list(range(len(group))), [p.outcome.month or None for p in group],
                     [p.outcome.force or None for p in group],
                     [p.source.file_name for p in group]])
        con.execute("CREATE OR REPLACE TEMP VIEW raw AS SELECT r.*, f.file_month, "
                    "f.file_force, f.source_file FROM raw_rows r JOIN files f USING (src)")

    def _count_outside(self, kind: str, group: list) -> None:
        """How many of each file's rows in the view `good` have a code outside the geography."""
        if kind == "stop_search":
            return
        for src, n in self.con.execute(
                "SELECT src, count(*) FROM good WHERE lsoa_code <> '' AND lsoa_code "
                "NOT IN (SELECT code FROM geo) GROUP BY src").fetchall():
            group[src].outcome.outside_geography = n

    def _check_and_stage(self, kind: str, group: list[Parsed]) -> None:
        import numpy as np
        import pyarrow as pa

        con = self.con
        # One table for the batch: each row knows its file (`src`, its place in `group`).
        sizes = [p.table.num_rows for p in group]
        raw = pa.concat_tables(
            p.table.append_column("src", _int32(np.full(p.table.num_rows, i)))
            for i, p in enumerate(group))
        for p in group:
            p.table = None
        con.register("raw_rows", raw)
        try:
            self._prepare(group)
            rules = checks(kind)
            bad_sql = any_bad(kind)
            if self.writing and self._stage_at_once(kind, group, sizes, bad_sql):
                return  # the usual case: every row good, checked as it was written
            if con.execute(f"SELECT count(*) FROM raw WHERE {bad_sql}").fetchall()[0][0] == 0:
                rules = []  # nothing wrong after all (a file is staged twice, say)
            found = []
            if rules:
                union = " UNION ALL ".join(
                    f"SELECT src, line, {sql_text(field_name)} AS field, {reason} AS reason FROM raw "
                    f"WHERE {predicate}" for field_name, predicate, reason in rules)
                found = con.execute(f"SELECT src, line, field, reason FROM ({union}) "
                                    "ORDER BY src, line, field").fetchall()
            bad: dict[int, set] = {}
            for src, line, field_name, reason in found:
                p = group[src]
                start, end = p.starts[line - 1], p.ends[line - 1]
                self.rejects.add(ImportProblem(p.source.name, reason, line=line,
                                               field=field_name),
                                 p.data[start:end].decode("utf-8", "replace"))
                bad.setdefault(src, set()).add(line)
            for src, p in enumerate(group):
                p.outcome.rejected += len(bad.get(src, ()))
                p.outcome.rows = sizes[src] - len(bad.get(src, ()))
            con.execute("CREATE OR REPLACE TEMP TABLE bad (src INTEGER, line INTEGER)")
            if bad:
                pairs = [(s, line) for s, lines in bad.items() for line in lines]
                con.execute("INSERT INTO bad SELECT unnest($1), unnest($2)",
                            [[s for s, _ in pairs], [line for _, line in pairs]])
            if not self.writing:
                return
            self._stage(kind, group, bool(bad))
        finally:
            con.unregister("raw_rows")
            con.execute("DROP VIEW IF EXISTS raw")
            for p in group:
                p.data = p.starts = p.ends = None  # the batch's bytes can go now

    def _stage_at_once(self, kind, group, sizes, bad_sql) -> bool:
        """Check and write the batch in one pass where every file is named as police.uk names
        them (so its force and month are known) and no two fill the same month: the rows that
        pass every check are written, and if that is all of them, the batch is done. Otherwise
        what was written is removed and False returned, to find each row's problems and stage
        the good rows the careful way."""
        con = self.con
        live = [src for src, p in enumerate(group) if sizes[src] > 0]
        keys = {src: (kind, group[src].outcome.force, group[src].outcome.month) for src in live}
        if (not live or not all(force for _, force, _ in keys.values())
                or len(set(keys.values())) < len(keys)
                or any(key in self.claimed for key in keys.values())):
            return False
        con.execute(f"CREATE OR REPLACE TEMP VIEW good AS SELECT * FROM raw WHERE NOT ({bad_sql})")
        try:
            out, written = self._copy(kind, live, "good.file_force", self._month_sql(kind))
            if written != sum(sizes[src] for src in live):
                shutil.rmtree(out, ignore_errors=True)
                return False
            self._count_outside(kind, group)
        finally:
            con.execute("DROP VIEW IF EXISTS good")
        for src in live:
            self.claimed[keys[src]] = group[src].source.name
            group[src].outcome.rows = sizes[src]
        self._place(kind, group, live, {src: [(keys[src][1], keys[src][2], sizes[src])]
                                        for src in live}, out)
        return True

    @staticmethod
    def _month_sql(kind: str) -> str:
        return "left(good.date, 7)" if kind == "stop_search" else "good.month"

    def _stage(self, kind: str, group: list[Parsed], any_bad: bool) -> None:
        """Claim each file's months, then write the good rows of the batch as Parquet, one
        partition per force and month, into the staging folder."""
        con = self.con
        live = [src for src, p in enumerate(group) if p.outcome.rows > 0]
        if not live:
            return
        try:
            con.execute(
                "CREATE OR REPLACE TEMP VIEW good AS SELECT raw.* FROM raw "
                + ("ANTI JOIN bad ON bad.src = raw.src AND bad.line = raw.line " if any_bad
                   else "")
                + f"WHERE raw.src IN ({sql_ids(live)})")
            # Which force each row belongs to: the file name's, else from "Reported by".
            unnamed = [src for src in live if not group[src].outcome.force]
            force_sql = "good.file_force"
            if unnamed:
                names = [r[0] for r in con.execute(
                    f"SELECT DISTINCT reported_by FROM good WHERE src IN ({sql_ids(unnamed)})")
                    .fetchall()]
                force_sql = ("coalesce(good.file_force, CASE good.reported_by " + " ".join(
                    f"WHEN {sql_text(n)} THEN {sql_text(store.slugify_force(n))}" for n in names)
                    + " END)")
            month_sql = self._month_sql(kind)
            # The partitions each file fills: a police.uk-named file is exactly one (every
            # row's month was checked against the name).
            groups = {src: [(group[src].outcome.force, group[src].outcome.month,
                             group[src].outcome.rows)] for src in live if src not in unnamed}
            if unnamed:
                for src, force, month, rows in con.execute(
                        f"SELECT src, {force_sql}, {month_sql}, count(*) FROM good "
                        f"WHERE src IN ({sql_ids(unnamed)}) GROUP BY ALL ORDER BY ALL").fetchall():
                    groups.setdefault(src, []).append((force, month, rows))
            keep = []
            for src in live:
                p = group[src]
                keys = [(kind, force, month) for force, month, _ in groups[src]]
                twice = next((k for k in keys if k in self.claimed), None)
                if twice:
                    self.rejects.add(ImportProblem(
                        p.source.name,
                        f"this import has two different files with {KIND_LABELS[kind]} for "
                        f"{twice[1]} {twice[2]}: {self.claimed[twice]} and {p.source.name}; "
                        "give one of them"))
                    p.outcome.rows = 0
                    continue
                for key in keys:
                    self.claimed[key] = p.source.name
                keep.append(src)
            if not keep or not self.writing:
                return
            self._count_outside(kind, group)
            out, _ = self._copy(kind, keep, force_sql, month_sql)
            self._place(kind, group, keep, groups, out)
        finally:
            con.execute("DROP VIEW IF EXISTS good")

    def _select(self, kind) -> tuple[list[str], str]:
        """The store's columns (but force and month) from the rows named `good` (every value
        as text, with `line` and `source_file`), and the joins they need."""
        text = "NULLIF({0}, '')"
        point = "TRY_CAST(good.longitude AS DOUBLE), TRY_CAST(good.latitude AS DOUBLE)"
        common = {
            "longitude": "CAST(NULLIF(good.longitude, '') AS DOUBLE)",
            "latitude": "CAST(NULLIF(good.latitude, '') AS DOUBLE)",
            "source_file": "good.source_file",
            "source_line": "good.line",
            "import_id": str(int(self.import_id)),
        }
        joins = ""
        if kind == "stop_search":
            special = {
                "date": "CAST(timezone('UTC', CAST(good.date AS TIMESTAMPTZ)) AS TIMESTAMP)",
                "lsoa21_code": f"lsoa21_at(NULL, {point})",
                # The store's name drops the header's "a" ("Part of a policing operation").
                **{c: f"CASE lower(good.{raw}) WHEN 'true' THEN true WHEN 'false' THEN false "
                      "END" for c, raw in (
                          ("part_of_policing_operation", "part_of_a_policing_operation"),
                          ("outcome_linked_to_object_of_search",) * 2,
                          ("removal_of_more_than_just_outer_clothing",) * 2)},
            }
        else:
            # Only a split 2011 code needs its point placed (a few hundred rows a year).
            special = {"lsoa21_code": f"CASE WHEN geo.split THEN lsoa21_at(good.lsoa_code, "
                                      f"{point}) ELSE geo.lsoa21 END"}
            joins = "LEFT JOIN geo ON geo.code = good.lsoa_code"
        if kind == "street":
            special["soc_marker"] = (
                f"CASE WHEN lower(trim(good.soc_marker)) IN {sql_list(MARKER_YES)} THEN true "
                f"WHEN lower(trim(good.soc_marker)) IN {sql_list(MARKER_NO)} THEN false END")
        select = []
        for column, _ in store.COLUMNS[kind]:
            if column in store.PARTITION_COLUMNS:
                continue
            expr = special.get(column) or common.get(column) or text.format(f"good.{column}")
            select.append(f"{expr} AS {column}")
        return select, joins

    def _copy(self, kind, keep, force_sql, month_sql) -> tuple[Path, int]:
        """Write the rows of the view `good` from the files `keep` as Parquet, partitioned by
        force and month into a new folder of the staging. Returns the folder and how many
        rows."""
        select, joins = self._select(kind)
        self.batches += 1
        out = self.staging / f".batch-{self.batches}"
        select[:0] = [f"{force_sql} AS force", f"{month_sql} AS month"]
        written = self.con.execute(
            f"COPY (SELECT {', '.join(select)} FROM good {joins} "
            f"WHERE good.src IN ({sql_ids(keep)})) TO {sql_text(str(out))} "
            "(FORMAT parquet, PARTITION_BY (force, month), COMPRESSION snappy)").fetchall()[0][0]
        return out, written

    def _place(self, kind, group, keep, groups, out) -> None:
        """Move each partition the copy wrote to its place in the staging, with a note of the
        file it came from."""
        con = self.con
        for src in keep:
            p = group[src]
            for force, month, rows in groups[src]:
                written = sorted((out / f"force={force}" / f"month={month}").glob("*.parquet"))
                target = store.partition_dir(kind, force, month, base=self.staging)
                target.mkdir(parents=True)
                if len(written) == 1:
                    written[0].rename(target / "data.parquet")
                else:  # DuckDB split the partition: one file, as readers expect
                    files = "[" + ", ".join(sql_text(str(w)) for w in written) + "]"
                    con.execute(f"COPY (SELECT * FROM read_parquet({files})) TO "
                                f"{sql_text(str(target / 'data.parquet'))} "
                                "(FORMAT parquet, COMPRESSION snappy)")
                self._mark(p, kind, force, month, rows, target)
            if len(groups[src]) == 1:
                p.outcome.force, p.outcome.month = groups[src][0][:2]
        shutil.rmtree(out, ignore_errors=True)

    def _mark(self, p, kind, force, month, rows, target: Path) -> None:
        """Note beside a staged partition the file it came from."""
        (target / "source.json").write_text(json.dumps({
            "file": p.source.file_name, "sha256": p.outcome.sha256,
            "import_id": self.import_id, "rows": rows}))
        p.outcome.partitions.append((kind, force, month))


# ---------------------------------------------------------------- the whole import

def import_paths(paths, *, actor=None, accept_rejects=False, progress=None,
                 skip_unchanged=False, ahead=None) -> CrimeImport:
    """Import police.uk files, folders and archives; all or nothing unless `accept_rejects`.

    Raises `CrimeImportFailed` (an `ImportFailed`) naming the file, line and reason for every
    bad row; the store is then exactly as it was. With `skip_unchanged`, a month whose stored
    copy came from a file with the same checksum is left alone. `ahead`, a
    `readahead.ReadAhead` of the same paths, may have read the files and loaded
    the geography already.
    """
    with store.lock():
        # The record is made holding the lock, so a record still running when someone else
        # holds it is one whose process stopped (see `mark_stopped_imports`).
        mark_stopped_imports()
        return _import_locked(paths, actor=actor, accept_rejects=accept_rejects,
                              progress=progress, skip_unchanged=skip_unchanged, ahead=ahead)


def _import_locked(paths, *, actor, accept_rejects, progress, skip_unchanged,
                   ahead) -> CrimeImport:
    record = services.start_import(actor, accept_rejects=accept_rejects)
    report = Progress(progress)
    rejects = Rejects(store.root() / "rejects" / f"import-{record.pk}-rejects.csv")
    outcomes: list[FileOutcome] = []
    notes: list[str] = []
    staging = None
    try:
        with ExitStack() as stack:
            staging = store.new_staging(record.pk)
            # Removed on any failure before it is marked ready; once ready, a failure part
            # way through the swap leaves it for `store.recover` to finish, as after a crash.
            stack.callback(store.discard_staging, staging, unless_ready=True)
            top = Problems("import")
            sources = find_sources(paths, stack, top)
            for p in top:
                rejects.add(p)
            if not sources and not top:
                rejects.add(ImportProblem("import", "no files were given"))
            files = snapshot.lsoa_paths()
            con = ahead.connection() if ahead else None
            if con is not None:
                stack.enter_context(con)
            if con is None or ahead.geography.files != files:
                # Not read ahead, or from another snapshot: load the current one.
                con = stack.enter_context(duckdb.connect(":memory:"))
                con.execute("SET enable_progress_bar = false")
                Geography(con, *files)
            importer = Importer(con, record.pk, staging, rejects,
                                accept_rejects=accept_rejects)
            stack.callback(importer.close)
            total = sum(s.size for s in sources) or 1
            done = 0
            seen: dict[str, str] = {}
            scottish: list[tuple[Source, bytes, FileOutcome]] = []
            for source in sources:
                report(done, total, f"Checking {source.name}")
                look = ahead.look(source) if ahead else None
                data = None
                if look is None:
                    data = source.read()
                    look = look_at(data)
                outcome = FileOutcome(source.name, look.sha256)
                outcomes.append(outcome)
                if look.sha256 in seen:
                    outcome.skipped = f"the same file as {seen[look.sha256]}; imported once"
                    done += source.size
                    continue
                seen[look.sha256] = source.name
                if skip_unchanged and _unchanged(source, look.sha256):
                    outcome.skipped = "already in the store, unchanged"
                    m = FILE_NAME_RE.match(source.file_name)
                    outcome.kind = FILE_KINDS[m["kind"].lower()]
                    outcome.force, outcome.month = m["force"].lower(), m["month"]
                    done += source.size
                    continue
                if scotland.recognises(look.header):
                    # Its own layout, checked below.
                    scottish.append((source, source.read() if data is None else data, outcome))
                else:
                    importer.add(source, look, outcome, data)
                del data
                done += source.size
            report(done, total, "Checking and writing the last files")
            importer.finish()
            _stage_scottish(scottish, importer, record.pk, staging, rejects)
            rejects.close()
            if rejects.count and not accept_rejects:
                raise _failure(record, rejects, outcomes, actor)
            report(total, total, "Saving to the store")
            published = store.publish(staging, {
                "files": [o.as_record() for o in outcomes],
                "rows_in": sum(o.rows for o in outcomes if not o.skipped),
                "rows_rejected": sum(o.rejected for o in outcomes),
                "problems": rejects.count, "rejects_file": _relative(rejects)})
    except CrimeImportFailed:
        raise
    except Exception as failure:
        rejects.close()
        if staging is not None and store.is_ready(staging):
            raise  # the record stays running; recovery finishes the swap and marks it
        services.finish_import(actor, record, status=CrimeImport.Status.FAILED,
                               files=[o.as_record() for o in outcomes], rows_in=0,
                               rows_rejected=0, problems=rejects.count,
                               rejects_file=_relative(rejects), notes=["the import stopped"])
        if isinstance(failure, duckdb.IOException) and "No space left" in str(failure):
            # DuckDB writing the staged Parquet found the disk full: say it as the OS does.
            raise OSError(errno.ENOSPC, "No space left on device", str(store.root())) \
                from failure
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



def _stage_scottish(files, importer: Importer, import_id: int, staging: Path,
                    rejects: Rejects) -> None:
    """Police Scotland extracts: checked and staged by `scotland`, into the same staging,
    rejects and all-or-nothing rule as police.uk files."""
    if not files:
        return
    counted: dict[str, int] = {}

    def add_problem(problem, text):
        rejects.add(problem, text)
        if problem.line and problem.line > 1:
            counted.setdefault(problem.file, set()).add(problem.line)

    summary = scotland.stage([(s.name, s.file_name, data) for s, data, _ in files], staging,
                             import_id, add_problem, importer.claimed)
    for source, _, outcome in files:
        outcome.kind, outcome.force = scotland.KIND, scotland.FORCE
        months = summary[source.name]["months"]
        outcome.month = " to ".join(dict.fromkeys([months[0], months[-1]])) if months else ""
        outcome.rows = summary[source.name]["rows"]
        outcome.rejected = len(counted.get(source.name, ()))


STOPPED = ("the import stopped before it finished (the process running it ended); nothing "
           "changed in the store: run it again")
FINISHED_AFTER_RESTART = ("the process running the import ended while it was saving; the "
                          "saving was finished when the store was next opened")


def mark_stopped_imports() -> int:
    """Bring up to date the records of imports whose process ended mid-way (killed, or the
    machine stopped). Call it holding `store.lock()`: no import is running then, so a record
    still running is a stopped one. Its months were either all swapped in (the import had
    finished checking and was saving) or none were. Returns how many records it changed."""
    changed = 0
    for path, note in store.recovered_notes():
        record = CrimeImport.objects.filter(pk=note.get("import_id"),
                                            status=CrimeImport.Status.RUNNING).first()
        if record is not None:
            summary = note.get("summary") or {}
            if note.get("finished"):
                status = (CrimeImport.Status.DONE_WITH_REJECTS if summary.get("problems")
                          else CrimeImport.Status.DONE)
                services.finish_import(
                    None, record, status=status, files=summary.get("files", []),
                    rows_in=summary.get("rows_in", 0),
                    rows_rejected=summary.get("rows_rejected", 0),
                    problems=summary.get("problems", 0),
                    rejects_file=summary.get("rejects_file", ""),
                    notes=[FINISHED_AFTER_RESTART])
            else:
                services.finish_import(None, record, status=CrimeImport.Status.FAILED, files=[], rows_in=0,
                                       rows_rejected=0, problems=0, rejects_file="",
                                       notes=[STOPPED])
            changed += 1
        path.unlink(missing_ok=True)
    for record in CrimeImport.objects.filter(status=CrimeImport.Status.RUNNING):
        services.finish_import(None, record, status=CrimeImport.Status.FAILED,
                               files=[], rows_in=0, rows_rejected=0, problems=0,
                               rejects_file="", notes=[STOPPED])
        changed += 1
    return changed


def recover_stopped() -> int:
    """Finish or undo what stopped imports left, and mark their records (run at start-up)."""
    with store.lock():
        return mark_stopped_imports()


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
    # Problems are found a batch at a time; show them in the order of the files given.
    order = {o.name: n for n, o in enumerate(outcomes)}
    errors = sorted(rejects.shown, key=lambda e: (order.get(e.file, -1), e.line or 0))
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
