"""The board's dashboard: each context's headline figures, read through its own selectors,
with every count from 1 to 4 hidden (core/disclosure.py) and every figure dated. Nothing
personal: only counts, rates and the names of areas, agencies, threats and strands."""

from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from soclocal.areas.models import SMALL_AREA_TYPES, AreaType
from soclocal.cases import report as case_report
from soclocal.cases import selectors as cases_selectors
from soclocal.core import disclosure
from soclocal.engagement import selectors as engagement_selectors
from soclocal.priorities import selectors as priorities_selectors
from soclocal.profiles import selectors as profiles_selectors
from soclocal.profiles.models import ProfileVersion
from soclocal.profiles.report import month_name
from soclocal.responses import selectors as responses_selectors
from soclocal.safeguarding import selectors as safeguarding_selectors

from . import headlines

TOP_PRIORITIES = 5
TOP_AREAS = 5
MONTHS_OF_TREND = 12


def _period(today):
    """The last twelve months, to today: the period the service and engagement figures cover."""
    return today.replace(day=1) - timedelta(days=365) + timedelta(days=1), today


# The partnership's area is the widest area profiled: a force area before a local authority,
# before its neighbourhoods and wards, so a ward profiled last does not stand for the whole.
WIDEST_FIRST = [AreaType.PFA, AreaType.LAD, AreaType.NEIGHBOURHOOD, AreaType.WARD,
                *SMALL_AREA_TYPES]


def profile_headlines(user):
    """Crime and harm in the partnership's area from the latest profile of the widest area
    profiled, sharing version."""
    versions = ProfileVersion.objects.select_related("area").order_by("-built_at", "-pk")
    version = next((v for kind in WIDEST_FIRST
                    for v in versions.filter(area__type=kind)[:1]), None)
    if version is None:
        return None
    doc = profiles_selectors.document(version, sharing=True)
    monthly = (doc.get("trend") or {}).get("monthly") or []
    rising = [r for r in (doc.get("trend") or {}).get("year_on_year") or []
              if r.get("flag") in ("up", "down")]
    return {
        "title": version.title, "area": doc["area"]["name"], "version": version.version,
        "built_at": version.built_at, "pk": version.pk,
        "period": _("%(first)s to %(last)s") % {"first": month_name(version.month_from),
                                                 "last": month_name(version.month_to)},
        "total": doc.get("total"), "rate": doc.get("rate_total"),
        "harm_total": (doc.get("harm") or {}).get("total"),
        "harm_per_1000": (doc.get("harm") or {}).get("per_1000"),
        "monthly": [{"month": month_name(m["month"]), "total": m["total"]}
                    for m in monthly[-MONTHS_OF_TREND:]],
        "changes": [{"crime_type": r["crime_type"], "flag": r["flag"],
                     "current": r["current"], "previous": r["previous"],
                     "change_pct": r.get("change_pct")} for r in rising],
    }


def top_priorities(user):
    rows = priorities_selectors.ranked(user, sharing=True, limit=TOP_PRIORITIES)
    return [{"rank": r["rank"], "title": r["threat"].title,
             "kind": r["threat"].get_kind_display(),
             "area": r["threat"].area.name if r["threat"].area else "",
             "priority": r.get("priority"), "score": r.get("value"),
             "decision": r["decision"].get_outcome_display() if r["decision"] else ""}
            for r in rows]


def _suppressed_table(rows, statuses):
    """A progress table (rows of counts by status) with its totals, small counts hidden."""
    if not rows:
        return {"statuses": statuses, "rows": [], "totals": [], "grand": 0}
    table = disclosure.suppress([r["counts"] for r in rows])
    return {"statuses": statuses,
            "rows": [{"name": r["name"], "counts": [c.shown for c in cells],
                      "total": total.shown}
                     for r, cells, total in zip(rows, table.cells, table.row_totals,
                                                strict=True)],
            "totals": [c.shown for c in table.column_totals],
            "grand": table.grand_total.shown}


def plan_progress(user):
    progress = responses_selectors.progress_of(responses_selectors.board_actions())
    return {"by_strand": _suppressed_table(progress["by_strand"], progress["statuses"]),
            "by_agency": _suppressed_table(progress["by_agency"], progress["statuses"])}


def early_intervention(user, date_from, date_to):
    figures = case_report.service_report(cases_selectors.report_cases(user), date_from=date_from,
                                         date_to=date_to)
    shared = case_report.for_sharing(figures)
    return {k: shared[k] for k in ("referrals", "young_people", "engagement",
                                    "engagement_rate", "open_cases", "contacts",
                                    "out_of_hours_contacts", "by_closure", "rereferrals",
                                    "star_people")} | {
        "star_change": shared["star_change"]}


def engagement(date_from, date_to):
    facts = engagement_selectors.key_facts(date_from=date_from, date_to=date_to)
    return {"measures": list(zip(facts["keys"], facts["measures"], facts["totals"],
                                 strict=True)),
            "asked": facts["asked"], "awarded": facts["awarded"]}


def vulnerability(user):
    periods = safeguarding_selectors.periods()
    out = {"period": periods[-1] if periods else None, "areas": [], "level": ""}
    if periods:
        result = safeguarding_selectors.vulnerability_index("ward", periods[-1], shared=True)
        ranked = sorted((r for r in result["rows"] if r.index is not None),
                        key=lambda r: -r.index)[:TOP_AREAS]
        out.update(level=result["level_label"],
                   areas=[{"name": r.name, "index": round(r.index, 2),
                           "change": round(r.change, 2) if r.change is not None else None}
                          for r in ranked])
    out["nrm_by_type"] = safeguarding_selectors.nrm_counts(user, "type")
    out["nrm_by_age"] = safeguarding_selectors.nrm_counts(user, "age")
    return out


def board(user, today: date | None = None) -> dict:
    """Everything on the board's dashboard, as published: suppressed and dated, and current:
    the figures are counted in the database when asked for, so none is ever stale."""
    today = today or timezone.localdate()
    date_from, date_to = _period(today)
    return {
        "produced_at": timezone.now(), "today": today,
        "date_from": date_from, "date_to": date_to,
        "profile": profile_headlines(user),
        "priorities": top_priorities(user),
        "progress": plan_progress(user),
        "cases": early_intervention(user, date_from, date_to),
        "engagement": engagement(date_from, date_to),
        "vulnerability": vulnerability(user),
        "headlines": headlines.for_user(user),
        "mark": disclosure.MARK, "threshold": disclosure.THRESHOLD,
    }
