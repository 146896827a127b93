"""The service report: what the early intervention service did, as counts and averages.

`service_report` gives exact figures for the analyst's and manager's screen; `for_sharing`
hides small counts (and those that would reveal them) with core.disclosure before a report
leaves it (board papers, CSV exports marked for sharing).
"""

import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from statistics import median

from django.core.exceptions import ValidationError
from django.db.models import Count, DurationField, ExpressionWrapper, F, Max, Min, Q
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_noop

from soclocal.areas.models import Area
from soclocal.core import spreadsheet
from soclocal.core.disclosure import MARK, THRESHOLD, suppress, suppress_series

from . import star
from .models import Case, Closure, Contact, Referral, StarReading

# The engagement series' categories: keys of the figures and the CSV, kept in English.
ENGAGED, NOT_YET_ENGAGED = gettext_noop("Engaged"), gettext_noop("Not yet engaged")


def _in_area(qs, area, prefix="young_person__home_area"):
    if area is None:
        return qs
    return qs.filter(Q(**{prefix: area}) | Q(**{f"{prefix}__ward": area})
                     | Q(**{f"{prefix}__lad": area}) | Q(**{f"{prefix}__pfa": area}))


def _day_starts(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def service_report(cases, *, area=None, date_from=None, date_to=None, with_star=True) -> dict:
    """Figures over `cases` (already scoped), for referrals received in the period."""
    cases = _in_area(cases, area)
    referrals = Referral.objects.filter(case__in=cases.values("pk"))
    # From the start of the first day to the start of the day after the last, in local time:
    # the same referrals as comparing their dates, without converting every row's time.
    if date_from:
        referrals = referrals.filter(received_at__gte=_day_starts(date_from))
    if date_to:
        referrals = referrals.filter(received_at__lt=_day_starts(date_to + timedelta(days=1)))
    # Counted in the database, the case ids as a subquery: at national scale the period
    # holds tens of thousands of referrals. Only the medians need a value a referral.
    in_period = referrals.values("case_id")
    total_referrals = referrals.count()
    period_cases = Case.objects.filter(pk__in=in_period)

    by_source = {label: 0 for _value, label in Referral.Source.choices}
    by_reason = {label: 0 for _value, label in Referral.Reason.choices}
    source_labels = dict(Referral.Source.choices)
    reason_labels = dict(Referral.Reason.choices)
    for row in referrals.order_by().values("source").annotate(n=Count("pk")):
        by_source[source_labels[row["source"]]] += row["n"]
    for row in referrals.order_by().values("reasons").annotate(n=Count("pk")):
        for reason in row["reasons"]:
            if reason in reason_labels:
                by_reason[reason_labels[reason]] += row["n"]
    triage_days = [d.total_seconds() / 86400 for d in referrals.filter(
        decided_at__isnull=False).annotate(
        waited=ExpressionWrapper(F("decided_at") - F("received_at"),
                                 output_field=DurationField())).values_list("waited", flat=True)]
    accept = referrals.filter(decision=Referral.Decision.ACCEPT)
    first_contact_days = []
    for engaged_on, received_at in accept.filter(case__first_engaged_on__isnull=False).values_list(
            "case__first_engaged_on", "received_at"):
        days = (engaged_on - received_at.date()).days
        if days >= 0:
            first_contact_days.append(days)

    accepted = period_cases.filter(pk__in=accept.values("case_id"))
    accepted_count = accepted.count()
    engaged = accepted.filter(first_engaged_on__isnull=False).count()

    contacts = Contact.objects.filter(case_id__in=in_period)
    if date_from:
        contacts = contacts.filter(happened_on__gte=date_from)
    if date_to:
        contacts = contacts.filter(happened_on__lte=date_to)
    out_of_hours = contacts.filter(out_of_hours=True).count()

    closures = (Closure.objects.filter(case_id__in=in_period, approved_at__isnull=False)
                .values("reason").annotate(n=Count("pk")).order_by())
    by_closure = {label: 0 for _value, label in Closure.Reason.choices}
    for row in closures:
        by_closure[Closure.Reason(row["reason"]).label] += row["n"]

    rereferred = (Referral.objects.filter(case_id__in=in_period).values("case_id")
                  .annotate(n=Count("pk")).filter(n__gt=1).count())

    open_cases = period_cases.filter(status__in=(Case.Status.OPEN, Case.Status.CLOSURE_REQUESTED))
    caseload = {row["practitioner_id"]: row["n"] for row in open_cases.order_by()
                .values("practitioner_id").annotate(n=Count("pk"))}

    areas = [a.name for a in star.active_instrument().areas.all()]
    changes = []
    by_case = {}
    if with_star:  # every approved reading of the period's cases in one query, by case
        for r in (StarReading.objects.filter(case_id__in=in_period, approved_at__isnull=False)
                  .prefetch_related("scores__area").order_by("case_id", "taken_on", "pk")):
            by_case.setdefault(r.case_id, []).append(r)
    for readings in by_case.values():
        # Change is measured on one star: the one the latest reading was made with.
        readings = [r for r in readings if r.instrument_id == readings[-1].instrument_id]
        for r in readings:
            for s in r.scores.all():
                if s.area.name not in areas:
                    areas.append(s.area.name)
        if len(readings) >= 2:
            first = {s.area.name: s.score for s in readings[0].scores.all()}
            latest = {s.area.name: s.score for s in readings[-1].scores.all()}
            changes.append(star.change_per_area(first, latest))
    return {
        "referrals": total_referrals,
        "young_people": period_cases.values("young_person_id").distinct().count(),
        "by_source": by_source,
        "by_reason": by_reason,
        "median_days_to_triage": round(median(triage_days), 1) if triage_days else None,
        "triaged": len(triage_days),
        "median_days_to_first_contact": median(first_contact_days) if first_contact_days
        else None,
        "first_contacts": len(first_contact_days),
        "engagement": {ENGAGED: engaged, NOT_YET_ENGAGED: accepted_count - engaged},
        "engagement_rate": round(100 * engaged / accepted_count) if accepted_count else None,
        "open_cases": sum(caseload.values()),
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
    _hide_derived(report, shared, threshold)
    if report["star_people"] < threshold:
        shared["star_change"] = {a: MARK for a in report["star_change"]}
        if report["star_people"]:
            shared["star_people"] = MARK
    # Totals of series stay consistent with what is shown: the grand totals above are
    # hidden when small, and suppress_series protects the parts from differencing.
    shared["sharing"] = True
    return shared


def _hide_derived(figures: dict, out: dict, threshold: int) -> None:
    """Rates, medians and averages worked out from fewer than `threshold` records would give
    the records away: hide them in `out`, the shared copy of `figures`."""
    if figures["engagement"] and sum(figures["engagement"].values()) < threshold:
        out["engagement_rate"] = MARK
    for name, n in (("median_days_to_triage", "triaged"),
                    ("median_days_to_first_contact", "first_contacts")):
        if figures[n] < threshold:
            out[name] = MARK
    if 0 < figures["practitioners_with_cases"] < threshold:
        out["average_caseload"] = MARK


def to_csv(report: dict, split: dict | None = None) -> str:
    """The figures as rows; with a split, each row also says its period and area ("All" for
    the whole report)."""
    with translation.override("en-gb"):  # the same file whichever language asks for it
        return _csv(report, split)


def _csv(report, split):
    out = io.StringIO()
    writer = spreadsheet.writer(out)
    where = ["All", "All"] if split else []
    writer.writerow(["measure", "category"] + (["period", "area"] if split else []) + ["value"])
    for name, value in report.items():
        if name == "sharing":
            continue
        if isinstance(value, dict):
            for category, v in value.items():
                writer.writerow([name, category, *where, "" if v is None else v])
        else:
            writer.writerow([name, "", *where, "" if value is None else value])
    if split:
        writer.writerows(split_csv_rows(split))
    return out.getvalue()


# Splitting the report by period and by home area ---------------------------------------------

MAX_ROWS = 120  # beyond this the table is unreadable: ask for a coarser split
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
# The figures shown per row, in order: (key, label). Labels and titles are for pages, which
# translate them; the CSV uses the keys.
SPLIT_MEASURES = [
    ("referrals", gettext_noop("Referrals")),
    ("young_people", gettext_noop("Young people referred")),
    ("median_days_to_triage", gettext_noop("Median days to triage")),
    ("median_days_to_first_contact", gettext_noop("Median days to first contact")),
    ("engagement_rate", gettext_noop("Engagement rate (%)")),
    ("open_cases", gettext_noop("Open cases")),
    ("average_caseload", gettext_noop("Average caseload")),
    ("contacts", gettext_noop("Contacts")),
    ("out_of_hours_contacts", gettext_noop("Out-of-hours contacts")),
    ("rereferrals", gettext_noop("Re-referrals")),
]
SERIES_TITLES = {
    "by_source": gettext_noop("Referrals by source"),
    "by_reason": gettext_noop("Referrals by reason (a referral can give several)"),
    "engagement": gettext_noop("Engagement of accepted referrals"),
    "by_closure": gettext_noop("Closures by reason"),
}
# Written into the CSV as they are (English); pages show them translated (shown()).
NOT_KNOWN = gettext_noop("Not known at this level")
WHOLE_PERIOD = gettext_noop("Whole period")
STAR_SPLIT_TITLE = gettext_noop("Average change per star area, first to latest approved "
                                "reading, for young people with an approved reading in the "
                                "period")


def shown(label: str) -> str:
    """A period, area or category label the report keeps in English, in the reader's
    language: the fixed ones are translated, a month or quarter's month names too, and
    names (areas, sources) stay as they are."""
    if label in (NOT_KNOWN, ENGAGED, NOT_YET_ENGAGED, WHOLE_PERIOD):
        return gettext(label)
    words = label.split(" ")
    if (len(words) == 2 or (len(words) == 4 and words[1] == "to")) and words[-1].isdigit() \
            and all(w in MONTHS for w in words[:-1:2]):
        months = [_month_abbr(w) for w in words[:-1:2]]
        if len(months) == 1:
            return f"{months[0]} {words[-1]}"
        return gettext("%(first)s to %(last)s %(year)s") % {
            "first": months[0], "last": months[1], "year": words[-1]}
    return label


def _month_abbr(english: str) -> str:
    return date_format(date(2000, MONTHS.index(english) + 1, 1), "M")


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    label: str


def _next_start(day: date, months: int) -> date:
    m = day.month - 1 + months
    return date(day.year + m // 12, m % 12 + 1, 1)


def periods(kind: str, start: date, end: date) -> list[Period]:
    """Calendar months, quarters or years from `start` to `end`, the first and last cut to
    them, so every day of the range is in exactly one period."""
    step = {"month": 1, "quarter": 3, "year": 12}[kind]
    if start > end:
        return []
    if kind == "month":
        first = date(start.year, start.month, 1)
    elif kind == "quarter":
        first = date(start.year, 3 * ((start.month - 1) // 3) + 1, 1)
    else:
        first = date(start.year, 1, 1)
    out, current = [], first
    while current <= end:
        following = _next_start(current, step)
        last = following - timedelta(days=1)
        if kind == "month":
            label = f"{MONTHS[current.month - 1]} {current.year}"
        elif kind == "quarter":
            label = f"{MONTHS[current.month - 1]} to {MONTHS[last.month - 1]} {current.year}"
        else:
            label = str(current.year)
        out.append(Period(max(current, start), min(last, end), label))
        current = following
    return out


def _area_buckets(cases, level):
    """(label, cases) for each ward or local authority the young people live in, and one for
    those whose home area is not recorded or not placed at that level."""
    field = f"young_person__home_area__{level}"
    areas = Area.objects.filter(pk__in=cases.values(field)).order_by("name", "code")
    buckets = [(str(a), cases.filter(**{field: a})) for a in areas]
    unknown = cases.filter(**{f"{field}__isnull": True})
    if unknown.exists():
        buckets.append((NOT_KNOWN, unknown))
    return buckets


def _approved_readings(cases):
    """Every approved reading of `cases` as {case id: [(taken_on, instrument id, {area name:
    score})]}, oldest first, and the star areas met (the active star's first), in a few
    queries however many cases and periods there are."""
    by_case, areas = {}, [a.name for a in star.active_instrument().areas.all()]
    readings = (StarReading.objects.filter(case__in=cases.values("pk"), approved_at__isnull=False)
                .order_by("case_id", "taken_on", "pk").prefetch_related("scores__area"))
    for r in readings:
        scores = {s.area.name: s.score for s in r.scores.all()}
        areas.extend(a for a in scores if a not in areas)
        by_case.setdefault(r.case_id, []).append((r.taken_on, r.instrument_id, scores))
    return by_case, areas


def star_change_in(readings_by_case, case_ids, span, areas) -> tuple[int, dict]:
    """(young people, average change per area) for one split row.

    Counted: each case in `case_ids` with an approved reading taken in the span. Its change
    runs from its first approved reading to its latest one taken by the span's end, on the
    star that latest reading used (as for the whole report); a case with only one reading on
    that star by then has no change yet and is not counted.
    """
    changes = []
    for case_id in case_ids:
        upto = [r for r in readings_by_case.get(case_id, ()) if r[0] <= span.end]
        if not upto or upto[-1][0] < span.start:
            continue  # no reading in the period: the latest by its end is before it
        same_star = [r for r in upto if r[1] == upto[-1][1]]
        if len(same_star) >= 2:
            changes.append(star.change_per_area(same_star[0][2], same_star[-1][2]))
    return len(changes), star.mean_change(changes, areas)


def split_report(cases, *, period=None, area_level=None, area=None, date_from=None,
                 date_to=None) -> dict | None:
    """The report's figures for each period (and each home area): one row per cell.

    Periods run over the dates asked for; without dates, from the first referral to the
    latest referral or approved star reading, so recent progress has a period. Each row also
    has the star change of `star_change_in`. Raises ValidationError when there would be more
    than MAX_ROWS rows.
    """
    if not period and not area_level:
        return None
    cases = _in_area(cases, area)
    received = Referral.objects.filter(case__in=cases.values("pk")).aggregate(
        first=Min("received_at"), last=Max("received_at"))
    if received["first"] is None:
        return {"period": period, "area_level": area_level, "rows": [], "star_areas": []}
    readings, star_areas = _approved_readings(cases)
    start = date_from or timezone.localdate(received["first"])
    end = date_to or max([timezone.localdate(received["last"])]
                         + [r[0] for rs in readings.values() for r in rs])
    spans = periods(period, start, end) if period else [Period(start, end, WHOLE_PERIOD)]
    buckets = _area_buckets(cases, area_level) if area_level else [("", cases)]
    if len(spans) * len(buckets) > MAX_ROWS:
        raise ValidationError({"split": gettext(
            "That would make %(rows)s rows; the most is %(most)s. Choose a shorter date range "
            "or a longer period") % {"rows": len(spans) * len(buckets), "most": MAX_ROWS}})
    bucket_ids = [set(subset.values_list("pk", flat=True)) for _label, subset in buckets]
    rows = []
    for span in spans:
        for (label, subset), ids in zip(buckets, bucket_ids, strict=True):
            figures = service_report(subset, date_from=span.start, date_to=span.end,
                                     with_star=False)
            figures["star_people"], figures["star_change"] = star_change_in(
                readings, ids, span, star_areas)
            rows.append({"period": span.label, "start": span.start, "end": span.end,
                         "area": label, "figures": figures})
    return {"period": period, "area_level": area_level, "rows": rows, "star_areas": star_areas}


def split_for_sharing(split: dict, threshold=THRESHOLD) -> tuple[dict, set]:
    """The split with small counts hidden cell by cell, and the summary figures that must be
    hidden too so that no hidden cell can be worked out from the totals.

    Each series is suppressed as a table (rows are the cells, columns its categories) with
    row totals and column totals treated as published: a column total is the summary's
    figure, so any total the table hides is returned in `also_hide` as (name, category).
    """
    rows = split["rows"]
    shared = [{**row, "figures": dict(row["figures"])} for row in rows]
    also_hide = set()
    if not rows:
        return {**split, "rows": shared, "sharing": True}, also_hide
    for name in SERIES:
        categories = list(rows[0]["figures"][name])
        table = suppress([[row["figures"][name][c] for c in categories] for row in rows],
                         threshold=threshold)
        for i, out in enumerate(shared):
            out["figures"][name] = {c: table.cells[i][j].shown
                                    for j, c in enumerate(categories)}
            if name == "by_source":
                # The referrals in a row are its sources' total: hide them together.
                out["figures"]["referrals"] = table.row_totals[i].shown
            if name == "engagement" and (
                    table.row_totals[i].suppressed
                    or any(table.cells[i][j].suppressed for j in range(len(categories)))):
                out["figures"]["engagement_rate"] = MARK
        for j, c in enumerate(categories):
            if table.column_totals[j].suppressed:
                also_hide.add((name, c))
        if name == "by_source" and table.grand_total.suppressed:
            also_hide.add(("referrals", None))
    for name in ("young_people", "contacts", "out_of_hours_contacts", "rereferrals",
                 "open_cases", "practitioners_with_cases"):
        published, total = suppress_series({i: row["figures"][name]
                                            for i, row in enumerate(rows)}, threshold=threshold)
        for i, out in enumerate(shared):
            out["figures"][name] = published[i].shown
        if total.suppressed:
            also_hide.add((name, None))
    for i, row in enumerate(rows):
        _hide_derived(row["figures"], shared[i]["figures"], threshold)
    # Star change: as for the whole report, no average over fewer than `threshold` young
    # people. Within a period each young person is in one area, so the areas' counts add up
    # to the period's, which can be the whole report's: they are suppressed as a series, so
    # one hidden row cannot be worked out from the others. Across periods they add up to
    # nothing (one young person can be in several), so periods need no more than that.
    by_period = {}
    for i, row in enumerate(rows):
        by_period.setdefault(row["period"], {})[i] = row["figures"]["star_people"]
    for counts in by_period.values():
        published, _total = suppress_series(counts, threshold=threshold)
        for i, shown in published.items():
            if shown.suppressed or counts[i] < threshold:
                out = shared[i]["figures"]
                out["star_change"] = {a: MARK for a in out["star_change"]}
                if counts[i]:
                    out["star_people"] = MARK
    return {**split, "rows": shared, "sharing": True}, also_hide


def hide_in_summary(shared_report: dict, also_hide: set) -> dict:
    out = {k: dict(v) if isinstance(v, dict) else v for k, v in shared_report.items()}
    for name, category in also_hide:
        if category is None:
            out[name] = MARK
        else:
            out[name][category] = MARK
    return out


def split_csv_rows(split: dict):
    """(measure, category, period, area, value) for every figure of every row."""
    for row in split["rows"]:
        where = (row["period"], row["area"])
        for name, _label in SPLIT_MEASURES:
            value = row["figures"][name]
            yield (name, "", *where, "" if value is None else value)
        for name in SERIES:
            for category, value in row["figures"][name].items():
                yield (name, category, *where, value)
        yield ("star_people", "", *where, row["figures"]["star_people"])
        for category, value in row["figures"]["star_change"].items():
            yield ("star_change", category, *where, "" if value is None else value)
