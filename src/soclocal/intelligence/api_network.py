"""The network and intelligence requirements over the API, with the pages' access rules."""

from datetime import date, datetime

from ninja import Router, Schema, Status
from ninja.errors import HttpError

from soclocal.core import audit, networks
from soclocal.core.access import demand

from . import selectors, services
from .api import SubmissionIn, SubmissionOut, _one, _write
from .network_views import BETWEENNESS_SAMPLE, NetworkForm

router = Router(tags=["intelligence"])


class NodeOut(Schema):
    id: int
    reference: str
    kind: str
    label: str
    degree: int
    degree_centrality: float
    betweenness: float


class EdgeOut(Schema):
    id: int
    source: str
    target: str
    kind: str
    start: date | None
    end: date | None
    grading: str | None


class NetworkOut(Schema):
    nodes: list[NodeOut]
    edges: list[EdgeOut]
    suspected_groups: list[list[str]]


@router.get("/intelligence/network", response=NetworkOut,
            summary="The network you may see: entities with centrality, links, suspected groups. "
                    "Filter with around, steps, kinds, source_grade, intelligence_grade, on "
                    "(as on the network page); the read is audited")
def network(request):
    demand(request, "intel.entities")
    form = NetworkForm(request.GET or None, user=request.user)
    if form.is_bound and not form.is_valid():
        raise HttpError(422, "; ".join(f"{f}: {' '.join(m)}" for f, m in form.errors.items()))
    net = selectors.network(request.user, **form.filters())
    measures = networks.centrality(net.graph, sample=BETWEENNESS_SAMPLE)
    audit.record("intelligence.network.viewed", actor=request.user, purpose="API",
                 detail={"entities": sorted(net.entities), "links": sorted(net.links),
                         "filters": request.GET.urlencode()})
    return {
        "nodes": [{"id": e.pk, "reference": e.reference, "kind": e.kind, "label": e.label,
                   **measures[pk]} for pk, e in net.entities.items()],
        "edges": [{"id": k.pk, "source": k.from_entity.reference,
                   "target": k.to_entity.reference, "kind": k.kind, "start": k.start,
                   "end": k.end, "grading": k.grading} for k in net.links.values()],
        "suspected_groups": [[net.entities[pk].reference for pk in g]
                             for g in networks.suspected_groups(net.graph)],
    }


class RequirementOut(Schema):
    id: int
    reference: str
    question: str
    area: str | None
    priority: str
    asked_by: str
    tasked_agency: str
    due_on: date
    status: str
    overdue: bool
    set_at: datetime


def _requirement(r):
    return {"id": r.pk, "reference": r.reference, "question": r.question,
            "area": r.area.code if r.area else None, "priority": r.priority,
            "asked_by": r.owning_agency.name, "tasked_agency": r.tasked_agency.name,
            "due_on": r.due_on, "status": r.status, "overdue": r.overdue, "set_at": r.set_at}


@router.get("/intelligence/requirements", response=list[RequirementOut],
            summary="Intelligence requirements your force set or your agency is asked to answer")
def list_requirements(request):
    demand(request, "intel.tasked")
    return [_requirement(r) for r in selectors.requirements_for(request.user)[:500]]


@router.get("/intelligence/requirements/{requirement_id}/answers",
            response=list[SubmissionOut],
            summary="The answers to a requirement that you may open")
def list_answers(request, requirement_id: int):
    demand(request, "intel.tasked")
    found = _one(selectors.get_requirement, request.user, requirement_id)
    return list(selectors.answers_to(request.user, found))


@router.post("/intelligence/requirements/{requirement_id}/answers",
             response={201: SubmissionOut},
             summary="Answer a requirement asked of your agency (it arrives as a submission)")
def answer(request, requirement_id: int, payload: SubmissionIn):
    demand(request, "intel.tasked")
    found = _one(selectors.get_requirement, request.user, requirement_id)
    if not selectors.requirements_tasked(request.user).filter(pk=found.pk).exists():
        raise HttpError(404, "Not found.")
    return Status(201, _write(services.answer_requirement, request.user, found,
                              **payload.dict()))
