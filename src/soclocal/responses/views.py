"""Response plan pages: plans, their actions, "Our actions" and progress for the board."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from soclocal.core import audit
from soclocal.core.access import Scope, can, requires, scope_of
from soclocal.core.forms import add_service_errors
from soclocal.priorities import selectors as priorities

from . import selectors, services
from .forms import ActionForm, PlanForm, UpdateForm


@requires("responses.view")
def plan_list(request):
    return render(request, "responses/plans.html", {
        "plans": selectors.plans(request.user),
        "can_plan": can(request.user, "responses.plan")})


@requires("responses.update")
def our_actions(request):
    rows = list(selectors.our_actions(request.user))
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
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.create_plan(request.user, threat, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, "Plan started. Now add its actions.")
            return redirect(plan)
    return render(request, "responses/plan_form.html", {"form": form, "threat": threat})


@requires("responses.view")
def plan(request, pk):
    p = selectors.get_plan(request.user, pk)
    actions = list(p.actions.select_related("owning_agency", "owner"))
    audit.record("plan.viewed", obj=p)
    strands = [{"label": label, "actions": [a for a in actions if a.strand == key]}
               for key, label in p.strands]
    return render(request, "responses/plan.html", {
        "plan": p, "strands": strands, "progress": selectors.progress(actions),
        "can_plan": can(request.user, "responses.plan"),
        "sees_threat": p.threat_id in {int(i) for i in priorities.visible_threat_ids(
            request.user, [p.threat_id])} and priorities.sees_full_list(request.user)})


@requires("responses.plan")
def action_new(request, pk):
    p = selectors.get_plan(request.user, pk)
    form = ActionForm(request.POST or None, plan=p)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_action(request.user, p, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, "Action added.")
            return redirect(p)
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
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        if form.is_valid():
            try:
                services.update_action(request.user, a, **form.cleaned_data)
            except ValidationError as e:
                add_service_errors(form, e)
            else:
                messages.success(request, "Update saved.")
                return redirect(a)
    return render(request, "responses/action.html", {
        "action": a, "form": form if may_update else None,
        "updates": a.updates.select_related("by")})
