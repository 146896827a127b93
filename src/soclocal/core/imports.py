"""The imports pipeline every importer shares: read, validate every row, commit all or nothing.

An importer reads its file with `read_csv` or `read_json`, collects every problem it finds in
an `Problems` list, and only writes once the whole file is clean. `run` wraps the work in one
transaction and audits it, so a failed import leaves the database as it was and a repeated one
is recorded each time.
"""

import codecs
import csv
import hashlib
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from . import audit, faults

MAX_PROBLEMS = 500  # beyond this a file is plainly the wrong one; stop reading it


@dataclass(frozen=True)
class ImportProblem:
    """One thing wrong with an input file, said so a person can find and fix it."""

    file: str
    reason: str
    line: int | None = None  # CSV line (1 is the header) or JSON text line
    feature: int | None = None  # GeoJSON feature number, counting from 1
    field: str = ""

    def __str__(self):
        where = [self.file]
        if self.line is not None:
            where.append(_("line %(line)s") % {"line": self.line})
        if self.feature is not None:
            where.append(_("feature %(feature)s") % {"feature": self.feature})
        if self.field:
            where.append(_("field %(field)s") % {"field": self.field})
        return f"{', '.join(where)}: {self.reason}"


class ImportFailed(Exception):
    """The file was not imported; `errors` lists every problem found."""

    def __init__(self, errors: list[ImportProblem]):
        self.errors = list(errors)
        shown = "\n".join(str(e) for e in self.errors[:20])
        more = len(self.errors) - 20
        super().__init__(shown + ("\n" + _("... and %(more)s more problems") % {"more": more}
                                  if more > 0 else ""))


class TooManyProblems(Exception):
    pass


class Problems(list):
    """The problems found in one file so far."""

    def __init__(self, file: str):
        super().__init__()
        self.file = file

    def add(self, reason, *, line=None, feature=None, field=""):
        self.append(ImportProblem(self.file, reason, line=line, feature=feature, field=field))
        if len(self) >= MAX_PROBLEMS:
            self.append(ImportProblem(self.file, _("stopped after %(most)s problems")
                                      % {"most": MAX_PROBLEMS}))
            raise TooManyProblems

    def raise_if_any(self):
        if self:
            raise ImportFailed(self)


@dataclass
class ImportResult:
    kind: str
    flavour: str
    file: str
    rows: int = 0
    counts: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def __str__(self):
        parts = [f"{self.file}: {self.rows} rows ({self.flavour})"]
        parts += [f"{k.replace('_', ' ')}: {v}" for k, v in self.counts.items()]
        return "; ".join(parts)


class Progress:
    """Calls `callback(done, total, message)` about a hundred times over a long job."""

    def __init__(self, callback: Callable[[int, int, str], None] | None):
        self.callback = callback
        self._last = -1

    def __call__(self, done: int, total: int, message: str = ""):
        faults.point("import.progress")
        if self.callback is None:
            return
        step = max(total // 100, 1)
        if done in (0, total) or done - self._last >= step:
            self._last = done
            self.callback(done, total, message)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_text(path: Path, problems: Problems) -> str | None:
    """The file as text: UTF-8 with or without a BOM. Names each line that is not UTF-8."""
    return decode_text(path.read_bytes(), problems)


def decode_text(data: bytes, problems: Problems) -> str | None:
    """Bytes as text: UTF-8 with or without a BOM. Names each line that is not UTF-8."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    if not data.strip():
        problems.add(_("the file is empty"))
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    for number, raw in enumerate(data.split(b"\n"), start=1):
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as e:
            bad = raw[e.start:e.start + 1].hex()
            problems.add(_("this line is not UTF-8 text (byte 0x%(byte)s at column %(column)s); "
                           "save the file as UTF-8 and import it again")
                         % {"byte": bad, "column": e.start + 1}, line=number)
    return None


@dataclass
class CsvFile:
    header: list[str]
    rows: list[tuple[int, dict[str, str]]]  # (line number, values by column)


def read_csv(path: Path, problems: Problems) -> CsvFile | None:
    """Read a CSV with a header row. Rows with the wrong number of values are problems;
    blank lines are skipped. Returns None when the file cannot be read at all."""
    return parse_csv(path.read_bytes(), problems)


def parse_csv(data: bytes, problems: Problems) -> CsvFile | None:
    """`read_csv` for a file already in memory, such as an upload."""
    text = decode_text(data, problems)
    if text is None:
        return None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip() for h in next(reader)]
    except csv.Error as e:
        problems.add(_("the header cannot be read: %(error)s") % {"error": e}, line=1)
        return None
    rows = []
    try:
        for values in reader:
            if not values or values == [""]:
                continue
            if len(values) != len(header):
                problems.add(_("this line has %(values)s values but the header has "
                               "%(columns)s columns (is the line cut short?)")
                             % {"values": len(values), "columns": len(header)},
                             line=reader.line_num)
                continue
            rows.append((reader.line_num, dict(zip(header, values, strict=True))))
    except csv.Error as e:
        problems.add(_("the line cannot be read as CSV: %(error)s") % {"error": e},
                     line=reader.line_num)
    if not rows and not problems:
        problems.add(_("the file has a header but no rows of data"), line=1)
    return CsvFile(header, rows)


def require_columns(csv_file: CsvFile, columns, problems: Problems) -> bool:
    missing = [c for c in columns if c not in csv_file.header]
    for c in missing:
        problems.add(_("the header has no column '%(column)s'") % {"column": c}, line=1, field=c)
    return not missing


def read_json(path: Path, problems: Problems):
    """Parse a JSON file; broken JSON is a problem that names its line and column."""
    text = read_text(path, problems)
    if text is None:
        return None
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        problems.add(_("broken JSON at column %(column)s (character %(character)s): %(error)s")
                     % {"column": e.colno, "character": e.pos + 1, "error": e.msg},
                     line=e.lineno)
        return None


def run(kind: str, path, load: Callable[[Path, Problems, Progress], ImportResult], *,
        actor=None, progress=None) -> ImportResult:
    """Run one import all or nothing and audit it.

    `load` validates the whole file, calls `problems.raise_if_any()` before writing, then
    writes. Any exception rolls the transaction back, so the database is left unchanged.
    """
    path = Path(path)
    problems = Problems(path.name)
    if not path.is_file():
        problems.add(_("there is no such file"))
        problems.raise_if_any()
    digest = sha256_of(path)
    try:
        with transaction.atomic():
            result = load(path, problems, Progress(progress))
            problems.raise_if_any()
            audit.record(f"import.{kind}", actor=actor, object_type="import", object_id=kind,
                         detail={"file": path.name, "sha256": digest, "flavour": result.flavour,
                                 "rows": result.rows, **result.counts})
    except TooManyProblems:
        raise ImportFailed(problems) from None
    return result


def rows_with_progress(rows, progress: Progress, message: str) -> Iterator:
    total = len(rows)
    for done, row in enumerate(rows, start=1):
        yield row
        progress(done, total, message)
