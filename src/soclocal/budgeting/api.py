"""Participatory budgeting over the API: processes and their results. No personal data:
no contact details, no voter codes, no one's ballot."""

from ninja import Router, Schema
from ninja.errors import HttpError

from soclocal.core.access import demand

from . import selectors

router = Router(tags=["budgeting"])


class ProcessOut(Schema):
    id: int
    name: str
    slug: str
    status: str
    budget: float
    currency: str
    ballot_kind: str
    rule: str
    bids: int
    ballots: int
    residents_who_planned: int


class BidResultOut(Schema):
    reference: str
    title: str
    group_name: str
    community_group: str | None
    cost: float
    support: float
    funded: bool
    reason: str


class ResultOut(Schema):
    process: int
    rule: str
    ballots: int
    published: bool
    funded_total: float
    bids: list[BidResultOut]


@router.get("/budgeting/processes", response=list[ProcessOut],
            summary="Participatory budgeting processes")
def processes(request):
    demand(request, "budgeting.manage")
    return [{"id": p.pk, "name": p.name, "slug": p.slug, "status": p.status,
             "budget": float(p.budget), "currency": p.currency, "ballot_kind": p.ballot_kind,
             "rule": p.rule, "bids": p.bid_count, "ballots": p.ballot_count,
             "residents_who_planned": p.residents_who_planned}
            for p in selectors.processes_for(request.user)]


@router.get("/budgeting/processes/{pk}/result", response=ResultOut,
            summary="The latest result of a process, with the reason for each bid")
def result(request, pk: int):
    demand(request, "budgeting.manage")
    process = selectors.processes_for(request.user).filter(pk=pk).first()
    latest = selectors.latest_result(process) if process else None
    if latest is None:
        raise HttpError(404, "No result has been computed for this process.")
    table = selectors.result_table(latest)
    return {"process": process.pk, "rule": latest.rule, "ballots": latest.ballots,
            "published": latest.published, "funded_total": float(table["total"]),
            "bids": [{"reference": r["bid"].reference, "title": r["bid"].title,
                      "group_name": r["bid"].group_name,
                      "community_group": (r["bid"].community_group.name
                                          if r["bid"].community_group else None),
                      "cost": float(r["bid"].cost), "support": float(r["support"]),
                      "funded": r["funded"], "reason": r["reason"]} for r in table["rows"]]}
