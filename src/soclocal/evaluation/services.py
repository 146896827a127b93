"""Every write in the outcome evaluation: import a police extract, link the cohort to it,
review uncertain links, and run (and save) an evaluation."""

from datetime import date
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from soclocal.core import audit
from soclocal.core.access import service
from soclocal.core.imports import ImportFailed, sha256_of

from . import linkage, outcomes, report
from .files import read_police_extract
from .models import EvaluationRun, Link, PoliceEvent, PoliceExtract, PolicePerson
from .pseudonyms import pseudonym


@service("evaluation.analyse")
def import_police(actor, people_path, events_path, *, today=None) -> PoliceExtract:
    """Import a police extract all or nothing; every problem names its file, line and field."""
    people_path, events_path = Path(people_path), Path(events_path)
    people, events, problems = read_police_extract(people_path, events_path, today=today)
    if problems:
        raise ImportFailed(problems)
    days = [e.date for e in events]
    extract = PoliceExtract.objects.create(
        imported_by=actor, people_file=people_path.name, events_file=events_path.name,
        people_sha256=sha256_of(people_path), events_sha256=sha256_of(events_path),
        people_rows=len(people), event_rows=len(events),
        data_from=min(days) if days else None, data_to=max(days) if days else None)
    created = PolicePerson.objects.bulk_create([
        PolicePerson(extract=extract, police_ref=p.police_ref, forenames=p.forenames,
                     surname=p.surname, date_of_birth=p.date_of_birth, postcode=p.postcode)
        for p in people], batch_size=1000)
    ids = {p.police_ref: p.pk for p in created}
    if any(v is None for v in ids.values()):  # databases that do not return ids
        ids = dict(extract.people.values_list("police_ref", "pk"))
    PoliceEvent.objects.bulk_create([
        PoliceEvent(person_id=ids[e.police_ref], date=e.date, kind=e.kind,
                    offence_group=e.offence_group) for e in events], batch_size=2000)
    audit.record("import.police_extract", actor=actor, obj=extract, detail={
        "people_file": extract.people_file, "events_file": extract.events_file,
        "people_sha256": extract.people_sha256, "events_sha256": extract.events_sha256,
        "people": len(people), "events": len(events)})
    return extract


def latest_extract() -> PoliceExtract | None:
    return PoliceExtract.objects.order_by("-imported_at", "-pk").first()


def cohort():
    """The young people referred to the service (duplicates merged away are left out)."""
    from soclocal.cases.models import YoungPerson

    return (YoungPerson.objects.filter(merged_into__isnull=True, cases__referrals__isnull=False)
            .distinct().select_related("home_area__ward"))


@service("evaluation.analyse")
def link_cohort(actor, extract: PoliceExtract | None = None) -> dict:
    """Look for every young person of the cohort in the extract. Links already confirmed or
    rejected by a person are kept as they were decided; the rest are found afresh."""
    extract = extract or latest_extract()
    if extract is None:
        raise ValidationError(_("Import a police extract first: soclocal evaluation "
                              "import-police PEOPLE.csv EVENTS.csv"))
    reviewed = {link.young_person_id: link for link in extract.links.filter(
        status__in=[Link.Status.CONFIRMED, Link.Status.REJECTED])}
    extract.links.exclude(pk__in=[link.pk for link in reviewed.values()]).delete()
    people = list(cohort())
    police = list(extract.people.all())
    found = linkage.link(
        [{"ref": str(yp.pk), "forenames": yp.first_name, "surname": yp.last_name,
          "date_of_birth": yp.date_of_birth, "postcode": ""} for yp in people],
        [{"ref": str(p.pk), "forenames": p.forenames, "surname": p.surname,
          "date_of_birth": p.date_of_birth, "postcode": p.postcode} for p in police])
    taken_police = {link.police_person_id for link in reviewed.values()
                    if link.status == Link.Status.CONFIRMED}
    new = []
    for c in found.candidates:
        if int(c.cohort_ref) in reviewed or int(c.police_ref) in taken_police:
            continue
        new.append(Link(extract=extract, young_person_id=int(c.cohort_ref),
                        police_person_id=int(c.police_ref), probability=c.probability,
                        comparisons=c.comparisons,
                        status=Link.Status.LINKED if c.certain else Link.Status.UNCERTAIN))
    Link.objects.bulk_create(new)
    counts = {"cohort": len(people), "linked": sum(1 for n in new if n.status == "linked"),
              "uncertain": sum(1 for n in new if n.status == "uncertain"),
              "kept_from_review": len(reviewed)}
    audit.record("evaluation.linked", actor=actor, obj=extract, detail=counts)
    return counts


@service("evaluation.analyse")
def review_link(actor, link: Link, decision: str) -> Link:
    """Confirm or reject a link: the reviewer has compared the two records."""
    if decision not in ("confirm", "reject"):
        raise ValidationError({"decision": _("Choose whether these are the same person.")})
    link.status = Link.Status.CONFIRMED if decision == "confirm" else Link.Status.REJECTED
    link.reviewed_by, link.reviewed_at = actor, timezone.now()
    link.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    audit.record(f"evaluation.link_{decision}ed", actor=actor, obj=link,
                 detail={"young_person": link.young_person_id,
                         "police_person": link.police_person_id,
                         "probability": link.probability})
    return link


def _area_code(area):
    """The ward of a young person's home small area (the small area when it has none)."""
    if area is None:
        return ""
    return area.ward.code if area.ward_id else area.code


def _members(extract, comparison):
    """The cohort as pseudonymous members of the engaged or comparison group, with their
    police events; and {key: engaged} for the linkage counts."""
    from soclocal.cases.models import Case

    counted = {link.young_person_id: link.police_person_id
               for link in extract.links.filter(status__in=Link.COUNTED)}
    events = {}
    for person_id, day, kind, group in PoliceEvent.objects.filter(
            person_id__in=list(counted.values())).values_list(
            "person_id", "date", "kind", "offence_group"):
        events.setdefault(person_id, []).append((day, kind, group))
    members, engaged_by_ref = [], {}
    for yp in cohort().prefetch_related("cases__referrals"):
        cases = list(yp.cases.all())
        referrals = [timezone.localtime(r.received_at).date()
                     for c in cases for r in c.referrals.all()]
        engaged = any(c.first_engaged_on for c in cases)
        waiting = any(c.status == Case.Status.AWAITING_TRIAGE for c in cases)
        if engaged:
            group = outcomes.ENGAGED
        elif (comparison == EvaluationRun.Comparison.NOT_ENGAGED and not waiting) or (
                comparison == EvaluationRun.Comparison.WAITING_LIST and waiting) or (
                comparison == EvaluationRun.Comparison.BOTH):
            group = outcomes.COMPARISON
        else:
            continue
        members.append(outcomes.Member(
            key=pseudonym("young_person", yp.pk), group=group, referral_date=min(referrals),
            area_code=_area_code(yp.home_area),
            found=yp.pk in counted, events=events.get(counted.get(yp.pk), [])))
        engaged_by_ref[str(yp.pk)] = engaged
    return members, engaged_by_ref, counted


def star_change(members_engaged_ids) -> dict | None:
    """Mean change per star area from the first to the latest approved reading on the same
    star, for engagers with at least two."""
    from soclocal.cases import star
    from soclocal.cases.models import StarReading

    by_case = {}
    for r in (StarReading.objects.filter(case__young_person_id__in=members_engaged_ids,
                                         approved_at__isnull=False)
              .select_related("case").order_by("case__young_person_id", "taken_on", "pk")
              .prefetch_related("scores__area")):
        by_case.setdefault(r.case.young_person_id, []).append(
            (r.instrument_id, {s.area.name: s.score for s in r.scores.all()}))
    areas = [a.name for a in star.active_instrument().areas.all()]
    firsts, latests, changes = [], [], []
    for readings in by_case.values():
        same = [r for r in readings if r[0] == readings[-1][0]]
        if len(same) >= 2:
            firsts.append(same[0][1])
            latests.append(same[-1][1])
            changes.append(star.change_per_area(same[0][1], same[-1][1]))
    if not changes:
        return {"people": 0, "areas": []}
    return {"people": len(changes), "areas": [
        {"area": a, "people": sum(1 for c in changes if a in c),
         "first": star.mean_change([{a: f[a]} for f in firsts if a in f], [a])[a],
         "latest": star.mean_change([{a: x[a]} for x in latests if a in x], [a])[a],
         "change": star.mean_change(changes, [a])[a]} for a in areas]}


def _whole_months(value) -> int:
    """A window from the form or a caller: a whole number, never a fraction cut down."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        return int(value)
    raise ValidationError({"window_months": _("Enter a whole number of months, like 12.")})


@service("evaluation.analyse")
def run_evaluation(actor, *, comparison=EvaluationRun.Comparison.NOT_ENGAGED,
                   window_months=12, extract=None, today=None) -> EvaluationRun:
    """Evaluate the cohort against the extract with the links counted now, and save the
    result as a new version."""
    extract = extract or latest_extract()
    if extract is None:
        raise ValidationError(_("Import a police extract first."))
    if comparison not in EvaluationRun.Comparison.values:
        raise ValidationError({"comparison": _("Choose a comparison group.")})
    window_months = _whole_months(window_months)
    if not 1 <= window_months <= 60:
        raise ValidationError({"window_months": _("The window must be 1 to 60 months.")})
    if not extract.links.exists():
        raise ValidationError(_("Link the cohort to the police extract first."))
    members, engaged, counted = _members(extract, comparison)
    windows = (int(window_months), *[w for w in outcomes.DEFAULT_WINDOWS
                                     if w != int(window_months)])
    results = outcomes.evaluate(members, windows=windows, data_from=extract.data_from,
                                data_to=extract.data_to)
    links = list(extract.links.all())
    candidates = [linkage.Candidate(str(link.young_person_id), str(link.police_person_id),
                                    link.probability, link.comparisons)
                  for link in links if link.status != Link.Status.REJECTED]
    found = linkage.Linkage(candidates, len(engaged), extract.people_rows)
    summary = report.linkage_summary(found, engaged)
    # Confirmed links count whatever their probability; rejected ones never do.
    summary["found"] = sum(1 for ref in engaged if int(ref) in counted)
    summary["not_found"] = summary["cohort"] - summary["found"]
    summary["found_share"] = (round(summary["found"] / summary["cohort"], 4)
                              if summary["cohort"] else None)
    for group, flag in ((outcomes.ENGAGED, True), (outcomes.COMPARISON, False)):
        summary["by_group"][group]["found"] = sum(
            1 for ref, e in engaged.items() if e == flag and int(ref) in counted)
    summary["uncertain"] = sum(1 for link in links if link.status == Link.Status.UNCERTAIN)
    summary["confirmed_by_review"] = sum(1 for link in links
                                         if link.status == Link.Status.CONFIRMED)
    summary["rejected_by_review"] = sum(1 for link in links
                                        if link.status == Link.Status.REJECTED)
    label = EvaluationRun.Comparison(comparison).label
    doc = report.build_document(
        results, linkage=summary, comparison_group=comparison,
        comparison=f"The comparison group: {label.lower()}.",
        data_from=extract.data_from, data_to=extract.data_to,
        source={"police_extract": extract.pk, "police_people": extract.people_file,
                "police_events": extract.events_file,
                "police_events_rows": extract.event_rows},
        built_on=today or date.today(),
        star=star_change([int(ref) for ref, e in engaged.items() if e]))
    version = (EvaluationRun.objects.aggregate(n=Max("version"))["n"] or 0) + 1
    run = EvaluationRun.objects.create(
        version=version, built_by=actor, extract=extract, comparison=comparison,
        window_months=int(window_months), figures=doc,
        people={str(r["months"]): r["person_rows"] for r in results})
    audit.record("evaluation.run", actor=actor, obj=run, detail={
        "version": version, "comparison": comparison, "window_months": int(window_months),
        "extract": extract.pk, "people": doc["people"]})
    return run
