"""Reading the indicators, the index and NRM referrals.

Indicator figures are aggregates: every member of staff sees the index, with counts below each
indicator's suppression threshold hidden (and the index of an area with a hidden count, which
would give it away); analysts and partnership admins see every figure. NRM referrals are read
only through `scope` ("nrm.view").
"""

import json
from collections import defaultdict

from django.db.models import Count

from soclocal.areas.models import Area, AreaType, Deprivation
from soclocal.core import disclosure
from soclocal.core.access import can, get_scoped_or_404, scope

from .index import LEVELS, Cell, Row, combine, rate
from .models import (
    Indicator,
    IndicatorValue,
    MaceHearing,
    MaceReferral,
    NrmReferral,
    PanelMeeting,
    PeerGroupMap,
)

DEPRIVATION_ORDER = ["imd2025", "imd2019", "simd2020", "wimd2019"]


def indicators():
    return Indicator.objects.select_related("owner_agency")


def periods() -> list[str]:
    return sorted(IndicatorValue.objects.values_list("period", flat=True).distinct())


def sees_full_figures(user) -> bool:
    return can(user, "safeguarding.analyse")


def _deprivation_scores(area_ids) -> dict:
    scores = {}
    rank = {k: i for i, k in enumerate(DEPRIVATION_ORDER)}
    for d in Deprivation.objects.filter(area_id__in=area_ids, score__isnull=False):
        held = scores.get(d.area_id)
        if held is None or rank.get(d.index, 99) < held[0]:
            scores[d.area_id] = (rank.get(d.index, 99), d.score)
    return {k: v[1] for k, v in scores.items()}


def _rows(level: str, period: str, weights: dict, kinds: dict) -> list[Row]:
    values = list(IndicatorValue.objects.filter(period=period, indicator__code__in=weights)
                  .values("area_id", "indicator__code", "count", "denominator"))
    small = Area.objects.in_bulk({v["area_id"] for v in values})
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
    deprivation = [c for c, k in kinds.items() if k == Indicator.Kind.DEPRIVATION]
    if deprivation and rows:
        scores = _deprivation_scores([a.pk for a in small.values()])
        for area_id, row in rows.items():
            parts = [(scores[a.pk], a.population or 1) for a in members[area_id] if a.pk in scores]
            if parts:
                score = sum(s * p for s, p in parts) / sum(p for _, p in parts)
                for code in deprivation:
                    row.cells[code] = Cell(None, None, score)
    return list(rows.values())


def vulnerability_index(level: str, period: str, *, shared: bool = False) -> dict:
    """The index of every area of `level` with figures in `period`, with each indicator's
    contribution; `shared` hides small counts (and what would reveal them)."""
    if level not in LEVELS:
        raise ValueError(f"unknown level '{level}'")
    used = [i for i in indicators() if i.weight]
    weights = {i.code: i.weight for i in used}
    kinds = {i.code: i.kind for i in used}
    rows = _rows(level, period, weights, kinds)
    combine(rows, weights)
    known = periods()
    previous = known[known.index(period) - 1] if period in known and known.index(period) else None
    if previous:
        before = _rows(level, previous, weights, kinds)
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
        if ind.kind != Indicator.Kind.UPLOADED:
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
    counts = {labels.get(r[field_name], r[field_name] or "Area not recorded"): r["n"]
              for r in rows}
    published, total = disclosure.suppress_series(counts)
    return {"rows": published, "total": total}



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
