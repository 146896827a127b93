"""Reading the evaluation's input files: a police extract (people and events) and, for the
standalone evaluation, a cohort. Every problem is collected with its file, line and field;
nothing is used unless both files are clean (docs/evaluation-data.md describes the layouts).
"""

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from soclocal.core.imports import Problems, parse_csv, require_columns

PEOPLE_COLUMNS = ["police_ref", "forenames", "surname", "date_of_birth", "postcode"]
EVENT_COLUMNS = ["police_ref", "date", "kind", "offence_group"]
COHORT_COLUMNS = ["ref", "forenames", "surname", "date_of_birth", "postcode", "referral_date",
                  "engaged", "area_code"]

ARREST, OFFENCE, MISSING = "arrest", "offence", "missing episode"
KINDS = [ARREST, OFFENCE, MISSING]
OFFENCE_GROUPS = ["violence", "sexual", "robbery", "burglary", "theft", "drugs", "weapons",
                  "public order", "criminal damage", "other"]
MAX_LENGTH = 100
POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$")


@dataclass(frozen=True)
class PolicePerson:
    police_ref: str
    forenames: str
    surname: str
    date_of_birth: date
    postcode: str
    line: int = 0


@dataclass(frozen=True)
class PoliceEvent:
    police_ref: str
    date: date
    kind: str
    offence_group: str
    line: int = 0


@dataclass(frozen=True)
class CohortMember:
    ref: str
    forenames: str
    surname: str
    date_of_birth: date
    postcode: str
    referral_date: date
    engaged: bool
    area_code: str
    line: int = 0


def parse_date(text: str) -> date | None:
    """A date as YYYY-MM-DD or DD/MM/YYYY, or None."""
    text = (text or "").strip()
    uk = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
    try:
        if uk:
            return date(int(uk[3]), int(uk[2]), int(uk[1]))
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return date.fromisoformat(text)
    except ValueError:
        return None
    return None


def clean_postcode(text: str) -> str | None:
    """A postcode in capitals with one space, '' when blank, None when not a postcode."""
    raw = re.sub(r"\s+", "", (text or "").upper())
    if not raw:
        return ""
    if not POSTCODE.match(raw):
        return None
    return f"{raw[:-3]} {raw[-3:]}"


def _text(values, column, line, problems, *, required=True):
    value = (values.get(column) or "").strip()
    if required and not value:
        problems.add(f"{column.replace('_', ' ')} is empty", line=line, field=column)
    elif len(value) > MAX_LENGTH:
        problems.add(f"{column.replace('_', ' ')} is longer than {MAX_LENGTH} characters",
                     line=line, field=column)
    return value


def _date(values, column, line, problems, *, latest=None):
    raw = (values.get(column) or "").strip()
    day = parse_date(raw)
    if not raw:
        problems.add(f"{column.replace('_', ' ')} is empty", line=line, field=column)
    elif day is None:
        problems.add(f"'{raw}' is not a date: write it as YYYY-MM-DD, like 2024-03-31",
                     line=line, field=column)
    elif latest and day > latest:
        problems.add(f"{day.isoformat()} is in the future", line=line, field=column)
        return None
    return day


def _postcode(values, line, problems):
    raw = values.get("postcode") or ""
    postcode = clean_postcode(raw)
    if postcode is None:
        problems.add(f"'{raw.strip()}' is not a UK postcode (leave it blank if not known)",
                     line=line, field="postcode")
    return postcode or ""


def _person(values, line, problems, seen, *, ref_column, whose, today):
    """The columns a police person and a cohort member share: a reference given once, names,
    date of birth (not in the future) and postcode."""
    ref = _text(values, ref_column, line, problems)
    if ref and ref in seen:
        label = ref_column.replace("_", " ")
        problems.add(f"{label} '{ref}' is also on line {seen[ref]}: {whose}",
                     line=line, field=ref_column)
    seen.setdefault(ref, line)
    return (ref, _text(values, "forenames", line, problems),
            _text(values, "surname", line, problems),
            _date(values, "date_of_birth", line, problems, latest=today),
            _postcode(values, line, problems))


def read_police_people(data: bytes, problems: Problems, *, today=None) -> list[PolicePerson]:
    csv_file = parse_csv(data, problems)
    if csv_file is None or not require_columns(csv_file, PEOPLE_COLUMNS, problems):
        return []
    today = today or date.today()
    people, seen = [], {}
    for line, values in csv_file.rows:
        ref, forenames, surname, dob, postcode = _person(
            values, line, problems, seen, ref_column="police_ref", whose="each person once",
            today=today)
        if ref and forenames and surname and dob:
            people.append(PolicePerson(ref, forenames, surname, dob, postcode, line))
    return people


def read_police_events(data: bytes, problems: Problems, people_refs: set | None,
                       *, today=None) -> list[PoliceEvent]:
    """Events; each must name a person in the people file (when `people_refs` is given)."""
    csv_file = parse_csv(data, problems)
    if csv_file is None or not require_columns(csv_file, EVENT_COLUMNS, problems):
        return []
    today = today or date.today()
    events = []
    for line, values in csv_file.rows:
        ref = _text(values, "police_ref", line, problems)
        if ref and people_refs is not None and ref not in people_refs:
            problems.add(f"police ref '{ref}' is not in the people file", line=line,
                         field="police_ref")
        day = _date(values, "date", line, problems)
        kind = " ".join((values.get("kind") or "").strip().lower().replace("_", " ").split())
        if kind not in KINDS:
            problems.add(f"kind '{values.get('kind', '').strip()}' is not one of: "
                         f"{', '.join(KINDS)}", line=line, field="kind")
        group = " ".join((values.get("offence_group") or "").strip().lower()
                         .replace("_", " ").split())
        if group and group not in OFFENCE_GROUPS:
            problems.add(f"offence group '{values.get('offence_group', '').strip()}' is not one "
                         f"of: {', '.join(OFFENCE_GROUPS)}", line=line, field="offence_group")
        elif kind == OFFENCE and not group:
            problems.add("an offence needs an offence group", line=line, field="offence_group")
        elif kind == MISSING and group:
            problems.add("a missing episode has no offence group: leave it blank", line=line,
                         field="offence_group")
        if ref and day and kind in KINDS:
            events.append(PoliceEvent(ref, day, kind, group, line))
    return events


def read_police_extract(people_path, events_path, *, today=None):
    """(people, events, problems): problems of both files, each naming its file."""
    people_path, events_path = Path(people_path), Path(events_path)
    people_problems, event_problems = Problems(people_path.name), Problems(events_path.name)
    people, events = [], []
    if not people_path.is_file():
        people_problems.add("there is no such file")
    else:
        people = read_police_people(people_path.read_bytes(), people_problems, today=today)
    if not events_path.is_file():
        event_problems.add("there is no such file")
    else:
        refs = {p.police_ref for p in people} if not people_problems else None
        events = read_police_events(events_path.read_bytes(), event_problems, refs, today=today)
    return people, events, [*people_problems, *event_problems]


def read_cohort(data: bytes, problems: Problems, *, today=None) -> list[CohortMember]:
    csv_file = parse_csv(data, problems)
    if csv_file is None or not require_columns(csv_file, COHORT_COLUMNS, problems):
        return []
    today = today or date.today()
    members, seen = [], {}
    for line, values in csv_file.rows:
        ref, forenames, surname, dob, postcode = _person(
            values, line, problems, seen, ref_column="ref", whose="each young person once",
            today=today)
        referral = _date(values, "referral_date", line, problems)
        engaged_raw = (values.get("engaged") or "").strip().lower()
        if engaged_raw not in ("yes", "no", "y", "n", "true", "false", "1", "0"):
            problems.add(f"engaged must be yes or no, not '{values.get('engaged', '').strip()}'",
                         line=line, field="engaged")
        area = _text(values, "area_code", line, problems, required=False)
        if dob and referral and referral < dob:
            problems.add("the referral date is before the date of birth", line=line,
                         field="referral_date")
        if ref and forenames and surname and dob and referral:
            members.append(CohortMember(ref, forenames, surname, dob, postcode, referral,
                                        engaged_raw in ("yes", "y", "true", "1"), area, line))
    return members
