"""Intelligence pages: thin views over the services and selectors."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from soclocal.core import audit
from soclocal.core.access import can, get_scoped_or_404, requires
from soclocal.core.flash import call_and_redirect
from soclocal.core.forms import add_service_errors

from . import forms, selectors, services, work
from .models import Release


def _form_page(request, form, call, *, template="intelligence/form.html", success, to,
               context=None):
    """Validate, call the service, show its refusal on the form or go on."""
    if request.method == "POST" and form.is_valid():
        try:
            result = call(form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, success)
            return redirect(*to(result))
    return render(request, template, {"form": form, **(context or {})})


@requires("intel.submit")
def home(request):
    return render(request, "intelligence/home.html", {
        **selectors.intelligence_home(request.user),
        "can_assess": can(request.user, "intel.assess"),
        "can_sources": can(request.user, "intel.sources"),
        "work": sorted([*work.intelligence_work(request.user),
                        *work.requirements_work(request.user)],
                       key=lambda i: (not i.urgent, not i.overdue, i.due or date.max)),
    })


@requires("intel.submit")
def submit(request):
    form = forms.SubmissionForm(request.POST or None)
    return _form_page(
        request, form, lambda d: services.submit(request.user, **d),
        template="intelligence/submit.html",
        success="Thank you. Your intelligence has been sent to the police intelligence "
                "officers. If you marked it urgent with someone at risk, it is at the top of "
                "their work and your manager's.",
        to=lambda s: ("intelligence:submission", s.pk))


@requires("intel.submit")
def submission(request, pk):
    obj = selectors.get_submission(request.user, pk)
    audit.record("intelligence.submission.viewed", obj=obj)
    assessor = selectors.can_assess_submission(request.user, obj)
    return render(request, "intelligence/submission.html", {
        "submission": obj, "assessor": assessor,
        "reports": selectors.reports_for(request.user).filter(submission=obj) if assessor else [],
    })


def _report_form(request, report=None, submission=None):
    sources = selectors.sources_for(request.user)
    initial = {}
    if submission is not None:
        initial = {"title": f"From {submission.submitter_agency or 'a partner'}: "
                            f"{submission.where}"[:200],
                   "text": f"{submission.what}\n\nWhere: {submission.where}\n"
                           f"When: {submission.when}\nWho and what: {submission.who}",
                   "source_type": "partner"}
    return forms.ReportForm(request.POST or None, instance=report, sources=sources,
                            initial=initial)


@requires("intel.assess")
def report_new(request):
    submission = None
    if request.GET.get("submission"):
        submission = get_scoped_or_404(request.user, "intel.assess",
                                       selectors.submissions_for(request.user),
                                       pk=request.GET["submission"])
    form = _report_form(request, submission=submission)
    return _form_page(
        request, form,
        lambda d: services.create_report(request.user, submission=submission, **d),
        template="intelligence/report_form.html", success="Report recorded and graded.",
        to=lambda r: ("intelligence:report", r.pk),
        context={"title": "Record and grade intelligence", "submission": submission})


@requires("intel.assess")
def report_edit(request, pk):
    report = selectors.get_report(request.user, pk)
    form = _report_form(request, report=report)
    return _form_page(
        request, form, lambda d: services.update_report(request.user, report, **d),
        template="intelligence/report_form.html", success="Report updated.",
        to=lambda r: ("intelligence:report", r.pk),
        context={"title": f"Grade and assess {report.reference}", "report": report})


@requires("intel.assess")
def report(request, pk):
    obj = selectors.get_report(request.user, pk)
    audit.record("intelligence.report.viewed", obj=obj)
    versions = obj.sanitised_versions.select_related("author", "approved_by").prefetch_related(
        "releases__agency")
    return render(request, "intelligence/report.html", {
        "report": obj, "versions": versions,
        "handles_source": selectors.handles_source(request.user, obj.source),
        "entities": selectors.entities_for(request.user).filter(reports=obj),
        "links": selectors.links_for(request.user).filter(reports=obj),
        "can_entities": can(request.user, "intel.entities"),
    })


@requires("intel.assess")
def sanitise(request, pk):
    report = selectors.get_report(request.user, pk)
    form = forms.SanitiseForm(request.POST or None, initial={"text": report.text})
    return _form_page(
        request, form, lambda d: services.sanitise(request.user, report, **d),
        template="intelligence/sanitise.html",
        success="Sanitised version saved. A second officer must now review it.",
        to=lambda v: ("intelligence:report", report.pk), context={"report": report})


@requires("intel.assess")
@require_POST
def sanitised_approve(request, pk, version):
    report = selectors.get_report(request.user, pk)
    obj = selectors.get_sanitised(request.user, report, version)
    return call_and_redirect(request, services.approve_sanitised, obj,
                             success="Sanitised version approved for release.",
                             to=reverse("intelligence:report", args=[report.pk]))


@requires("intel.assess")
def release(request, pk, version):
    report = selectors.get_report(request.user, pk)
    obj = selectors.get_sanitised(request.user, report, version)
    form = forms.ReleaseForm(request.POST or None, owning_agency=report.owning_agency)
    return _form_page(
        request, form, lambda d: services.release(request.user, obj, **d),
        success="Released.", to=lambda r: ("intelligence:report", report.pk),
        context={"title": f"Release the sanitised version of {report.reference}",
                 "report": report, "version": obj})


@requires("intel.assess")
def release_withdraw(request, pk, release):
    report = selectors.get_report(request.user, pk)
    # The report is already in scope; a release is reached through it, not by its recipient.
    obj = Release.objects.filter(sanitised__report=report, withdrawn_at__isnull=True,
                                 pk=release).select_related("agency").first()
    if obj is None:
        raise Http404
    form = forms.ReasonForm(request.POST or None)
    return _form_page(
        request, form, lambda d: services.withdraw_release(request.user, obj, **d),
        success=f"Withdrawn from {obj.agency}.", to=lambda r: ("intelligence:report", report.pk),
        context={"title": f"Withdraw the release to {obj.agency}", "report": report})


@requires("intel.receive")
def received(request, pk):
    """A sanitised version released to the person's agency: never the original."""
    shared = selectors.get_received(request.user, pk)
    audit.record("intelligence.sanitised.read", obj=shared.sanitised, purpose=shared.purpose,
                 detail={"release": shared.pk, "report": shared.sanitised.report_id})
    return render(request, "intelligence/received.html", {"release": shared,
                                                          "version": shared.sanitised})


# Sources ------------------------------------------------------------------------------------

@requires("intel.sources")
def sources(request):
    return render(request, "intelligence/sources.html",
                  {"sources": selectors.sources_for(request.user)})


@requires("intel.sources")
def source_new(request):
    form = forms.SourceForm(request.POST or None, user=request.user)
    return _form_page(
        request, form, lambda d: services.create_source(request.user, **d),
        success="Source registered.", to=lambda s: ("intelligence:source", s.pk),
        context={"title": "Register a source"})


@requires("intel.sources")
def source(request, pk):
    obj = selectors.get_source(request.user, pk)
    audit.record("intelligence.source.viewed", obj=obj)
    return render(request, "intelligence/source.html", {
        "source": obj, "reports": selectors.reports_for(request.user).filter(source=obj)})


# Entities and links -------------------------------------------------------------------------

@requires("intel.entities")
def entities(request):
    search = forms.EntitySearchForm(request.GET or None)
    q = search.cleaned_data["q"] if search.is_valid() else ""
    found = list(selectors.search_entities(request.user, q, limit=100) if q
                 else selectors.entities_for(request.user)[:100])
    audit.record("intelligence.entity.listed", detail={"found": [e.pk for e in found]})
    return render(request, "intelligence/entities.html", {"search": search, "entities": found})


@requires("intel.entities")
def entity(request, pk):
    obj = selectors.get_entity(request.user, pk)
    audit.record("intelligence.entity.viewed", obj=obj)
    return render(request, "intelligence/entity.html", {
        "entity": obj, "links": selectors.links_of(request.user, obj),
        "reports": selectors.reports_for(request.user).filter(entities=obj)})


@requires("intel.entities")
def report_entities(request, pk):
    """From a report: search before create, add what is found, create what is not, link."""
    report = selectors.get_report(request.user, pk)
    search = forms.EntitySearchForm(request.GET or None)
    q = search.cleaned_data["q"] if search.is_valid() else ""
    on_report = selectors.entities_for(request.user).filter(reports=report)
    action = request.POST.get("action")
    entity_form = forms.EntityForm(request.POST if action == "create" else None,
                                   initial={"name": q} if q else None, prefix="entity")
    link_form = forms.LinkForm(request.POST if action == "link" else None, entities=on_report,
                               prefix="link")
    back = redirect("intelligence:report_entities", report.pk)
    if action == "add":
        found = selectors.get_entity(request.user, request.POST.get("entity"))
        return call_and_redirect(request, services.add_to_report, report, found,
                                 success=f"{found.label} added to the report.", to=back.url)
    for form, act, call in (
        (entity_form, "create", lambda d: services.create_entity(
            request.user, d.pop("kind"), report=report,
            **{k: v for k, v in d.items() if v not in ("", None, False)})),
        (link_form, "link", lambda d: services.create_link(
            request.user, d["from_entity"], d["to_entity"], d["kind"], start=d["start"],
            end=d["end"], source=report.reference, report=report)),
    ):
        if action == act and form.is_valid():
            try:
                made = call(dict(form.cleaned_data))
            except ValidationError as e:
                add_service_errors(form, e)
            else:
                messages.success(request, f"Recorded: {made}.")
                return back
    found = list(selectors.search_entities(request.user, q)) if q else None
    if found:
        audit.record("intelligence.entity.searched", obj=report,
                     detail={"found": [e.pk for e in found]})
    return render(request, "intelligence/report_entities.html", {
        "report": report, "search": search, "q": q, "found": found,
        "on_report": on_report, "entity_form": entity_form, "link_form": link_form,
        "links": selectors.links_for(request.user).filter(reports=report),
    })
