"""Response plan pages: plans, their actions, "Our actions" and progress for the board."""

from datetime import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from soclocal.core import audit
from soclocal.core.access import Scope, can, requires, scope_of
from soclocal.core.flash import call_and_redirect
from soclocal.core.forms import add_service_errors, submitted
from soclocal.core.pagination import paginate
from soclocal.priorities import selectors as priorities
from soclocal.priorities.forms import DecisionForm

from . import ics, selectors, services
from .forms import (
    ActionForm,
    AttendanceForm,
    ItemForm,
    MeetingActionForm,
    MeetingDecisionForm,
    MeetingForm,
    MinutesForm,
    PlanForm,
    UpdateForm,
)
from .minutes import minutes_pdf


@requires("responses.view")
def plan_list(request):
    return render(request, "responses/plans.html", {
        "plans": paginate(request, selectors.plans(request.user).order_by("-created_at", "-pk")),
        "can_plan": can(request.user, "responses.plan")})


@requires("responses.update")
def our_actions(request):
    rows = paginate(request, selectors.our_actions(request.user).order_by("due_date", "pk"))
    return render(request, "responses/ours.html", {"actions": rows})


@requires("responses.progress")
def progress(request):
    return render(request, "responses/progress.html", {
        "plans": selectors.progress_for_board(request.user)})


@requires("responses.plan")
def plan_new(request, threat):
    threat = priorities.get_threat(request.user, threat)
    form = PlanForm(request.POST or None, initial={"title": f"Response to {threat.title}",
                                                   "framework": "4ps"})
    if done := submitted(request, form,
                         lambda: services.create_plan(request.user, threat, **form.cleaned_data),
                         success="Plan started. Now add its actions."):
        return done
    return render(request, "responses/plan_form.html", {"form": form, "threat": threat})


@requires("responses.view")
def plan(request, pk):
    p = selectors.get_plan(request.user, pk)
    audit.record("plan.viewed", obj=p)
    progress = selectors.progress_of(p.actions.all())
    page = paginate(request, selectors.plan_actions(p))
    # A strand shows with the page's actions in it, or as empty when it has none at all.
    held = set(p.actions.values_list("strand", flat=True).distinct())
    strands = [{"label": label, "actions": [a for a in page if a.strand == key]}
               for key, label in p.strands if key not in held
               or any(a.strand == key for a in page)]
    return render(request, "responses/plan.html", {
        "plan": p, "strands": strands, "progress": progress, "page": page,
        "can_plan": can(request.user, "responses.plan"),
        "sees_threat": p.threat_id in {int(i) for i in priorities.visible_threat_ids(
            request.user, [p.threat_id])} and priorities.sees_full_list(request.user)})


@requires("responses.plan")
def action_new(request, pk):
    p = selectors.get_plan(request.user, pk)
    form = ActionForm(request.POST or None, plan=p)
    if done := submitted(request, form,
                         lambda: services.add_action(request.user, p, **form.cleaned_data),
                         success="Action added.", to=p):
        return done
    return render(request, "responses/action_form.html", {"form": form, "plan": p})


@requires("responses.view")
def action(request, pk):
    a = selectors.get_action(request.user, pk)
    may_update = can(request.user, "responses.update") and (
        a.owning_agency_id == request.user.agency_id
        or scope_of(request.user, "responses.update") >= Scope.PARTNERSHIP)
    form = UpdateForm(request.POST or None, initial={"status": a.status})
    if request.method == "POST":
        if not may_update:
            raise PermissionDenied
        if done := submitted(request, form,
                             lambda: services.update_action(request.user, a, **form.cleaned_data),
                             success="Update saved.", to=a):
            return done
    return render(request, "responses/action.html", {
        "action": a, "form": form if may_update else None,
        # A Divert action's owners can refer a young person to early intervention from it.
        "start_referral": a.strand == "divert" and can(request.user, "cases.refer"),
        # A Develop action (community infrastructure) can start a community event.
        "start_event": a.strand == "develop" and can(request.user, "engagement.manage"),
        # ... or a community group, or a participatory budget for the area.
        "start_group": a.strand == "develop" and can(request.user, "groups.manage"),
        "start_budget": a.strand == "develop" and can(request.user, "budgeting.manage"),
        "updates": a.updates.select_related("by")})


# Tasking meetings

@requires("meetings.view")
def meetings(request):
    rows = list(selectors.meetings(request.user))
    now = timezone.now()
    return render(request, "responses/meetings.html", {
        "upcoming": sorted([m for m in rows if m.starts_at >= now], key=lambda m: m.starts_at),
        "past": [m for m in rows if m.starts_at < now],
        "can_manage": can(request.user, "meetings.manage")})


@requires("meetings.manage")
def meeting_new(request):
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        starts_at = timezone.make_aware(datetime.combine(data["date"], data["time"]))
        try:
            m = services.schedule_meeting(
                request.user, title=data["title"], starts_at=starts_at,
                duration_minutes=data["duration_minutes"], location=data["location"],
                agencies=list(data["agencies"]), people=list(data["people"]))
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("Meeting scheduled and invitations sent."))
            return redirect(m)
    return render(request, "responses/meeting_form.html", {"form": form})


@requires("meetings.view")
def meeting(request, pk):
    m = selectors.get_meeting(request.user, pk)
    audit.record("meeting.viewed", obj=m)
    manage = can(request.user, "meetings.manage")
    attendance = list(m.attendance.select_related("person__agency"))
    return render(request, "responses/meeting.html", {
        "meeting": m, "items": selectors.agenda(request.user, m), "attendance": attendance,
        "agencies": m.invited_agencies.order_by("name"), "can_manage": manage,
        "can_decide": manage and can(request.user, "priorities.decide"),
        "item_form": ItemForm() if manage else None,
        **selectors.outcomes(request.user, m)})


@requires("meetings.manage")
def meeting_agenda(request, pk):
    if request.method != "POST":
        return HttpResponse(status=405)
    m = selectors.get_meeting(request.user, pk)
    return call_and_redirect(
        request, services.generate_agenda, m, to=m,
        success=lambda n: f"{n} item{'s' if n != 1 else ''} added to the agenda."
        if n else "The agenda already has everything that is due.")


@requires("meetings.manage")
def meeting_item_new(request, pk):
    if request.method != "POST":
        return HttpResponse(status=405)
    m = selectors.get_meeting(request.user, pk)
    form = ItemForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say what the item is."))
        return redirect(m)
    return call_and_redirect(request, services.add_item, m, **form.cleaned_data, to=m,
                             success="Item added.")


@requires("meetings.manage")
def meeting_item(request, pk, item):
    m = selectors.get_meeting(request.user, pk)
    it = next((i for i in selectors.agenda(request.user, m) if i.pk == item), None)
    if it is None:
        raise Http404
    form = MinutesForm(request.POST or None, initial={"minutes": it.minutes})
    if done := submitted(request, form,
                         lambda: services.record_minutes(request.user, it, **form.cleaned_data),
                         success="Minutes saved.", to=m):
        return done
    return render(request, "responses/meeting_item.html", {"meeting": m, "item": it,
                                                           "form": form})


@requires("meetings.manage")
def meeting_attendance(request, pk):
    m = selectors.get_meeting(request.user, pk)
    people = selectors.invitees(m)
    current = dict(m.attendance.values_list("person_id", "status"))
    form = AttendanceForm(request.POST or None, people=people, current=current)
    if done := submitted(request, form,
                         lambda: services.record_attendance(request.user, m, form.statuses()),
                         success="Attendance saved.", to=m):
        return done
    return render(request, "responses/meeting_attendance.html", {"meeting": m, "form": form})


@requires("priorities.decide")
def meeting_decision(request, pk):
    """Only those who may decide on priorities record a decision, in a meeting or not."""
    m = selectors.get_meeting(request.user, pk)
    choose = MeetingDecisionForm(request.POST or None,
                                 threats=priorities.threats(request.user))
    form = DecisionForm(request.POST or None)
    if done := submitted(request, form, lambda: services.decide_in_meeting(
            request.user, m, choose.cleaned_data["threat"], **form.cleaned_data),
            success="Decision recorded in the minutes.", to=m,
            valid=request.method == "POST" and choose.is_valid()):
        return done
    return render(request, "responses/meeting_decision.html", {"meeting": m, "choose": choose,
                                                               "form": form})


@requires("meetings.manage")
def meeting_action(request, pk):
    m = selectors.get_meeting(request.user, pk)
    if not can(request.user, "responses.plan"):
        raise PermissionDenied
    form = MeetingActionForm(request.POST or None, plans=selectors.plans(request.user))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        plan = data.pop("plan_choice")
        try:
            services.action_in_meeting(request.user, m, plan, **data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("Action added to the plan and the minutes."))
            return redirect(m)
    return render(request, "responses/meeting_action.html", {"meeting": m, "form": form})


@requires("meetings.view")
def meeting_minutes_pdf(request, pk):
    m = selectors.get_meeting(request.user, pk)
    content, name = minutes_pdf(request.user, m)
    audit.record("meeting.minutes_downloaded", obj=m)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@requires("meetings.view")
def meeting_ics(request, pk):
    m = selectors.get_meeting(request.user, pk)
    attendees = [(u.get_full_name(), u.email) for u in m.invited_people.all() if u.email]
    text = ics.invitation(m, url=request.build_absolute_uri(m.get_absolute_url()),
                          organiser_email=m.created_by.email, attendees=attendees)
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8; method=REQUEST")
    response["Content-Disposition"] = f'attachment; filename="meeting-{m.pk}.ics"'
    return response
