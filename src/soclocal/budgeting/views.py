"""Staff pages for participatory budgeting: set up, moderate, run votes, compute results."""

import tempfile
from pathlib import Path

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from soclocal.core.access import requires
from soclocal.core.flash import call_and_redirect
from soclocal.core.forms import add_service_errors
from soclocal.core.imports import ImportFailed
from soclocal.core.pagination import paginate

from . import selectors, services
from .forms import (
    CodesForm,
    EventForm,
    ImportForm,
    ModerateForm,
    OverrideForm,
    ProcessForm,
    UpdateForm,
)
from .models import Bid, VoterCode


@requires("budgeting.manage")
def processes(request):
    return render(request, "budgeting/process_list.html",
                  {"processes": selectors.processes_for(request.user)})


@requires("budgeting.manage")
def process_new(request):
    from_action = _from_action(request)
    initial = None
    if from_action is not None:
        threat = from_action.plan.threat
        initial = {"name": from_action.title[:200], "area": threat.area_id,
                   "description": f"Started from the response plan “{from_action.plan.title}”."}
    form = ProcessForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            process = services.create_process(request.user, raised_from=from_action,
                                              **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("%(name)s is set up.") % {"name": process.name})
            return redirect("budgeting:process", process.pk)
    return render(request, "budgeting/process_form.html", {"form": form,
                                                           "from_action": from_action})


def _from_action(request):
    """The plan action (a Develop action) a process is started from, if the person reaches it."""
    pk = request.GET.get("from_action", "")
    if not pk.isdigit():
        return None
    from soclocal.responses import selectors as responses

    return responses.get_action(request.user, int(pk))


@requires("budgeting.manage")
def process_edit(request, pk):
    process = selectors.process_for(request.user, pk)
    form = ProcessForm(request.POST or None, instance=process)
    if request.method == "POST" and form.is_valid():
        fields = {k: form.cleaned_data[k] for k in ProcessForm.Meta.fields}
        process.refresh_from_db()
        try:
            services.update_process(request.user, process, **fields)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("budgeting:process", process.pk)
    return render(request, "budgeting/process_form.html", {"form": form, "process": process})


@requires("budgeting.manage")
def process_import(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / Path(upload.name).name
            with open(path, "wb") as f:
                for chunk in upload.chunks():
                    f.write(chunk)
            try:
                process = services.import_pb(path, actor=request.user,
                                             name=form.cleaned_data["name"] or None)
            except ImportFailed as failure:
                problems = failure.errors[:100]
            else:
                messages.success(request, _("Imported %(name)s.") % {"name": process.name})
                return redirect("budgeting:process", process.pk)
    return render(request, "budgeting/import.html", {"form": form, "problems": problems})


@requires("budgeting.manage")
def process_detail(request, pk):
    process = selectors.process_for(request.user, pk)
    status = request.GET.get("status", "")
    status = status if status in Bid.Status.values else ""
    return render(request, "budgeting/process_detail.html", {
        "process": process, "status": status, "statuses": Bid.Status.choices,
        "bids": paginate(request, selectors.bids_to_moderate(process, status)),
        "events": process.events.all(), "event_form": EventForm(),
        "codes_form": CodesForm(process=process),
        "codes_issued": process.voter_codes.count(),
        "codes_used": process.voter_codes.filter(used_at__isnull=False).count(),
        "ballots": process.ballots.count(), "result": selectors.latest_result(process),
        "demo_codes": selectors.demo_voter_codes(process),
    })


@requires("budgeting.manage")
def bid_moderate(request, pk, bid):
    process = selectors.process_for(request.user, pk)
    bid = process.bids.filter(pk=bid).first()
    if bid is None:
        raise Http404
    groups = selectors.groups_to_link(request.user)
    initial = {"community_group": str(bid.community_group_id or ""),
               "decision": {v: k for k, v in services.DECISIONS.items()}.get(bid.status, ""),
               "reason": bid.moderation_reason, "title_cy": bid.title_cy,
               "summary_cy": bid.summary_cy}
    if bid.community_group_id is None:
        suggested = selectors.group_matching(groups, bid.group_name)
        initial["community_group"] = str(suggested.pk) if suggested else ""
    form = ModerateForm(request.POST or None, initial=initial, groups=groups)
    if request.method == "POST" and form.is_valid():
        try:
            bid = services.moderate_bid(request.user, bid, decision=form.cleaned_data["decision"],
                                        reason=form.cleaned_data["reason"],
                                        community_group=form.cleaned_data["community_group"],
                                        title_cy=form.cleaned_data["title_cy"],
                                        summary_cy=form.cleaned_data["summary_cy"])
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("Bid %(reference)s moderated.") % {"reference": bid.reference})
            if (bid.contact_email or bid.contact_phone) and bid.decision_sent_at is None:
                messages.error(request, _("We could not send the bidder the decision. Tell them "
                                        "yourself, or save the decision again later to retry."))
            return redirect("budgeting:process", process.pk)
    return render(request, "budgeting/moderate.html", {"process": process, "bid": bid,
                                                       "form": form})


@requires("budgeting.manage")
@require_POST
def event_new(request, pk):
    process = selectors.process_for(request.user, pk)
    form = EventForm(request.POST)
    if form.is_valid():
        services.add_event(request.user, process, **form.cleaned_data)
        messages.success(request, _("Voting event added."))
    else:
        messages.error(request, _("The event was not added: give it a name and a valid date."))
    return redirect("budgeting:process", process.pk)


@requires("budgeting.manage")
def codes(request, pk):
    """Issue voter codes (POST) or print the unused ones (GET)."""
    process = selectors.process_for(request.user, pk)
    if request.method == "POST":
        form = CodesForm(request.POST, process=process)
        if form.is_valid():
            event = process.events.filter(pk=form.cleaned_data["event"] or None).first()
            made = services.issue_voter_codes(request.user, process, form.cleaned_data["count"],
                                              event=event)
            messages.success(request, _("%(count)s voter codes issued.") % {"count": len(made)})
            return redirect("budgeting:codes", process.pk)
        messages.error(request, _("Give a number of codes between 1 and 5,000."))
        return redirect("budgeting:process", process.pk)
    unused = VoterCode.objects.filter(process=process, used_at__isnull=True).select_related(
        "event").order_by("created_at", "code")
    return render(request, "budgeting/codes.html", {"process": process, "codes": unused})


@requires("budgeting.manage")
def paper_ballot(request, pk):
    from .forms import VoteForm

    process = selectors.process_for(request.user, pk)
    bids = process.bids.filter(status=Bid.Status.ACCEPTED).order_by("pk")
    form = VoteForm(request.POST or None, process=process, bids=bids)
    if request.method == "POST" and form.is_valid():
        try:
            services.enter_paper_ballot(request.user, process, form.cleaned_data["code"],
                                        form.choices())
        except (services.VoteRefused, ValidationError) as e:
            form.add_error("code" if "code" in str(e) else None,
                           e.messages[0] if isinstance(e, ValidationError) else str(e))
        else:
            messages.success(request, _("Paper ballot entered. Enter the next one."))
            return redirect("budgeting:paper_ballot", process.pk)
    return render(request, "budgeting/paper_ballot.html", {"process": process, "form": form})


@requires("budgeting.manage")
def results(request, pk):
    process = selectors.process_for(request.user, pk)
    result = selectors.latest_result(process)
    table = selectors.result_table(result) if result else None
    override_form = OverrideForm(bids=process.bids.filter(status=Bid.Status.ACCEPTED))
    return render(request, "budgeting/results.html", {
        "process": process, "result": result, "table": table, "override_form": override_form,
        "update_form": UpdateForm()})


@requires("budgeting.manage")
@require_POST
def result_compute(request, pk):
    process = selectors.process_for(request.user, pk)
    return call_and_redirect(request, services.compute_result, process,
                             success="Result computed. Check it, then publish it.",
                             to=reverse("budgeting:results", args=[process.pk]))


@requires("budgeting.manage")
@require_POST
def result_publish(request, pk):
    process = selectors.process_for(request.user, pk)
    result = selectors.latest_result(process)
    if result is None:
        raise Http404
    services.publish_result(request.user, result)
    messages.success(request, _("The result is published."))
    return redirect("budgeting:results", process.pk)


@requires("budgeting.manage")
@require_POST
def result_override(request, pk):
    process = selectors.process_for(request.user, pk)
    result = selectors.latest_result(process)
    if result is None:
        raise Http404
    form = OverrideForm(request.POST, bids=process.bids.filter(status=Bid.Status.ACCEPTED))
    if form.is_valid():
        bid = process.bids.get(pk=form.cleaned_data["bid"])
        services.override_result(request.user, result, bid,
                                 funded=form.cleaned_data["funded"] == "yes",
                                 reason=form.cleaned_data["reason"])
        messages.success(request, _("The change and its reason are recorded."))
    else:
        messages.error(request, _("Choose a bid and a change, and give the reason."))
    return redirect("budgeting:results", process.pk)


@requires("budgeting.manage")
@require_POST
def project_update(request, pk, bid):
    process = selectors.process_for(request.user, pk)
    bid = process.bids.filter(pk=bid).first()
    if bid is None:
        raise Http404
    form = UpdateForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_update(request.user, bid, **form.cleaned_data)
        except ValidationError as e:
            messages.error(request, e.messages[0])
        else:
            messages.success(request, _("Update added."))
    else:
        messages.error(request, _("The update was not added: %(problems)s") % {"problems": "; ".join(
            e for errors in form.errors.values() for e in errors)})
    return redirect("budgeting:results", process.pk)


@requires("budgeting.manage")
def export(request, pk):
    process = selectors.process_for(request.user, pk)
    text = services.export_pb(request.user, process)
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{process.slug}.pb"'
    return response

