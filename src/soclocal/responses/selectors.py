"""Reading plans and actions. Partners reach the plans their agency owns an action in, and
every action of those plans; board members only the progress counts."""

from collections import Counter
from datetime import timedelta

from django.db.models import Case, CharField, Count, F, IntegerField, Q, Value, When
from django.utils import timezone

from soclocal.core.access import get_scoped_or_404, scope

from .models import STRAND_LABELS, Action, Plan

STATUS_ORDER = ["not_started", "on_track", "at_risk", Action.OVERDUE, "done", "dropped"]
STATUS_LABELS = {**{s.value: s.label for s in Action.Status}, Action.OVERDUE: "Overdue"}


def plans(user):
    ids = scope(user, "responses.view", Plan.objects.all()).values("pk")
    return Plan.objects.filter(pk__in=ids).select_related("threat", "created_by")


def get_plan(user, pk) -> Plan:
    # distinct: the scope joins the plan's actions, one row per action the agency owns.
    return get_scoped_or_404(user, "responses.view", plans(user).distinct(), pk=pk)


def actions(user):
    return Action.objects.filter(plan__in=plans(user)).select_related(
        "plan", "owning_agency", "owner")


def plan_actions(plan):
    """A plan's actions strand by strand (in the framework's order), then by due date."""
    keys = [key for key, _label in plan.strands]
    order = Case(*[When(strand=key, then=Value(i)) for i, key in enumerate(keys)],
                 output_field=IntegerField())
    return plan.actions.filter(strand__in=keys).select_related("owning_agency", "owner") \
        .order_by(order, "due_date", "pk")


def get_action(user, pk) -> Action:
    """An action of a plan the user reaches (their agency need not own it), else a 404."""
    plan_id = Action.objects.filter(pk=pk).values_list("plan_id", flat=True).first()
    plan = get_plan(user, plan_id or 0)
    return actions(user).get(pk=pk, plan=plan)


def our_actions(user):
    return actions(user).filter(owning_agency_id=user.agency_id)


def actions_due(user, within_days: int = 7):
    soon = timezone.localdate() + timedelta(days=within_days)
    return our_actions(user).exclude(status__in=Action.CLOSED).filter(due_date__lte=soon)


def progress(action_list) -> dict:
    """Counts of actions by status, overall, by agency and by strand."""
    counts = Counter((a.owning_agency.name, a.strand, a.current_status()) for a in action_list)
    return _progress(counts)


def progress_of(actions_, today=None) -> dict:
    """As `progress`, counted in the database: one query however many actions there are."""
    today = today or timezone.localdate()
    current = Case(When(Q(due_date__lt=today) & ~Q(status__in=Action.CLOSED),
                        then=Value(Action.OVERDUE)), default=F("status"),
                   output_field=CharField())
    rows = actions_.order_by().annotate(current=current) \
        .values_list("owning_agency__name", "strand", "current").annotate(n=Count("pk"))
    return _progress(Counter({(agency, strand, status): n for agency, strand, status, n in rows}))


def _progress(counts) -> dict:
    """The progress tables from counts of actions by (agency name, strand, current status)."""
    def table(key):
        groups: dict = {}
        for row, n in counts.items():
            groups.setdefault(key(row), Counter())[row[2]] += n
        return [{"name": name, "counts": [c[s] for s in STATUS_ORDER], "total": sum(c.values()),
                 "done": c["done"]} for name, c in sorted(groups.items())]

    by_agency = table(lambda row: row[0])
    by_strand = table(lambda row: STRAND_LABELS.get(row[1], row[1]))
    return {"statuses": [STATUS_LABELS[s] for s in STATUS_ORDER],
            "by_agency": by_agency, "by_strand": by_strand,
            "tables": [("agency", by_agency), ("strand", by_strand)],
            "total": sum(counts.values()),
            "done": sum(n for row, n in counts.items() if row[2] == "done")}


def progress_for_board(user) -> list[dict]:
    """Every plan's progress, aggregate only, leaving out plans for police-only threats."""
    out = []
    for plan in Plan.objects.filter(threat__police_only=False).prefetch_related(
            "actions__owning_agency"):
        out.append({"plan": plan, **progress(list(plan.actions.all()))})
    return out


# Tasking meetings: invited agencies' staff, invited people and the organiser reach a meeting;
# organisers (analysts, admins) reach every one. Police-only items only reach the police.

def meetings(user):
    from .models import Meeting

    ids = scope(user, "meetings.view", Meeting.objects.all()).values("pk")
    return Meeting.objects.filter(pk__in=ids).select_related("created_by")


def get_meeting(user, pk):
    return get_scoped_or_404(user, "meetings.view", meetings(user).distinct(), pk=pk)


def agenda(user, meeting):
    from soclocal.priorities.selectors import sees_police_only

    items = meeting.items.select_related("minuted_by")
    return list(items if sees_police_only(user) else items.filter(police_only=False))


def invitees(meeting):
    """Invited people, and the staff of invited agencies who may see meetings."""
    from soclocal.core.recipients import agency_staff

    people = {u.pk: u for u in meeting.invited_people.filter(is_active=True)}
    for agency in meeting.invited_agencies.all():
        for u in agency_staff(agency.pk, "meetings.view"):
            people.setdefault(u.pk, u)
    return sorted(people.values(), key=lambda u: (u.last_name, u.first_name, u.pk))


def outcomes(user, meeting) -> dict:
    """The decisions and actions the meeting took (through the origins trail), as this user
    may see them."""
    from soclocal.core import origins
    from soclocal.priorities.models import Decision
    from soclocal.priorities.selectors import visible_threat_ids

    links = list(origins.came_of(meeting))
    ids = {"decision": [], "action": []}
    for o in links:
        if o.target_type.model in ids:
            ids[o.target_type.model].append(int(o.target_id))
    decisions = list(Decision.objects.filter(pk__in=ids["decision"])
                     .select_related("threat", "owner").order_by("decided_at", "pk"))
    visible = visible_threat_ids(user, [d.threat_id for d in decisions])
    acts = list(Action.objects.filter(pk__in=ids["action"])
                .select_related("plan__threat", "owning_agency", "owner").order_by("pk"))
    from soclocal.priorities.selectors import sees_police_only

    police = sees_police_only(user)
    return {"decisions": [d for d in decisions if str(d.threat_id) in visible],
            "actions": [a for a in acts if police or not a.plan.threat.police_only]}


def threats_of_actions(threat_ids) -> dict[int, int]:
    """Action id to threat id, for the actions of every plan for these threats (ids only), for
    the threats' evidence counts."""
    return dict(Action.objects.filter(plan__threat_id__in=threat_ids)
                .values_list("pk", "plan__threat_id"))


def agency_links() -> list[dict]:
    """Plan actions, from the agency of the plan's author to the agency that owns the action,
    for the partnership's map (plans for police-only threats left out)."""
    links = []
    for a in Action.objects.filter(plan__threat__police_only=False).values(
            "pk", "owning_agency_id", "created_at", "plan__created_by__agency_id", "status"):
        lead = a["plan__created_by__agency_id"]
        if lead and lead != a["owning_agency_id"]:
            links.append({"id": f"action-{a['pk']}", "source": lead,
                          "target": a["owning_agency_id"], "kind": "plan action",
                          "start": a["created_at"].date(), "end": None})
    return links


def board_actions():
    """Every action of plans not for police-only threats, for the board's aggregate counts."""
    return Action.objects.filter(plan__threat__police_only=False)
