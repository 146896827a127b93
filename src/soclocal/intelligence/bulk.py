"""Reading people and links in bulk from a spreadsheet (CSV or Excel .xlsx), before saving.

The parser checks every row and collects every problem with the file name, line and field
(`core.imports`), and gives back parsed rows only when the whole file is clean; otherwise it
raises `ImportFailed` carrying every problem, so an import is all or nothing. It touches no
database: the caller saves the rows.

Default layouts (the header names the columns; their order does not matter):

    people: reference, forenames, surname, date_of_birth, address, postcode, phone, source
    links:  from_reference, to_reference, kind, start, end, source

Other layouts are read through a column mapping {our field: the file's column header}.
"""

import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from soclocal.core.imports import (
    CsvFile,
    ImportFailed,
    Problems,
    TooManyProblems,
    parse_csv,
)

PEOPLE_FIELDS = ("reference", "forenames", "surname", "date_of_birth", "address", "postcode",
                 "phone", "source")
PEOPLE_REQUIRED = ("reference", "forenames", "surname", "date_of_birth")
LINK_FIELDS = ("from_reference", "to_reference", "kind", "start", "end", "source")
LINK_REQUIRED = ("from_reference", "to_reference", "kind")
LINK_KINDS = ("associate", "family", "member_of", "owns", "occupies", "uses", "seen_at", "pays")

POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})$")
PHONE = re.compile(r"^\+?[0-9]{7,15}$")
UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class PersonRow:
    line: int
    reference: str
    forenames: str
    surname: str
    date_of_birth: date | None
    address: str
    postcode: str  # upper case with one space, or ""
    phone: str  # digits, with a leading + if given, or ""
    source: str


@dataclass(frozen=True)
class LinkRow:
    line: int
    from_reference: str
    to_reference: str
    kind: str
    start: date | None
    end: date | None
    source: str


def parse_date(text: str) -> date:
    """A date written 2024-03-31 or 31/03/2024; ValueError saying so otherwise."""
    text = text.strip()
    uk = UK_DATE.match(text)
    try:
        if uk:
            day, month, year = (int(x) for x in uk.groups())
            return date(year, month, day)
        if ISO_DATE.match(text):
            return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"'{text}' is not a real date") from None
    raise ValueError(f"'{text}' is not a date; write dates as 2024-03-31 or 31/03/2024")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_xlsx(data: bytes, problems: Problems) -> CsvFile | None:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds; any of them means the same to a person
        problems.add("the file cannot be read as an Excel workbook (.xlsx); save it as .xlsx "
                     "or CSV and import it again")
        return None
    try:
        sheet = workbook.worksheets[0]
        lines = sheet.iter_rows(values_only=True)
        header = [_cell(h).strip() for h in next(lines, ())]
        while header and not header[-1]:
            header.pop()
        if not header:
            problems.add("the first sheet has no header row", line=1)
            return None
        rows = []
        for number, values in enumerate(lines, start=2):
            values = [_cell(v) for v in values]
            if not any(v.strip() for v in values):
                continue
            if any(v.strip() for v in values[len(header):]):
                problems.add(f"this row has values beyond the {len(header)} columns the "
                             "header names", line=number)
                continue
            values += [""] * (len(header) - len(values))
            rows.append((number, dict(zip(header, values[:len(header)], strict=True))))
    finally:
        workbook.close()
    if not rows:
        problems.add("the file has a header but no rows of data", line=1)
    return CsvFile(header, rows)


def read_table(data: bytes, name: str, problems: Problems) -> CsvFile | None:
    """A CSV or .xlsx file (told apart by its name) as a header and numbered rows."""
    if name.lower().endswith(".xlsx"):
        return _read_xlsx(data, problems)
    if name.lower().endswith((".xls", ".ods", ".numbers")):
        problems.add("only CSV and Excel .xlsx files can be imported; save the file as one "
                     "of those")
        return None
    return parse_csv(data, problems)


def _columns(table: CsvFile, fields, required, mapping, problems) -> dict | None:
    """Our field -> the file's column, checking the header has what it needs."""
    mapping = dict(mapping or {})
    unknown = sorted(set(mapping) - set(fields))
    for field in unknown:
        problems.add(f"the column mapping names '{field}', which is not a field here "
                     f"(the fields are {', '.join(fields)})", line=1, field=field)
    seen = set()
    for header in table.header:
        if header in seen:
            problems.add(f"the header has the column '{header}' twice", line=1, field=header)
        seen.add(header)
    columns = {}
    for field in fields:
        column = mapping.get(field, field)
        if column in table.header:
            columns[field] = column
        elif field in required or field in mapping:
            problems.add(f"the header has no column '{column}'", line=1, field=field)
    return None if unknown or len(seen) != len(table.header) or any(
        f not in columns for f in required) else columns


def _values(row, columns, fields):
    return {f: row[columns[f]].strip() if f in columns else "" for f in fields}


def _date(values, field, line, problems):
    if not values[field]:
        return None
    try:
        return parse_date(values[field])
    except ValueError as e:
        problems.add(str(e), line=line, field=field)
        return None


def _person(line, v, problems, seen) -> PersonRow | None:
    before = len(problems)
    if not v["reference"]:
        problems.add("the reference is missing; every person needs one", line=line,
                     field="reference")
    elif v["reference"] in seen:
        problems.add(f"the reference '{v['reference']}' is also on line {seen[v['reference']]};"
                     " each person needs their own", line=line, field="reference")
    else:
        seen[v["reference"]] = line
    if not v["forenames"] and not v["surname"]:
        problems.add("the person has no name; give forenames, a surname or both", line=line,
                     field="surname")
    born = _date(v, "date_of_birth", line, problems)
    # A date of birth a few years ahead is usually a slip (a digit mistyped or transposed)
    # that matching sees through, so it is kept as written; one centuries ahead is nonsense.
    if born and born.year > date.today().year + 100:
        problems.add(f"the date of birth {born.isoformat()} is in the future by more than a "
                     "century", line=line, field="date_of_birth")
    postcode = re.sub(r"\s+", " ", v["postcode"].upper())
    match = POSTCODE.match(postcode)
    if postcode and not match:
        problems.add(f"'{v['postcode']}' is not the shape of a UK postcode (like NG7 2AB)",
                     line=line, field="postcode")
    phone = re.sub(r"[\s()-]", "", v["phone"])
    if phone and not PHONE.match(phone):
        problems.add(f"'{v['phone']}' is not a phone number", line=line, field="phone")
    if len(problems) > before:
        return None
    return PersonRow(line, v["reference"], v["forenames"], v["surname"], born, v["address"],
                     " ".join(match.groups()) if match else "", phone, v["source"])


def _link(line, v, problems, known) -> LinkRow | None:
    before = len(problems)
    for field in ("from_reference", "to_reference"):
        if not v[field]:
            problems.add("the reference is missing", line=line, field=field)
        elif v[field] not in known:
            problems.add(f"no person or record has the reference '{v[field]}'", line=line,
                         field=field)
    if v["from_reference"] and v["from_reference"] == v["to_reference"]:
        problems.add("a link must join two different records", line=line, field="to_reference")
    kind = v["kind"].lower().replace(" ", "_")
    if kind not in LINK_KINDS:
        problems.add(f"'{v['kind']}' is not a kind of link; use one of "
                     f"{', '.join(LINK_KINDS)}", line=line, field="kind")
    start, end = _date(v, "start", line, problems), _date(v, "end", line, problems)
    if start and end and end < start:
        problems.add(f"the link ends ({end.isoformat()}) before it starts "
                     f"({start.isoformat()})", line=line, field="end")
    if len(problems) > before:
        return None
    return LinkRow(line, v["from_reference"], v["to_reference"], kind, start, end, v["source"])


def _parse(data, name, fields, required, mapping, problems, row_parser):
    table = read_table(data, name, problems)
    if table is None:
        return []
    columns = _columns(table, fields, required, mapping, problems)
    if columns is None:
        return []
    parsed = []
    for line, row in table.rows:
        result = row_parser(line, _values(row, columns, fields), problems)
        if result is not None:
            parsed.append(result)
    return parsed


def read_records(file: bytes | Path | str, name: str | None = None, *,
                 mapping: Mapping[str, str] | None = None) -> list[dict]:
    """People as they stand in the file, for matching rather than saving: only the
    references are checked (present and unique); odd dates or postcodes are kept as they are,
    since a record with a slip in it is just what matching looks for."""
    data, name = _bytes_and_name(file, name)
    problems = Problems(name)
    seen: dict[str, int] = {}

    def check(line, values, problems):
        reference = values["reference"]
        if not reference:
            problems.add("the reference is missing; every person needs one", line=line,
                         field="reference")
        elif reference in seen:
            problems.add(f"the reference '{reference}' is also on line {seen[reference]}",
                         line=line, field="reference")
        else:
            seen[reference] = line
        return values

    try:
        records = _parse(data, name, PEOPLE_FIELDS, ("reference",), mapping, problems, check)
    except TooManyProblems:
        pass
    problems.raise_if_any()
    return records


def _bytes_and_name(file, name):
    if isinstance(file, (str, Path)):
        path = Path(file)
        return path.read_bytes(), name or path.name
    return bytes(file), name or "upload"


def parse_people(file: bytes | Path | str, name: str | None = None, *,
                 mapping: Mapping[str, str] | None = None) -> list[PersonRow]:
    """Every person in the file, or ImportFailed listing every problem.

    `file` is the file's content (with `name`, which says CSV or .xlsx) or a path."""
    return parse_bulk(people=(file, name), mapping_people=mapping)[0]


def parse_links(file: bytes | Path | str, name: str | None = None, *,
                known_references: Iterable[str] = (),
                mapping: Mapping[str, str] | None = None) -> list[LinkRow]:
    """Every link in the file, or ImportFailed listing every problem. Both ends must be
    among `known_references` (records already held, and people in the same import)."""
    return parse_bulk(links=(file, name), known_references=known_references,
                      mapping_links=mapping)[1]


def parse_bulk(people=None, links=None, *, known_references: Iterable[str] = (),
               mapping_people=None, mapping_links=None) -> tuple[list[PersonRow], list[LinkRow]]:
    """A people file and a links file imported together: links may join people from the
    same import. Each file is a (content or path, name) pair, or None. Returns (people,
    links) when both are clean; otherwise raises one ImportFailed with every problem in
    both."""
    problems: list = []
    found_people, found_links = [], []
    known = set(known_references)
    try:
        if people is not None:
            data, name = _bytes_and_name(*people)
            file_problems = Problems(name)
            seen: dict[str, int] = {}
            try:
                found_people = _parse(data, name, PEOPLE_FIELDS, PEOPLE_REQUIRED,
                                      mapping_people, file_problems,
                                      lambda line, v, p: _person(line, v, p, seen))
            finally:
                problems += file_problems
            known |= set(seen)
        if links is not None:
            data, name = _bytes_and_name(*links)
            file_problems = Problems(name)
            try:
                found_links = _parse(data, name, LINK_FIELDS, LINK_REQUIRED, mapping_links,
                                     file_problems, lambda line, v, p: _link(line, v, p, known))
            finally:
                problems += file_problems
    except TooManyProblems:
        pass
    if problems:
        raise ImportFailed(problems)
    return found_people, found_links
