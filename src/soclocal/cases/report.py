"""The service report: what the early intervention service did, as counts and averages.

`service_report` gives exact figures for the analyst's and manager's screen; `for_sharing`
hides small counts (and those that would reveal them) with core.disclosure before a report
leaves it (board papers, CSV exports marked for sharing).
"""

import csv
import io
from statistics import median

from django.db.models import Count, Q

from soclocal.core.disclosure import MARK, THRESHOLD, suppress_series

from . import star
from .models import Case, Closure, Contact, Referral, StarReading


def _in_area(qs, area, prefix="young_person__home_area"):
    if area is None:
        return qs
    return qs.filter(Q(**{prefix: area}) | Q(**{f"{prefix}__ward": area})
                     | Q(**{f"{prefix}__lad": area}) | Q(**{f"{prefix}__pfa": area}))


def service_report(cases, *, area=None, date_from=None, date_to=None) -> dict:
    """Figures over `cases` (already scoped), for referrals received in the period."""
    cases = _in_area(cases, area)
    referrals = Referral.objects.filter(case__in=cases.values("pk"))
    if date_from:
        referrals = referrals.filter(received_at__date__gte=date_from)
    if date_to:
        referrals = referrals.filter(received_at__date__lte=date_to)
    referrals = list(referrals.select_related("case"))
    case_ids = {r.case_id for r in referrals}
    period_cases = list(Case.objects.filter(pk__in=case_ids))

    by_source = {label: 0 for _, label in Referral.Source.choices}
    by_reason = {label: 0 for _, label in Referral.Reason.choices}
    triage_days, first_contact_days = [], []
    for r in referrals:
        by_source[Referral.Source(r.source).label] += 1
        for reason in r.reasons:
            if reason in Referral.Reason.values:
                by_reason[Referral.Reason(reason).label] += 1
        if r.decided_at:
            triage_days.append((r.decided_at - r.received_at).total_seconds() / 86400)
        if r.decision == Referral.Decision.ACCEPT and r.case.first_engaged_on:
            days = (r.case.first_engaged_on - r.received_at.date()).days
            if days >= 0:
                first_contact_days.append(days)

    accepted = [c for c in period_cases if any(
        r.case_id == c.pk and r.decision == Referral.Decision.ACCEPT for r in referrals)]
    engaged = sum(1 for c in accepted if c.first_engaged_on)

    contacts = Contact.objects.filter(case_id__in=case_ids)
    if date_from:
        contacts = contacts.filter(happened_on__gte=date_from)
    if date_to:
        contacts = contacts.filter(happened_on__lte=date_to)
    out_of_hours = contacts.filter(out_of_hours=True).count()

    closures = Closure.objects.filter(case_id__in=case_ids, approved_at__isnull=False)
    by_closure = {label: 0 for _, label in Closure.Reason.choices}
    for c in closures:
        by_closure[Closure.Reason(c.reason).label] += 1

    rereferred = (Referral.objects.filter(case_id__in=case_ids).values("case_id")
                  .annotate(n=Count("pk")).filter(n__gt=1).count())

    open_cases = [c for c in period_cases if c.status in (Case.Status.OPEN,
                                                          Case.Status.CLOSURE_REQUESTED)]
    caseload = {}
    for c in open_cases:
        caseload[c.practitioner_id] = caseload.get(c.practitioner_id, 0) + 1

    instrument = star.default_instrument()
    areas = [a.name for a in instrument.areas.all()]
    changes = []
    for case_id in case_ids:
        readings = list(StarReading.objects.filter(case_id=case_id, approved_at__isnull=False)
                        .prefetch_related("scores__area").order_by("taken_on", "pk"))
        if len(readings) >= 2:
            first = {s.area.name: s.score for s in readings[0].scores.all()}
            latest = {s.area.name: s.score for s in readings[-1].scores.all()}
            changes.append(star.change_per_area(first, latest))
    return {
        "referrals": len(referrals),
        "young_people": len({c.young_person_id for c in period_cases}),
        "by_source": by_source,
        "by_reason": by_reason,
        "median_days_to_triage": round(median(triage_days), 1) if triage_days else None,
        "triaged": len(triage_days),
        "median_days_to_first_contact": median(first_contact_days) if first_contact_days
        else None,
        "first_contacts": len(first_contact_days),
        "engagement": {"Engaged": engaged, "Not yet engaged": len(accepted) - engaged},
        "engagement_rate": round(100 * engaged / len(accepted)) if accepted else None,
        "open_cases": len(open_cases),
        "practitioners_with_cases": len([k for k in caseload if k]),
        "average_caseload": round(sum(v for k, v in caseload.items() if k)
                                  / len([k for k in caseload if k]), 1)
        if any(caseload) else None,
        "contacts": contacts.count(),
        "out_of_hours_contacts": out_of_hours,
        "by_closure": by_closure,
        "rereferrals": rereferred,
        "star_people": len(changes),
        "star_change": star.mean_change(changes, areas),
    }


SERIES = ("by_source", "by_reason", "engagement", "by_closure")


def for_sharing(report: dict, threshold=THRESHOLD) -> dict:
    """The report with small counts hidden, and averages over fewer than `threshold` people."""
    shared = dict(report)
    for name in SERIES:
        published, _total = suppress_series(report[name], threshold=threshold)
        shared[name] = {k: p.shown for k, p in published.items()}
    for name in ("referrals", "young_people", "contacts", "out_of_hours_contacts",
                 "rereferrals", "open_cases", "practitioners_with_cases"):
        if 0 < report[name] < threshold:
            shared[name] = MARK
    if report["engagement"] and sum(report["engagement"].values()) < threshold:
        shared["engagement_rate"] = MARK
    for name, n in (("median_days_to_triage", "triaged"),
                    ("median_days_to_first_contact", "first_contacts")):
        if report[n] < threshold:
            shared[name] = MARK
    if 0 < report["practitioners_with_cases"] < threshold:
        shared["average_caseload"] = MARK
    if report["star_people"] < threshold:
        shared["star_change"] = {a: MARK for a in report["star_change"]}
        if report["star_people"]:
            shared["star_people"] = MARK
    # Totals of series stay consistent with what is shown: the grand totals above are
    # hidden when small, and suppress_series protects the parts from differencing.
    shared["sharing"] = True
    return shared


def to_csv(report: dict) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["measure", "category", "value"])
    for name, value in report.items():
        if name == "sharing":
            continue
        if isinstance(value, dict):
            for category, v in value.items():
                writer.writerow([name, category, "" if v is None else v])
        else:
            writer.writerow([name, "", "" if value is None else value])
    return out.getvalue()
