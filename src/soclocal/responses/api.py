"""Response plans and their actions over the API, with the same reach as the pages."""

from ninja import Router

from soclocal.core.access import demand

from . import selectors

router = Router(tags=["responses"])


@router.get("/responses/actions", summary="Actions in the plans your agency is part of, with "
            "their current status (overdue worked out from the due date)")
def actions(request, ours: bool = False):
    demand(request, "responses.view")
    qs = selectors.our_actions(request.user) if ours else selectors.actions(request.user)
    return [{"id": a.pk, "plan_id": a.plan_id, "plan": a.plan.title, "strand": a.strand,
             "title": a.title, "owning_agency": a.owning_agency.name,
             "owner": a.owner.get_username() if a.owner else None,
             "due_date": a.due_date.isoformat(), "status": a.current_status(),
             "outcome": a.outcome} for a in qs[:1000]]


@router.get("/responses/plans", summary="Plans your agency is part of, with counts of their "
            "actions by status, by agency and by strand")
def plans(request):
    demand(request, "responses.view")
    out = []
    for plan in selectors.plans(request.user).prefetch_related("actions__owning_agency"):
        progress = selectors.progress(list(plan.actions.all()))
        out.append({"id": plan.pk, "title": plan.title, "framework": plan.framework,
                    "threat_id": plan.threat_id, "objectives": plan.objectives,
                    "statuses": selectors.STATUS_ORDER, "total": progress["total"],
                    "done": progress["done"], "by_agency": progress["by_agency"],
                    "by_strand": progress["by_strand"]})
    return out
