"""The vulnerability index over the API: each area's index and each indicator's contribution.

Analysts and partnership admins get every figure (so the index can be checked against the
uploaded figures); everyone else, and anyone asking with share=true, gets small counts hidden.
"""

from datetime import date

from ninja import Query, Router, Schema
from ninja.errors import HttpError

from soclocal.core import audit
from soclocal.core.access import demand

from . import selectors
from .forms import MACE_PURPOSES
from .index import LEVELS

router = Router(tags=["safeguarding"])


class IndicatorOut(Schema):
    code: str
    name: str
    kind: str
    owner_agency: str | None
    source: str
    detail: str
    counts: str
    suppression_threshold: int
    weight: float


class ContributionOut(Schema):
    indicator: str
    count: int | None
    denominator: int | None
    value: float | None
    z: float | None
    weight: float
    contribution: float | None
    suppressed: bool


class AreaIndexOut(Schema):
    code: str
    name: str
    index: float | None
    rank: int | None
    change: float | None
    suppressed: bool
    contributions: list[ContributionOut]


class IndexOut(Schema):
    level: str
    period: str | None
    previous_period: str | None
    shared: bool
    formula: str
    areas: list[AreaIndexOut]


FORMULA = ("value = count / denominator x 1000, else count / population x 1000, else count "
           "(a deprivation indicator's value is the loaded score; the system's own counts, of "
           "crimes, open cases and intelligence reports, have no denominator); "
           "z = (value - mean) / population standard deviation across the level's areas with "
           "a value in the period (0 when all are equal); contribution = weight x z; "
           "index = sum of contributions / sum of |weight| over the indicators the area has")


def _out(i):
    return {"code": i.code, "name": i.name, "kind": i.kind,
            "owner_agency": i.owner_agency.name if i.owner_agency else None,
            "source": i.source, "detail": i.detail, "counts": i.counts,
            "suppression_threshold": i.suppression_threshold, "weight": i.weight}


@router.get("/safeguarding/indicators", response=list[IndicatorOut],
            summary="The vulnerability indicators and their weights")
def indicator_list(request):
    demand(request, "safeguarding.view")
    return [_out(i) for i in selectors.indicators()]


@router.get("/safeguarding/index", response=IndexOut,
            summary="The vulnerability index of every area, with each indicator's contribution")
def vulnerability_index(request,
                        level: str = Query("small", pattern="^(" + "|".join(LEVELS) + ")$"),
                        period: str = "", share: bool = False):
    demand(request, "safeguarding.view")
    if level not in LEVELS:
        raise HttpError(422, f"Unknown level '{level}'. Known levels: {', '.join(LEVELS)}.")
    periods = selectors.periods()
    if period and period not in periods:
        raise HttpError(404, f"There are no figures for period '{period}'.")
    period = period or (periods[-1] if periods else None)
    shared = share or not selectors.sees_full_figures(request.user)
    if period is None:
        return {"level": level, "period": None, "previous_period": None, "shared": shared,
                "formula": FORMULA, "areas": []}
    result = selectors.vulnerability_index(level, period, shared=shared)
    weights = {i.code: i.weight for i in result["indicators"]}
    return {
        "level": level, "period": period, "previous_period": result["previous_period"],
        "shared": shared, "formula": FORMULA,
        "areas": [{"code": r.code, "name": r.name, "index": r.index, "rank": r.rank
                   if r.index is not None else None, "change": r.change,
                   "suppressed": r.suppressed,
                   "contributions": [{"indicator": code, "count": c.count,
                                      "denominator": c.denominator, "value": c.value, "z": c.z,
                                      "weight": weights[code], "contribution": c.contribution,
                                      "suppressed": c.suppressed}
                                     for code, c in r.cells.items()]}
                  for r in result["rows"]],
    }


class GapOut(Schema):
    code: str
    name: str
    index: float | None
    rank: int | None
    cases: int | None
    cases_suppressed: bool
    events: int
    population: int | None
    services_per_1000: float | None
    high: bool
    gap: bool


class GapsOut(Schema):
    level: str
    period: str | None
    shared: bool
    median_services_per_1000: float | None
    areas: list[GapOut]


@router.get("/safeguarding/gaps", response=GapsOut,
            summary="Areas where vulnerability is high and services (cases, events) are few")
def service_gaps(request, level: str = "small", period: str = "", share: bool = False):
    demand(request, "safeguarding.view")
    if level not in LEVELS:
        raise HttpError(422, f"Unknown level '{level}'. Known levels: {', '.join(LEVELS)}.")
    periods = selectors.periods()
    if period and period not in periods:
        raise HttpError(404, f"There are no figures for period '{period}'.")
    period = period or (periods[-1] if periods else None)
    shared = share or not selectors.sees_full_figures(request.user)
    if period is None:
        return {"level": level, "period": None, "shared": shared,
                "median_services_per_1000": None, "areas": []}
    result = selectors.service_gaps(level, period, shared=shared)
    return {"level": level, "period": period, "shared": shared,
            "median_services_per_1000": result["median_services_per_1000"],
            "areas": result["rows"]}


# MACE panels and peer-group maps: only what the asker is part of (decision 0040); every
# record returned is a read, audited with the purpose given.

class HearingOut(Schema):
    id: int
    case_reference: str
    risk_tier: str
    outcome: str
    review_due: date | None
    review_of: int | None


class PanelOut(Schema):
    id: int
    held_on: date
    location: str
    police_chair: str
    local_authority_chair: str
    hearings: list[HearingOut]


class MapNodeOut(Schema):
    id: int
    kind: str
    label: str
    case_id: int | None
    risk: str


class MapLinkOut(Schema):
    id: int
    source: int
    target: int
    kind: str
    reliability: str
    source_of_information: str
    risks: str
    strengths: str
    action: str
    no_action_reason: str


class PeerMapOut(Schema):
    id: int
    title: str
    summary: str
    owning_agency: str
    nodes: list[MapNodeOut]
    links: list[MapLinkOut]


def _purpose(purpose: str) -> str:
    purposes = dict(MACE_PURPOSES)
    if purpose not in purposes:
        raise HttpError(422, f"Unknown purpose '{purpose}'. Known purposes: "
                             f"{', '.join(purposes)}.")
    return purposes[purpose]


@router.get("/safeguarding/panels", response=list[PanelOut],
            summary="The MACE panels you sit on, with each child's risk tier, outcome and review")
def panel_list(request, purpose: str = "panel"):
    demand(request, "mace.view")
    why = _purpose(purpose)
    out = []
    for meeting in selectors.panels(request.user):
        audit.record("mace.panel.viewed", actor=request.user, obj=meeting, purpose=why,
                     detail={"via": "api"})
        out.append({
            "id": meeting.pk, "held_on": meeting.held_on, "location": meeting.location,
            "police_chair": meeting.police_chair.get_full_name(),
            "local_authority_chair": meeting.local_authority_chair.get_full_name(),
            "hearings": [{"id": h.pk, "case_reference": h.referral.case_reference,
                          "risk_tier": h.risk_tier, "outcome": h.outcome,
                          "review_due": h.review_due, "review_of": h.review_of_id}
                         for h in meeting.hearings.select_related("referral")]})
    return out


@router.get("/safeguarding/maps", response=list[PeerMapOut],
            summary="The peer-group maps you work on or whose children's cases you hold")
def map_list(request, purpose: str = "panel"):
    demand(request, "peermap.view")
    why = _purpose(purpose)
    out = []
    for m in selectors.maps(request.user):
        audit.record("peermap.viewed", actor=request.user, obj=m, purpose=why,
                     detail={"via": "api"})
        out.append({
            "id": m.pk, "title": m.title, "summary": m.summary,
            "owning_agency": m.owning_agency.name,
            "nodes": [{"id": n.pk, "kind": n.kind, "label": n.label, "case_id": n.case_id,
                       "risk": n.risk} for n in m.nodes.all()],
            "links": [{"id": k.pk, "source": k.source_id, "target": k.target_id,
                       "kind": k.kind, "reliability": k.reliability,
                       "source_of_information": k.source_of_information, "risks": k.risks,
                       "strengths": k.strengths, "action": k.action,
                       "no_action_reason": k.no_action_reason} for k in m.links.all()]})
    return out
