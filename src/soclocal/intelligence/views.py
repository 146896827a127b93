"""Intelligence pages: thin views over the services and selectors."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from soclocal.core import audit
from soclocal.core.access import can, get_scoped_or_404, requires
from soclocal.core.flash import call_and_redirect
from soclocal.core.forms import add_service_errors
from soclocal.core.pagination import paginate

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
    filters = forms.ReportFilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    data = selectors.intelligence_home(request.user, q=chosen.get("q", ""),
                                       outcome=chosen.get("outcome", ""))
    if "reports" in data:
        data["reports"] = paginate(request, data["reports"])
    return render(request, "intelligence/home.html", {
        **data, "filters": filters,
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
    if assessor and obj.contact:  # a resident's call-back details are read only by officers
        audit.record("intelligence.community.contact_viewed", obj=obj)
    return render(request, "intelligence/submission.html", {
        "submission": obj, "assessor": assessor,
        "reports": selectors.reports_for(request.user).filter(submission=obj) if assessor else [],
    })


def _report_form(request, report=None, submission=None):
    sources = selectors.sources_for(request.user)
    initial = {}
    if submission is not None:
        community = submission.from_community
        initial = {"title": f"From {submission.sender}: {submission.where}"[:200],
                   "text": f"{submission.what}\n\nWhere: {submission.where}\n"
                           f"When: {submission.when}\nWho and what: {submission.who}"
                           + (f"\nVehicle or place: {submission.identifying}"
                              if submission.identifying else ""),
                   "source_type": "public" if community else "partner"}
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
    page = paginate(request, selectors.search_entities(request.user, q, limit=None) if q
                    else selectors.entities_for(request.user).order_by("pk"))
    found = list(page)
    audit.record("intelligence.entity.listed", detail={"found": [e.pk for e in found]})
    return render(request, "intelligence/entities.html", {"search": search, "entities": found,
                                                          "page": page})


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
            **services.given(d))),
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
                messages.success(request, _("Recorded: %(made)s.") % {"made": made})
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


# Bulk import --------------------------------------------------------------------------------

IMPORT_SESSION = "intelligence_import"


def _held_file(request):
    """The file chosen on the first step of an import, kept on disk between steps."""
    from django.conf import settings

    held = request.session.get(IMPORT_SESSION)
    if not held:
        return None, None
    path = settings.DATA_DIR / "imports" / held["token"]
    if not path.is_file():
        request.session.pop(IMPORT_SESSION, None)
        return None, None
    return held, path


def _forget_file(request):
    held, path = _held_file(request)
    if path is not None:
        path.unlink(missing_ok=True)
    request.session.pop(IMPORT_SESSION, None)


def _keep_file(request, upload, kind):
    import uuid

    from django.conf import settings

    _forget_file(request)
    folder = settings.DATA_DIR / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    token = uuid.uuid4().hex
    with open(folder / token, "wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    request.session[IMPORT_SESSION] = {"token": token, "name": upload.name, "kind": kind}


@requires("intel.entities")
def bulk_import(request):
    """Choose a file; match its columns to our fields; import it all or not at all."""
    from soclocal.core.imports import ImportFailed, Problems

    from . import bulk

    action = request.POST.get("action")
    if action == "restart":
        _forget_file(request)
        return redirect("intelligence:import")
    upload = forms.BulkUploadForm(request.POST if action == "upload" else None,
                                  request.FILES if action == "upload" else None)
    if action == "upload" and upload.is_valid():
        _keep_file(request, upload.cleaned_data["file"], upload.cleaned_data["kind"])
        return redirect("intelligence:import")
    held, path = _held_file(request)
    context = {"upload": upload, "held": held}
    if held is not None and action != "upload":
        problems = Problems(held["name"])
        table = bulk.read_table(path.read_bytes(), held["name"], problems)
        people = held["kind"] == "people"
        fields, required = ((bulk.PEOPLE_FIELDS, bulk.PEOPLE_REQUIRED) if people
                            else (bulk.LINK_FIELDS, bulk.LINK_REQUIRED))
        mapping = forms.ColumnMappingForm(
            request.POST if action == "import" else None, fields=fields, required=required,
            header=table.header if table else [])
        context.update(mapping=mapping, problems=list(problems), rows=len(table.rows)
                       if table else 0)
        if action == "import" and table is not None and mapping.is_valid():
            kind = held["kind"]
            try:
                result = services.import_bulk(
                    request.user, **{kind: (path.read_bytes(), held["name"]),
                                     f"mapping_{kind}": mapping.mapping()})
            except ImportFailed as failure:
                context["problems"] = failure.errors
            except ValidationError as e:
                add_service_errors(mapping, e)
            else:
                _forget_file(request)
                messages.success(request, _("Imported %(people)s people and %(links)s links "
                                            "from %(file)s.") % {
                    "people": result["people"], "links": result["links"], "file": held["name"]})
                return redirect("intelligence:entities")
    return render(request, "intelligence/import.html", context)


# Same person twice --------------------------------------------------------------------------

COMPARED = [("Reference", "reference", None), ("Forenames", "forenames", "forenames"),
            ("Surname", "surname", "surname"), ("Date of birth", "date_of_birth",
                                                "date_of_birth"),
            ("Postcode", "postcode", "postcode"), ("Phone", "phone", "phone"),
            ("Address", "address", None), ("Source", "source", None)]


def _side_by_side(left, right, comparisons):
    return [{"label": label, "left": getattr(left, name) or "", "right": getattr(right, name)
             or "", "level": (comparisons or {}).get(key, "") if key else ""}
            for label, name, key in COMPARED]


@requires("intel.entities")
def duplicates(request):
    rows = selectors.duplicates_for(request.user)
    audit.record("intelligence.duplicates.listed",
                 detail={"pairs": [[r["left"].pk, r["right"].pk] for r in rows]})
    for row in rows:
        row["compared"] = _side_by_side(row["left"], row["right"], row["pair"].comparisons)
    return render(request, "intelligence/duplicates.html", {"rows": rows})


@requires("intel.entities")
def pair(request, left, right):
    """One suggested pair side by side, and the officer's decision on it."""
    from soclocal.core import matching

    a, b = selectors.get_entity(request.user, left), selectors.get_entity(request.user, right)
    if a.kind != "person" or b.kind != "person" or a.pk == b.pk:
        raise Http404
    a, b = sorted((a, b), key=lambda e: e.reference)
    audit.record("intelligence.pair.viewed", obj=a, detail={"other": b.pk})
    found = matching.find_pairs("person", [
        {f: getattr(e, f) for f in ("reference", "forenames", "surname", "date_of_birth",
                                    "postcode", "phone")} for e in (a, b)], threshold=0.0)
    scored = found[0] if found else None
    form = forms.PairReviewForm(request.POST or None, left=a, right=b)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        survivor = a if data["survivor"] == str(a.pk) else b
        try:
            services.review_pair(request.user, a, b, data["decision"],
                                 probability=scored.probability if scored else None,
                                 comparisons=dict(scored.comparisons) if scored else {},
                                 note=data["note"], survivor=survivor)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, {
                "same": _("Merged: the record that stays is %(reference)s.")
                % {"reference": survivor.reference},
                "not_same": _("Recorded: not the same person. The pair will not be suggested "
                            "again."),
                "unsure": _("Recorded as unsure; the pair stays on the list.")}[data["decision"]])
            return redirect("intelligence:duplicates")
    return render(request, "intelligence/pair.html", {
        "left": a, "right": b, "form": form, "scored": scored,
        "compared": _side_by_side(a, b, scored.comparisons if scored else {}),
        "history": selectors.reviews_for(request.user).filter(left=a, right=b)})


@requires("intel.entities")
def merges(request):
    found = list(selectors.merges_for(request.user)[:200])
    audit.record("intelligence.merges.listed", detail={"merges": [m.pk for m in found]})
    return render(request, "intelligence/merges.html", {"merges": found})


@requires("intel.entities")
@require_POST
def merge_undo(request, pk):
    merge = selectors.get_merge(request.user, pk)
    return call_and_redirect(request, services.undo_merge, merge,
                             success=f"Undone: {merge.merged.reference} and "
                                     f"{merge.survivor.reference} are two records again.",
                             to=reverse("intelligence:merges"))
