"""Every write about response plans: plans, actions, and updates by the owning agency."""

from django.core.exceptions import PermissionDenied, ValidationError

from soclocal.core import audit, origins
from soclocal.core.access import Scope, scope_of, service

from . import notices
from .models import FRAMEWORKS, Action, ActionUpdate, Plan


@service("responses.plan")
def create_plan(actor, threat, *, title, framework, objectives) -> Plan:
    if framework not in FRAMEWORKS:
        raise ValidationError({"framework": "Choose a framework."})
    plan = Plan.objects.create(threat=threat, title=title.strip(), framework=framework,
                               objectives=objectives.strip(), created_by=actor)
    origins.link(actor, threat, plan)
    audit.record("plan.created", actor=actor, obj=plan, detail={"threat": threat.pk})
    return plan


@service("responses.plan")
def add_action(actor, plan: Plan, *, strand, title, owning_agency, due_date, owner=None) -> Action:
    if strand not in dict(plan.strands):
        raise ValidationError({"strand": f"Choose one of the {FRAMEWORKS[plan.framework][0]}."})
    if owner is not None and owner.agency_id != owning_agency.pk:
        raise ValidationError({"owner": "The person must work for the owning agency."})
    action = Action.objects.create(plan=plan, strand=strand, title=title.strip(),
                                   owning_agency=owning_agency, owner=owner, due_date=due_date)
    audit.record("action.created", actor=actor, obj=action,
                 detail={"plan": plan.pk, "agency": owning_agency.pk, "due": str(due_date)})
    notices.action_assigned(action)
    return action


@service("responses.update")
def update_action(actor, action: Action, *, status, note, outcome="") -> ActionUpdate:
    """The owning agency's staff (or a partnership-wide grant) update an action."""
    if scope_of(actor, "responses.update") < Scope.PARTNERSHIP and \
            action.owning_agency_id != actor.agency_id:
        raise PermissionDenied
    if status not in Action.Status.values:
        raise ValidationError({"status": "Choose a status."})
    if not note.strip():
        raise ValidationError({"note": "Add a note saying what has happened."})
    update = ActionUpdate.objects.create(action=action, status=status, note=note.strip(),
                                         by=actor)
    action.status = status
    if outcome.strip():
        action.outcome = outcome.strip()
    action.save(update_fields=["status", "outcome"])
    audit.record("action.updated", actor=actor, obj=action,
                 detail={"status": status, "update": update.pk})
    return update
