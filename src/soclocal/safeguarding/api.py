"""The vulnerability index over the API: each area's index and each indicator's contribution.

Analysts and partnership admins get every figure (so the index can be checked against the
uploaded figures); everyone else, and anyone asking with share=true, gets small counts hidden.
"""

from ninja import Query, Router, Schema
from ninja.errors import HttpError

from soclocal.core.access import demand

from . import selectors
from .index import LEVELS

router = Router(tags=["safeguarding"])


class IndicatorOut(Schema):
    code: str
    name: str
    kind: str
    owner_agency: str | None
    source: str
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


FORMULA = ("value = count / denominator x 1000, else count / population x 1000, else count; "
           "z = (value - mean) / population standard deviation across the level's areas with "
           "a value in the period (0 when all are equal); contribution = weight x z; "
           "index = sum of contributions / sum of |weight| over the indicators the area has")


def _out(i):
    return {"code": i.code, "name": i.name, "kind": i.kind,
            "owner_agency": i.owner_agency.name if i.owner_agency else None,
            "source": i.source, "counts": i.counts,
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
