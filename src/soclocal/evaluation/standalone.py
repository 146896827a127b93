"""The standalone evaluation: a cohort file and a police extract in, a report out, with no
database. `soclocal evaluate` runs it."""

import secrets
from datetime import date
from pathlib import Path

from soclocal.core.imports import ImportFailed, Problems

from . import linkage, outcomes, report
from .files import read_cohort, read_police_extract
from .pseudonyms import pseudonym


def evaluate_files(cohort_path, people_path, events_path, *, windows=outcomes.DEFAULT_WINDOWS,
                   today=None) -> dict:
    """The evaluation document (the full version). Raises ImportFailed naming every problem
    in the three files."""
    cohort_path = Path(cohort_path)
    problems = Problems(cohort_path.name)
    if not cohort_path.is_file():
        problems.add("there is no such file")
        cohort = []
    else:
        cohort = read_cohort(cohort_path.read_bytes(), problems, today=today)
    people, events, police_problems = read_police_extract(people_path, events_path, today=today)
    if problems or police_problems:
        raise ImportFailed([*problems, *police_problems])
    found = linkage.link(
        [{"ref": m.ref, "forenames": m.forenames, "surname": m.surname,
          "date_of_birth": m.date_of_birth, "postcode": m.postcode} for m in cohort],
        [{"ref": p.police_ref, "forenames": p.forenames, "surname": p.surname,
          "date_of_birth": p.date_of_birth, "postcode": p.postcode} for p in people])
    linked = {c.cohort_ref: c.police_ref for c in found.links}
    by_person = {}
    for event in events:
        by_person.setdefault(event.police_ref, []).append(
            (event.date, event.kind, event.offence_group))
    # A fresh key for each standalone run: its pseudonyms mean nothing outside the run.
    key = secrets.token_bytes(32)
    members = [outcomes.Member(
        key=pseudonym("cohort", m.ref, key), group=outcomes.ENGAGED if m.engaged
        else outcomes.COMPARISON, referral_date=m.referral_date, area_code=m.area_code,
        found=m.ref in linked, events=by_person.get(linked.get(m.ref), []))
        for m in cohort]
    days = [e.date for e in events]
    data_from, data_to = (min(days), max(days)) if days else (None, None)
    results = outcomes.evaluate(members, windows=windows, data_from=data_from, data_to=data_to)
    engaged = {m.ref: m.engaged for m in cohort}
    return report.build_document(
        results, linkage=report.linkage_summary(found, engaged),
        comparison="The comparison group is the young people marked engaged = no in the "
                   "cohort file: referred to the service but not engaged with it.",
        data_from=data_from, data_to=data_to, source={
            "cohort": cohort_path.name, "police_people": Path(people_path).name,
            "police_events": Path(events_path).name, "police_events_rows": len(events)},
        built_on=today or date.today())
