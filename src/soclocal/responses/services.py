"""Every write about response plans: plans, actions, and updates by the owning agency."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from soclocal.core import audit, origins
from soclocal.core.access import Scope, scope_of, service

from . import notices
from .models import FRAMEWORKS, Action, ActionUpdate, AgendaItem, Attendance, Meeting, Plan


@service("responses.plan")
def create_plan(actor, threat, *, title, framework, objectives) -> Plan:
    errors = {}
    if not (title or "").strip():
        errors["title"] = "Give the plan a title."
    if framework not in FRAMEWORKS:
        errors["framework"] = "Choose a framework."
    if not (objectives or "").strip():
        errors["objectives"] = "Say what the plan sets out to achieve."
    if errors:
        raise ValidationError(errors)
    plan = Plan.objects.create(threat=threat, title=title.strip(), framework=framework,
                               objectives=objectives.strip(), created_by=actor)
    origins.link(actor, threat, plan)
    audit.record("plan.created", actor=actor, obj=plan, detail={"threat": threat.pk})
    return plan


@service("responses.plan")
def add_action(actor, plan: Plan, *, strand, title, owning_agency, due_date, owner=None) -> Action:
    errors = {}
    if strand not in dict(plan.strands):
        errors["strand"] = f"Choose one of the {FRAMEWORKS[plan.framework][0]}."
    if not (title or "").strip():
        errors["title"] = "Say what the action is."
    if owning_agency is None:
        errors["owning_agency"] = "Choose the agency that owns the action."
    elif owner is not None and owner.agency_id != owning_agency.pk:
        errors["owner"] = "The person must work for the owning agency."
    if due_date is None:
        errors["due_date"] = "Enter the date the action is due."
    if errors:
        raise ValidationError(errors)
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
        raise ValidationError({"status": _("Choose a status.")})
    if not note.strip():
        raise ValidationError({"note": _("Add a note saying what has happened.")})
    update = ActionUpdate.objects.create(action=action, status=status, note=note.strip(),
                                         by=actor)
    action.status = status
    if outcome.strip():
        action.outcome = outcome.strip()
    action.save(update_fields=["status", "outcome"])
    audit.record("action.updated", actor=actor, obj=action,
                 detail={"status": status, "update": update.pk})
    return update


# Tasking meetings (decision 0034).

@service("meetings.manage")
def schedule_meeting(actor, *, title, starts_at, duration_minutes=120, location="",
                     agencies=(), people=()) -> Meeting:
    import uuid

    if not title.strip():
        raise ValidationError({"title": _("Give the meeting a name.")})
    if not agencies and not people:
        raise ValidationError({"agencies": _("Invite at least one agency or person.")})
    meeting = Meeting.objects.create(title=title.strip(), starts_at=starts_at,
                                     duration_minutes=duration_minutes, location=location.strip(),
                                     created_by=actor, uid=f"{uuid.uuid4()}@soclocal")
    meeting.invited_agencies.set(agencies)
    meeting.invited_people.set(people)
    audit.record("meeting.scheduled", actor=actor, obj=meeting,
                 detail={"agencies": [a.pk for a in agencies], "people": [p.pk for p in people],
                         "starts_at": starts_at.isoformat()})
    notices.meeting_invitation(meeting)
    return meeting


@service("meetings.manage")
def generate_agenda(actor, meeting: Meeting) -> int:
    """Add to the agenda whatever the records say is due and not on it yet; returns how many
    items were added. Items already there (and their minutes) stay as they are."""
    from . import agenda

    have = set(meeting.items.values_list("source_key", flat=True))
    position = max(meeting.items.values_list("position", flat=True), default=0)
    added = 0
    for item in agenda.candidates(meeting, actor):
        if item["source_key"] in have:
            continue
        have.add(item["source_key"])
        position += 1
        AgendaItem.objects.create(meeting=meeting, position=position, **item)
        added += 1
    meeting.agenda_generated_at = timezone.now()
    meeting.save(update_fields=["agenda_generated_at"])
    audit.record("meeting.agenda_generated", actor=actor, obj=meeting, detail={"added": added})
    return added


@service("meetings.manage")
def add_item(actor, meeting: Meeting, *, title, detail="") -> AgendaItem:
    if not isinstance(title, str) or not title.strip():
        raise ValidationError({"title": _("Say what the item is.")})
    if len(title.strip()) > 300:  # refused, never cut short: the rest of the title would be lost
        raise ValidationError({"title": _("Say what the item is in 300 characters or fewer.")})
    if detail is not None and not isinstance(detail, str):
        raise ValidationError({"detail": _("Enter the detail as text.")})
    position = max(meeting.items.values_list("position", flat=True), default=0) + 1
    item = AgendaItem.objects.create(meeting=meeting, position=position,
                                     kind=AgendaItem.Kind.OTHER, title=title.strip(),
                                     detail=(detail or "").strip())
    audit.record("meeting.item_added", actor=actor, obj=meeting, detail={"item": item.pk})
    return item


@service("meetings.manage")
def record_minutes(actor, item: AgendaItem, *, minutes) -> AgendaItem:
    if not isinstance(minutes, str) or not minutes.strip():
        raise ValidationError({"minutes": _("Write what was said and agreed.")})
    item.minutes, item.minuted_by, item.minuted_at = minutes.strip(), actor, timezone.now()
    item.save(update_fields=["minutes", "minuted_by", "minuted_at"])
    audit.record("meeting.minuted", actor=actor, obj=item.meeting, detail={"item": item.pk})
    return item


@service("meetings.manage")
def record_attendance(actor, meeting: Meeting, statuses: dict) -> None:
    """`statuses` maps each person to present, apologies or absent."""
    for person, status in statuses.items():
        if status not in Attendance.Status.values:
            # Keyed to the person's row on the attendance form.
            raise ValidationError({f"p{person.pk}": _(
                "Choose whether %(person)s was present, sent apologies or was absent.")
                % {"person": person.get_full_name()}})
        Attendance.objects.update_or_create(meeting=meeting, person=person,
                                            defaults={"status": status})
    audit.record("meeting.attendance", actor=actor, obj=meeting,
                 detail={str(p.pk): s for p, s in statuses.items()})


@service("meetings.manage")
def decide_in_meeting(actor, meeting: Meeting, threat, **decision):
    """A decision taken in the meeting: recorded as any decision is, and linked to it."""
    from soclocal.priorities import services as priorities
    from soclocal.priorities.models import Threat

    if not isinstance(threat, Threat):  # keyed to the priority box of the meeting's form
        raise ValidationError({"threat": _("Choose the priority the decision is about.")})
    d = priorities.decide(actor, threat, **decision)
    origins.link(actor, meeting, d, target_label=f"{d.get_outcome_display()}: {threat.title}",
                 target_url=threat.get_absolute_url())
    return d


@service("meetings.manage")
def action_in_meeting(actor, meeting: Meeting, plan: Plan, **action) -> Action:
    """A new action agreed in the meeting: added to its plan as any action is, and linked."""
    if not isinstance(plan, Plan):  # keyed to the plan box of the meeting's action form
        raise ValidationError({"plan_choice": _("Choose the plan the action belongs to.")})
    a = add_action(actor, plan, **action)
    origins.link(actor, meeting, a)
    return a
