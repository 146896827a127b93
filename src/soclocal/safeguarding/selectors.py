"""Reading the indicators, the index and NRM referrals.

Indicator figures are aggregates: every member of staff sees the index, with counts below each
indicator's suppression threshold hidden (and the index of an area with a hidden count, which
would give it away); analysts and partnership admins see every figure. NRM referrals are read
only through `scope` ("nrm.view").
"""

import json
import math
from collections import defaultdict

from django.db.models import Count, Q

from soclocal.areas.models import Area, AreaType, Deprivation
from soclocal.core import audit, disclosure
from soclocal.core.access import agency_kind_allows, can, get_scoped_or_404, scope

from . import system
from .index import LEVELS, Cell, Row, combine, rate
from .models import (
    Indicator,
    IndicatorValue,
    MaceHearing,
    MaceReferral,
    NrmReferral,
    PanelMeeting,
    PeerGroupMap,
    Place,
    PlaceLink,
    Sighting,
    VulnerableAdult,
)

DEPRIVATION_ORDER = ["imd2025", "imd2019", "simd2020", "wimd2019"]


def indicators():
    return Indicator.objects.select_related("owner_agency")


def periods() -> list[str]:
    return sorted(IndicatorValue.objects.values_list("period", flat=True).distinct())


def sees_full_figures(user) -> bool:
    return can(user, "safeguarding.analyse")


def _deprivation_scores(area_ids, domain: str = "") -> dict:
    """{area id: score} from the first loaded index in DEPRIVATION_ORDER; a domain's score
    when `domain` is given."""
    scores = {}
    rank = {k: i for i, k in enumerate(DEPRIVATION_ORDER)}
    for d in Deprivation.objects.filter(area_id__in=area_ids):
        score = (d.domains or {}).get(domain, {}).get("score") if domain else d.score
        if score is None:
            continue
        held = scores.get(d.area_id)
        if held is None or rank.get(d.index, 99) < held[0]:
            scores[d.area_id] = (rank.get(d.index, 99), score)
    return {k: v[1] for k, v in scores.items()}


def _rows(level: str, period: str, used: list) -> list[Row]:
    codes = [i.code for i in used]
    values = list(IndicatorValue.objects.filter(period=period, indicator__code__in=codes)
                  .values("area_id", "indicator__code", "count", "denominator"))
    # The areas in play: every small area with an uploaded figure in the period.
    small = Area.objects.in_bulk(set(IndicatorValue.objects.filter(period=period)
                                     .values_list("area_id", flat=True)))
    for ind in used:
        if ind.kind in (Indicator.Kind.CRIME, Indicator.Kind.CASES,
                        Indicator.Kind.INTELLIGENCE):
            found = system.counts(ind, period, small)
            if found is not None:
                values += [{"area_id": pk, "indicator__code": ind.code, "count": n,
                            "denominator": None} for pk, n in found.items()]
    group = {"small": lambda a: a.pk, "ward": lambda a: a.ward_id, "lad": lambda a: a.lad_id}[level]
    parents = Area.objects.in_bulk({group(a) for a in small.values()} - {None})
    # Sum the small areas' counts first; a denominator only where every part has one.
    sums = defaultdict(lambda: [0, 0, True])
    for v in values:
        key = (group(small[v["area_id"]]), v["indicator__code"])
        if key[0] is None:
            continue
        s = sums[key]
        s[0] += v["count"]
        if v["denominator"] is None:
            s[2] = False
        else:
            s[1] += v["denominator"]
    members = defaultdict(list)
    for a in small.values():
        if group(a) is not None:
            members[group(a)].append(a)
    rows = {}
    for (area_id, code), (count, denominator, all_have) in sums.items():
        area = parents[area_id]
        row = rows.setdefault(area_id, Row(area_id, area.code, area.name))
        population = sum(a.population or 0 for a in members[area_id]) or None
        denominator = denominator if all_have else None
        row.cells[code] = Cell(count, denominator, rate(count, denominator, population))
    scored = [i for i in used if i.kind in (Indicator.Kind.DEPRIVATION,
                                            Indicator.Kind.DEPRIVATION_DOMAIN)]
    for ind in scored if members else []:
        domain = ind.detail.strip().lower() if ind.kind == Indicator.Kind.DEPRIVATION_DOMAIN \
            else ""
        scores = _deprivation_scores([a.pk for a in small.values()], domain)
        for area_id, parts_of in members.items():
            parts = [(scores[a.pk], a.population or 1) for a in parts_of if a.pk in scores]
            if parts:
                score = sum(s * p for s, p in parts) / sum(p for _, p in parts)
                area = parents[area_id]
                row = rows.setdefault(area_id, Row(area_id, area.code, area.name))
                row.cells[ind.code] = Cell(None, None, score)
    return list(rows.values())


def vulnerability_index(level: str, period: str, *, shared: bool = False) -> dict:
    """The index of every area of `level` with figures in `period`, with each indicator's
    contribution; `shared` hides small counts (and what would reveal them)."""
    if level not in LEVELS:
        raise ValueError(f"unknown level '{level}'")
    used = [i for i in indicators() if i.weight]
    weights = {i.code: i.weight for i in used}
    rows = _rows(level, period, used)
    combine(rows, weights)
    known = periods()
    previous = known[known.index(period) - 1] if period in known and known.index(period) else None
    if previous:
        before = _rows(level, previous, used)
        combine(before, weights)
        was = {r.code: r.index for r in before}
        for r in rows:
            r.previous = was.get(r.code)
    if shared:
        _suppress(rows, used)
    return {"level": level, "level_label": LEVELS[level], "period": period,
            "previous_period": previous, "indicators": used, "rows": rows, "shared": shared}


def _suppress(rows, used):
    """Hide counts below each indicator's threshold (and the figures that reveal them: the
    rate, z and contribution, and the area's index and change)."""
    for ind in used:
        if ind.kind not in Indicator.COUNTED:
            continue
        counts = {r.code: r.cells[ind.code].count for r in rows if ind.code in r.cells}
        published, _total = disclosure.suppress_series(counts, threshold=ind.suppression_threshold)
        for r in rows:
            p = published.get(r.code)
            if p is not None and p.suppressed:
                r.cells[ind.code] = Cell(None, None, None, suppressed=True)
                r.suppressed = True
    for r in rows:
        if r.suppressed:
            r.index = r.previous = None
            for c in r.cells.values():
                c.z = c.contribution = None


def index_geojson(result) -> dict:
    """The areas' boundaries with their index and a band from 1 (most vulnerable tenth)."""
    rows = {r.area_id: r for r in result["rows"]}
    ranked = [r for r in result["rows"] if r.rank is not None]
    features = []
    shapes = [(pk, pk, g) for pk, g in Area.objects.filter(pk__in=rows, geometry__isnull=False)
              .exclude(geometry="").values_list("pk", "geometry")]
    drawn = {pk for pk, _, _ in shapes}
    link = {"ward": "ward_id", "lad": "lad_id"}.get(result["level"])
    if link and set(rows) - drawn:
        # No boundary loaded for a ward: draw its LSOAs, each shaded as the ward.
        shapes += list(Area.objects.filter(**{f"{link}__in": set(rows) - drawn},
                                           type=AreaType.LSOA21, geometry__isnull=False)
                       .exclude(geometry="").values_list(link, "pk", "geometry"))
    for area_id, _shape_id, geometry in shapes:
        r = rows[area_id]
        band = (min(10, 1 + (r.rank - 1) * 10 // len(ranked))
                if r.rank is not None and r.index is not None else None)
        features.append({
            "type": "Feature", "id": r.code, "geometry": json.loads(geometry),
            "properties": {"code": r.code, "name": r.name,
                           "index": None if r.index is None else round(r.index, 3),
                           "rank": r.rank if r.index is not None else None, "band": band},
        })
    return {"type": "FeatureCollection", "features": features}


def small_area_types():
    return [AreaType.LSOA21, AreaType.LSOA11, AreaType.DZ11]


# NRM referrals ----------------------------------------------------------------------------

def referrals(user):
    return scope(user, "nrm.view", NrmReferral.objects.select_related(
        "first_responder_agency", "area", "owner"))


def referral(user, pk) -> NrmReferral:
    return get_scoped_or_404(user, "nrm.view", NrmReferral.objects.select_related(
        "first_responder_agency", "area", "owner", "owning_team"), pk=pk)


def overdue_decisions(user, today):
    return referrals(user).filter(reasonable_grounds=NrmReferral.Decision.PENDING,
                                  reasonable_grounds_due__lt=today)


def decisions_due(user):
    return referrals(user).filter(reasonable_grounds=NrmReferral.Decision.PENDING)


def nrm_counts(user, by: str) -> dict:
    """Referrals the user's reach covers, counted by exploitation type, age band or area,
    with small counts hidden (these tables leave the screen in the service report)."""
    field_name = {"type": "exploitation_type", "age": "age_band", "area": "area__ward__name"}[by]
    qs = scope(user, "nrm.report", NrmReferral.objects.all())
    rows = qs.values(field_name).annotate(n=Count("pk")).order_by(field_name)
    labels = {"type": dict(NrmReferral.Exploitation.choices),
              "age": dict(NrmReferral.AgeBand.choices)}.get(by, {})
    # str(): a label is read now, in the reader's language, and keys must be plain strings
    counts = {str(labels.get(r[field_name], r[field_name] or "Area not recorded")): r["n"]
              for r in rows}
    published, total = disclosure.suppress_series(counts)
    return {"rows": published, "total": total}



# Services against vulnerability ------------------------------------------------------------

HIGH_SHARE = 0.2  # "high vulnerability": the most vulnerable fifth of the areas ranked


def service_gaps(level: str, period: str, *, shared: bool = False) -> dict:
    """The areas where vulnerability is high and services are few: for every area with an
    index, the early-intervention cases open and the engagement events held in the period,
    per 1,000 residents. An area is a gap when it is in the most vulnerable fifth and its
    services per 1,000 are below the median of all the areas shown. Case counts below 5 are
    hidden when shared."""
    from soclocal.cases import selectors as cases
    from soclocal.engagement import selectors as engagement

    result = vulnerability_index(level, period, shared=shared)
    start, end, _months = system.period_range(period)
    open_cases = cases.open_cases_by_area(start, end)
    events = engagement.events_by_area(start, end)
    ids = {r.area_id for r in result["rows"]}
    field_name = {"small": "pk", "ward": "ward_id", "lad": "lad_id"}[level]
    small = Area.objects.filter(**{f"{field_name}__in": ids}).values(
        "pk", field_name, "population") if level != "small" else \
        Area.objects.filter(pk__in=ids).values("pk", "population")
    totals = defaultdict(lambda: [0, 0, 0])  # cases, events, population
    for a in small:
        key = a[field_name] if level != "small" else a["pk"]
        t = totals[key]
        t[0] += open_cases.get(a["pk"], 0)
        t[1] += events.get(a["pk"], 0)
        t[2] += a["population"] or 0
    # Events held in a ward or local authority as a whole count for that area.
    for area_id in ids:
        if level != "small" and area_id in events:
            totals[area_id][1] += events[area_id]
    rows = []
    for r in result["rows"]:
        n_cases, n_events, population = totals[r.area_id]
        per_1000 = (n_cases + n_events) / population * 1000 if population else None
        rows.append({"code": r.code, "name": r.name, "index": r.index,
                     "rank": r.rank if r.index is not None else None,
                     "cases": n_cases, "events": n_events, "population": population or None,
                     "services_per_1000": per_1000, "cases_suppressed": False, "gap": False})
    known = sorted(x["services_per_1000"] for x in rows if x["services_per_1000"] is not None)
    median = (known[len(known) // 2] if len(known) % 2 else
              (known[len(known) // 2 - 1] + known[len(known) // 2]) / 2) if known else None
    ranked = sum(1 for x in rows if x["rank"] is not None)
    high = max(1, math.ceil(ranked * HIGH_SHARE)) if ranked else 0
    for x in rows:
        x["high"] = x["rank"] is not None and x["rank"] <= high
        x["gap"] = bool(x["high"] and median is not None and x["services_per_1000"] is not None
                        and x["services_per_1000"] < median)
    if shared:
        published, _ = disclosure.suppress_series({x["code"]: x["cases"] for x in rows})
        for x in rows:
            if published[x["code"]].suppressed:
                x["cases"] = None
                x["services_per_1000"] = None
                x["cases_suppressed"] = True
    rows.sort(key=lambda x: (not x["gap"], x["rank"] is None, x["rank"] or 0))
    return {"level": level, "level_label": LEVELS[level], "period": period, "shared": shared,
            "median_services_per_1000": median, "high_count": high, "rows": rows}


# Places of concern ------------------------------------------------------------------------

def places(user):
    return scope(user, "places.view", Place.objects.select_related("area", "owning_agency")
                 .annotate(sightings_count=Count("sightings", distinct=True),
                           links_count=Count("links", distinct=True)))


def place(user, pk) -> Place:
    return get_scoped_or_404(user, "places.view", Place.objects.select_related(
        "area", "owning_agency", "created_by"), pk=pk)


def place_detail(user, place_obj) -> dict:
    """What was seen at a place, and the cases and reports linked to it that the person may
    reach (the others are not shown)."""
    from soclocal.cases import selectors as cases
    from soclocal.intelligence import selectors as intelligence

    labels = cases.indicator_labels()
    visible_cases = set(cases.cases_for(user).values_list("pk", flat=True)) \
        if can(user, "cases.view") else set()
    visible_reports = set(intelligence.reports_for(user).values_list("pk", flat=True))
    sightings = [{"indicator": labels.get(s.indicator, s.indicator), "seen_on": s.seen_on,
                  "note": s.note, "agency": s.recording_agency.name,
                  "case": s.case if s.case_id in visible_cases else None}
                 for s in place_obj.sightings.select_related("recording_agency",
                                                             "case__young_person")]
    links = place_obj.links.select_related("case__young_person", "report")
    return {
        "sightings": sightings,
        "cases": [lk.case for lk in links if lk.case_id in visible_cases],
        "reports": [lk.report for lk in links if lk.report_id in visible_reports],
        "adults": list(adults(user).filter(home=place_obj)),
    }


def place_counts(user) -> dict:
    """Shared summary: places by kind (not personal; counts of places, not people)."""
    rows = places(user).values("kind").annotate(n=Count("pk"))
    return {str(dict(Place.Kind.choices)[r["kind"]]): r["n"] for r in rows}


# Adults at risk of cuckooing --------------------------------------------------------------

def adults(user):
    """Police and adult social care only (core/access.py AGENCY_KINDS): those the person's
    reach covers, and those their agency is recorded as working with."""
    qs = VulnerableAdult.objects.select_related("home__area", "owning_agency", "owner") \
        .prefetch_related("involvements__agency")
    reached = scope(user, "cuckooing.view", VulnerableAdult.objects.all())
    if not can(user, "cuckooing.view") or not agency_kind_allows(user, "cuckooing.view"):
        return qs.none()
    return qs.filter(Q(pk__in=reached.values("pk"))
                     | Q(involvements__agency_id=user.agency_id)).distinct()


def adult(user, pk, capability="cuckooing.view") -> VulnerableAdult:
    """One adult the person may reach (recording needs `capability` too), or an audited 404."""
    from django.http import Http404

    allowed = can(user, capability) and agency_kind_allows(user, capability)
    found = adults(user).filter(pk=pk).first() if allowed else None
    if found is None:
        audit.record("access.denied", actor=user, object_type="safeguarding.vulnerableadult",
                     object_id=str(pk), detail={"capability": capability, "answer": 404})
        raise Http404
    return found


# Indicators across cases ------------------------------------------------------------------

MISSING = ("missing_out_of_area", "leaving_home")
RECENT_DAYS = 30
SEVERAL = 3


def across_cases(user, *, whose: str = "team", today=None) -> dict:
    """The person's own (or team's) active cases: who has gone missing or been found out of
    area in the last 30 days, who has several indicators, which places recur."""
    from datetime import timedelta

    from django.utils import timezone

    from soclocal.cases import selectors as cases

    today = today or timezone.localdate()
    since = today - timedelta(days=RECENT_DAYS)
    qs = cases.active_cases_for(user, "safeguarding.across_cases", mine=whose == "mine")
    by_case = {c.pk: c for c in qs}
    seen = defaultdict(dict)  # case id -> {indicator: latest date}
    for case_id, pairs in cases.referral_indicators(qs).items():
        for code, when in pairs:
            if when > seen[case_id].get(code, when.min):
                seen[case_id][code] = when
    for s in Sighting.objects.filter(case_id__in=by_case).values("case_id", "indicator",
                                                                 "seen_on"):
        held = seen[s["case_id"]].get(s["indicator"])
        if held is None or s["seen_on"] > held:
            seen[s["case_id"]][s["indicator"]] = s["seen_on"]
    labels = cases.indicator_labels()
    people = []
    for case_id, case in by_case.items():
        indicators = seen.get(case_id, {})
        missing = [indicators[c] for c in MISSING if c in indicators and indicators[c] >= since]
        people.append({
            "case": case, "name": str(case.young_person), "practitioner":
            case.practitioner.get_full_name() if case.practitioner else "Not allocated",
            "indicators": sorted((labels.get(c, c), d) for c, d in indicators.items()),
            "count": len(indicators), "missing_on": max(missing) if missing else None})
    # Places linked to, or with indicators seen for, two or more of these cases.
    place_cases = defaultdict(set)
    for place_id, case_id in Sighting.objects.filter(case_id__in=by_case, place__isnull=False) \
            .values_list("place_id", "case_id"):
        place_cases[place_id].add(case_id)
    for place_id, case_id in PlaceLink.objects.filter(case_id__in=by_case) \
            .values_list("place_id", "case_id"):
        place_cases[place_id].add(case_id)
    recurring = [(p, len(place_cases[p.pk])) for p in
                 Place.objects.filter(pk__in=[k for k, v in place_cases.items() if len(v) > 1])]
    caseload = defaultdict(lambda: {"cases": 0, "several": 0, "missing": 0})
    for p in people:
        row = caseload[p["practitioner"]]
        row["cases"] += 1
        row["several"] += p["count"] >= SEVERAL
        row["missing"] += p["missing_on"] is not None
    audit.record("safeguarding.across_cases.viewed", actor=user,
                 detail={"whose": whose, "cases": sorted(by_case)})
    return {
        "whose": whose, "since": since, "today": today,
        "missing": sorted((p for p in people if p["missing_on"]),
                          key=lambda p: p["missing_on"], reverse=True),
        "several": sorted((p for p in people if p["count"] >= SEVERAL),
                          key=lambda p: -p["count"]),
        "places": sorted(recurring, key=lambda x: (-x[1], x[0].name)),
        "caseload": sorted(caseload.items()), "cases": len(people),
    }


# Peer-group maps and MACE panels: reached by membership (decision 0040) ----------------------

def panels(user):
    return scope(user, "mace.view", PanelMeeting.objects.distinct().select_related(
        "police_chair", "local_authority_chair"))


def panel(user, pk) -> PanelMeeting:
    """A panel meeting, for its co-chairs and members; anyone else gets an audited 404."""
    return get_scoped_or_404(user, "mace.view", PanelMeeting.objects.distinct().select_related(
        "police_chair__agency", "local_authority_chair__agency"), pk=pk)


def hearings(user):
    return scope(user, "mace.view", MaceHearing.objects.distinct().select_related(
        "meeting", "referral", "review_of__meeting"))


def hearing(user, pk) -> MaceHearing:
    """One child's record at a panel: the panel's members and the owner of the child's case."""
    return get_scoped_or_404(user, "mace.view", MaceHearing.objects.distinct().select_related(
        "meeting__police_chair", "meeting__local_authority_chair", "referral__referred_by",
        "referral__referring_agency", "review_of__meeting"), pk=pk)


def my_referrals(user):
    return scope(user, "mace.view", MaceReferral.objects.distinct())


def waiting_referrals(user):
    """Referrals waiting for a panel, for those who set panels' agendas (reference, agency and
    date only are shown before a child is listed)."""
    if not can(user, "mace.manage"):
        return MaceReferral.objects.none()
    return MaceReferral.objects.filter(status=MaceReferral.Status.WAITING).select_related(
        "referring_agency")


def reviews_due(user):
    """Children kept at a panel whose review has not yet been heard, as the user may see."""
    return hearings(user).filter(outcome=MaceHearing.Outcome.REVIEW, review_due__isnull=False,
                                 reviews__isnull=True).order_by("review_due", "pk")


def maps(user):
    return scope(user, "peermap.view", PeerGroupMap.objects.distinct().select_related(
        "owning_agency", "created_by"))


def peer_map(user, pk) -> PeerGroupMap:
    """A peer-group map, for its members, the panel it serves and the owners of the cases of
    the children on it; anyone else gets an audited 404."""
    return get_scoped_or_404(user, "peermap.view", PeerGroupMap.objects.distinct()
                             .select_related("owning_agency", "created_by", "panel"), pk=pk)


def map_network(peer_map) -> dict:
    """The map as a network (core/networks.py): its nodes and links, and the Cytoscape.js
    elements the graph component draws."""
    from soclocal.core import networks

    nodes = list(peer_map.nodes.all())
    links = list(peer_map.links.select_related("source", "target"))
    graph = networks.build(
        [{"id": f"n{n.pk}", "kind": n.kind, "label": n.label} for n in nodes],
        [{"id": f"l{k.pk}", "source": f"n{k.source_id}", "target": f"n{k.target_id}",
          "kind": k.get_kind_display().lower(), "grading": k.reliability} for k in links])
    degree = dict(graph.degree())
    for n in nodes:
        n.degree = degree.get(f"n{n.pk}", 0)
    return {"nodes": nodes, "links": links, "elements": networks.to_cytoscape_json(graph)}


def visible_actions(user, ids) -> set[str]:
    """For origins: the MACE actions (by id) whose child's record the user may reach."""
    from .models import MaceAction

    reachable = hearings(user).values("pk")
    return {str(pk) for pk in MaceAction.objects.filter(pk__in=ids, hearing__in=reachable)
            .values_list("pk", flat=True)}
