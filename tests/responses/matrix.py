"""The response plan pages and endpoints for the access matrix."""

PAGES = {
    "responses:plans": ("responses.view", False),
    "responses:ours": ("responses.update", False),
    "responses:progress": ("responses.progress", False),
    "responses:plan_new": ("responses.plan", False),
    "responses:plan": ("responses.view", False),
    "responses:action_new": ("responses.plan", False),
    "responses:action": ("responses.view", False),
    "responses:meetings": ("meetings.view", False),
    "responses:meeting_new": ("meetings.manage", False),
    "responses:meeting": ("meetings.view", False),
    "responses:meeting_agenda": ("meetings.manage", True),
    "responses:meeting_item_new": ("meetings.manage", True),
    "responses:meeting_item": ("meetings.manage", False),
    "responses:meeting_attendance": ("meetings.manage", False),
    "responses:meeting_decision": ("priorities.decide", False),
    "responses:meeting_action": ("meetings.manage", False),
    "responses:meeting_minutes_pdf": ("meetings.view", False),
    "responses:meeting_ics": ("meetings.view", False),
}

API = {"/api/v1/responses/actions": "responses.view", "/api/v1/responses/plans": "responses.view"}


def context():
    """A plan for a shared threat with one action the youth service owns (the agency every
    matrix user belongs to, so agency-scoped roles reach it)."""
    from datetime import date

    from soclocal.accounts.models import Agency, User
    from soclocal.priorities.models import Threat
    from soclocal.responses.models import Action, Plan

    youth = Agency.objects.get(name="Test Youth Service")
    user = User.objects.first()
    threat = Threat.objects.create(kind=Threat.Kind.PLACE, title="Matrix plan threat",
                                   owning_agency=youth, raised_by=user)
    plan = Plan.objects.create(threat=threat, title="Matrix plan", framework="4ps",
                               objectives="o", created_by=user)
    action = Action.objects.create(plan=plan, strand="prevent", title="Matrix action",
                                   owning_agency=youth, due_date=date(2030, 1, 1))
    # A meeting the youth service (every matrix user's agency) is invited to, with one item.
    from django.utils import timezone

    from soclocal.responses.models import AgendaItem, Meeting

    meeting = Meeting.objects.create(title="Matrix meeting", starts_at=timezone.now(),
                                     created_by=user, uid="matrix@soclocal")
    meeting.invited_agencies.add(youth)
    item = AgendaItem.objects.create(meeting=meeting, position=1, kind="other", title="Item")
    return {"plan_threat": threat.pk, "plan": plan.pk, "action": action.pk,
            "meeting": meeting.pk, "meeting_item": item.pk}


def url_kwargs(name, ctx):
    if name == "responses:plan_new":
        return {"threat": ctx.get("plan_threat", 1)}
    if name in ("responses:plan", "responses:action_new"):
        return {"pk": ctx.get("plan", 1)}
    if name == "responses:action":
        return {"pk": ctx.get("action", 1)}
    if name == "responses:meeting_item":
        return {"pk": ctx.get("meeting", 1), "item": ctx.get("meeting_item", 1)}
    if name.startswith("responses:meeting_") and name != "responses:meeting_new" or \
            name == "responses:meeting":
        return {"pk": ctx.get("meeting", 1)}
    return None


def api_path(template, ctx):
    return template
