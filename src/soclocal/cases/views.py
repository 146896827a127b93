"""Early intervention pages: thin views over the services and selectors."""

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from soclocal.areas.models import Area
from soclocal.core import audit
from soclocal.core.access import Role, can, get_scoped_or_404, requires, roles_of
from soclocal.core.forms import add_service_errors, read_for_purpose
from soclocal.core.imports import ImportFailed
from soclocal.core.models import Share
from soclocal.core.pagination import paginate

from . import forms, language, report, selectors, services, star
from .models import Case, StarInstrument, StarReading, Transfer, YoungPerson


def _case_url(case):
    return redirect("cases:case", case.pk)


def _warn_language(request, **texts):
    for w in language.check_fields(**texts):
        messages.warning(request, _('‘%(phrase)s’ can blame a child for their own '
                                    'exploitation. Consider instead: %(suggestion)s.') % {"phrase": w.phrase,
                                                                                          "suggestion": w.suggestion})


@requires("cases.view")
def dashboard(request):
    data = selectors.dashboard(request.user)
    return render(request, "cases/dashboard.html", {
        **data, "page": paginate(request, data["mine"]),
        "can_refer": can(request.user, "cases.refer"),
        "can_manage": can(request.user, "cases.manage"),
        "can_report": can(request.user, "cases.report"),
        "can_configure": can(request.user, "cases.configure"),
    })


@requires("cases.refer")
def referral_new(request):
    """Search first; then a referral for the chosen young person or a new one."""
    search = forms.SearchForm(request.GET or None)
    matches = None
    if search.is_valid():
        matches = selectors.search_young_people(
            request.user, name=search.cleaned_data["name"],
            date_of_birth=search.cleaned_data["date_of_birth"])
    existing = None
    chosen = request.POST.get("young_person") or request.GET.get("young_person")
    if chosen:
        people = services.scope(request.user, "cases.refer", YoungPerson.objects.all())
        existing = get_scoped_or_404(request.user, "cases.refer",
                                     YoungPerson.objects.filter(pk__in=people.values("pk")),
                                     pk=chosen)
    show_form = existing is not None or request.GET.get("new") or request.method == "POST"
    form = None
    from_action = _from_action(request)
    if show_form:
        initial = {}
        if from_action is not None:
            initial = {"concerns": f"Referred through the response plan action "
                                   f"\"{from_action.title}\" ({from_action.plan.title}).",
                       "referrer_name": f"{request.user.get_full_name()}, "
                                        f"{request.user.agency.name}"}
        if search.is_valid() and existing is None:
            first, _space, last = search.cleaned_data["name"].partition(" ")
            initial = {"first_name": first, "last_name": last,
                       "date_of_birth": search.cleaned_data["date_of_birth"]}
        form = forms.ReferralForm(request.POST or None, existing=existing, initial=initial)
        if request.method == "POST" and form.is_valid():
            data = dict(form.cleaned_data)
            person = {k: data.pop(k) for k in list(data) if k in (
                "first_name", "last_name", "date_of_birth", "gender", "ethnicity", "home_area",
                "school", "police_id", "social_care_id", "education_id")}
            family = [{"name": data.pop("caregiver_name", ""),
                       "relationship": data.pop("caregiver_relationship", "") or "Caregiver",
                       "phone": data.pop("caregiver_phone", ""), "is_caregiver": True}]
            if person.get("home_area"):
                area = Area.objects.filter(code__iexact=person["home_area"]).first()
                if area is None:
                    form.add_error("home_area", _("There is no area with that code"))
                person["home_area"] = area
            else:
                person.pop("home_area", None)
            if not form.errors:
                try:
                    referral = services.record_referral(
                        request.user, young_person=existing, person=person, family=family,
                        raised_from=from_action, **data)
                except ValidationError as e:
                    add_service_errors(form, e)
                else:
                    messages.success(request, _("Referral recorded. It is waiting for triage."))
                    _warn_language(request, concerns=data["concerns"], risks=data["risks"])
                    return _case_url(referral.case)
    warnings = language.check_fields(**{k: request.POST.get(k, "")
                                        for k in ("concerns", "risks")}) if form else []
    return render(request, "cases/referral_new.html", {
        "search": search, "matches": matches, "existing": existing, "form": form,
        "warnings": warnings, "from_action": from_action,
    })


def _from_action(request):
    """The plan action a referral is started from (`?from_action=`), if the person reaches it."""
    pk = request.GET.get("from_action", "")
    if not pk.isdigit():
        return None
    from soclocal.responses import selectors as responses

    return responses.get_action(request.user, int(pk))


@requires("cases.view")
def case_detail(request, pk):
    case = selectors.get_case(request.user, pk)
    purpose_form, purpose, refused = read_for_purpose(
        request, case, "cases.case.viewed", forms.PurposeForm, dict(forms.PURPOSES),
        "direct_work")
    if refused is not None:
        return refused
    detail = selectors.case_detail(request.user, case)
    user = request.user

    def reach(capability):
        return selectors.cases_for(user, capability).filter(pk=case.pk).exists()

    warnings = []
    for r in detail["referrals"]:
        warnings += language.check_fields(concerns=r.concerns, risks=r.risks)
    for c in detail["contacts"]:
        warnings += language.check(c.notes, "contact notes")
    return render(request, "cases/case_detail.html", {
        **detail, "purpose_form": purpose_form, "purpose": purpose,
        "language_warnings": warnings,
        "can_record": reach("cases.record") and case.status != Case.Status.AWAITING_TRIAGE,
        "can_manage": reach("cases.manage"),
        "can_share": reach("cases.share") and not detail["limited"],
        "can_refer": reach("cases.refer"),
        "can_approve_readings": reach("cases.record") and roles_of(user) & {
            Role.PRACTITIONER, Role.MANAGER},
        "owned_here": case.owning_agency_id == user.agency_id,
    })


def _case_form(request, pk, capability, form_class, template, save, *, form_kwargs=None,
               success="Saved.", title="", extra=None, warn=()):
    case = selectors.get_case(request.user, pk, capability)
    form_kwargs = form_kwargs(case) if callable(form_kwargs) else (form_kwargs or {})
    form = form_class(request.POST or None, **form_kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            save(case, form)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, success)
            _warn_language(request, **{f: form.cleaned_data.get(f, "") for f in warn})
            return _case_url(case)
    return render(request, template, {"case": case, "form": form, "title": title,
                                      **(extra(case) if extra else {})})


@requires("cases.manage")
def triage(request, pk):
    def save(case, form):
        referral = case.referrals.filter(decision="").order_by("-received_at").first()
        if referral is None:
            raise ValidationError({None: _("There is no referral waiting for triage")})
        services.triage(request.user, referral, **form.cleaned_data)

    return _case_form(request, pk, "cases.manage", forms.TriageForm, "cases/triage.html", save,
                      success="Triage decision recorded.", title="Triage the referral",
                      extra=lambda case: {"referral": case.current_referral})


@requires("cases.manage")
def allocate(request, pk):
    def save(case, form):
        services.allocate(request.user, case, **form.cleaned_data)

    def initial(case):
        return {"case": case, "initial": {"practitioner": case.practitioner_id,
                                          "peer_mentor": case.peer_mentor_id}}

    return _case_form(request, pk, "cases.manage", forms.AllocationForm, "cases/form.html", save,
                      form_kwargs=initial, success="Case allocated.", title="Allocate the case")


@requires("cases.record")
def outreach(request, pk):
    def save(case, form):
        services.record_outreach(request.user, case, **form.cleaned_data)

    return _case_form(request, pk, "cases.record", forms.OutreachForm, "cases/form.html", save,
                      success="Outreach attempt recorded.", title="Record an outreach attempt",
                      warn=("notes",))


@requires("cases.record")
def contact(request, pk):
    def goals(case):
        plan = case.plans.order_by("-created_at", "-pk").first()
        return {"goals": list(plan.goals.all()) if plan else []}

    def save(case, form):
        data = dict(form.cleaned_data)
        ids = data.pop("goals", [])
        plan = case.plans.order_by("-created_at", "-pk").first()
        chosen = list(plan.goals.filter(pk__in=ids)) if plan and ids else []
        services.record_contact(request.user, case, goals=chosen, **data)

    return _case_form(request, pk, "cases.record", forms.ContactForm, "cases/form.html", save,
                      form_kwargs=goals, success="Contact recorded.", title="Record a contact",
                      warn=("notes",))


@requires("cases.record")
def reading_new(request, pk):
    instrument = star.active_instrument()

    def save(case, form):
        d = form.cleaned_data
        services.record_reading(
            request.user, case, taken_on=d["taken_on"], action_plan=d["action_plan"],
            scores={a.pk: d.get(f"area_{a.pk}") for a in form.areas},
            other_views={a.pk: d.get(f"other_{a.pk}") for a in form.areas},
            instrument=instrument)

    return _case_form(request, pk, "cases.record", forms.ReadingForm, "cases/reading_form.html",
                      save, form_kwargs={"instrument": instrument},
                      success="Star reading recorded. Approve it when it is agreed.",
                      title="Record a star reading",
                      extra=lambda case: {"instrument": instrument})


@requires("cases.record")
@require_POST
def reading_approve(request, pk, reading):
    case = selectors.get_case(request.user, pk, "cases.record")
    obj = _child_or_404(case.readings, reading)
    try:
        services.approve_reading(request.user, obj)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("Star reading approved."))
    return _case_url(case)


def _child_or_404(related, pk):
    try:
        return related.get(pk=pk)
    except related.model.DoesNotExist:
        raise Http404 from None


@requires("cases.record")
def plan_new(request, pk):
    """A new version of the plan, starting from the latest. "Add another action" posts the
    form back with one more row and saves nothing."""
    case = selectors.get_case(request.user, pk, "cases.record")
    areas = list(star.active_instrument().areas.all())
    if request.method == "POST" and "add_action" in request.POST:
        rows = forms.PlanForm._rows_from(request.POST) + 1
        form = forms.PlanForm(initial=request.POST.dict(), areas=areas, rows=rows)
    elif request.method == "POST":
        form = forms.PlanForm(request.POST, areas=areas)
        if form.is_valid():
            try:
                services.save_plan(request.user, case, goals=form.goals(),
                                   actions=form.actions())
            except ValidationError as e:
                add_service_errors(form, e)
            else:
                messages.success(request, _("Plan saved. A manager approves it."))
                return _case_url(case)
    else:
        values = selectors.plan_initial(case)
        form = forms.PlanForm(initial=values, areas=areas,
                              rows=max(forms.ACTION_ROWS, values.get("action_rows", 0)))
    return render(request, "cases/plan_form.html", {"case": case, "form": form, "title": "Plan"})


@requires("cases.manage")
@require_POST
def plan_approve(request, pk, plan):
    case = selectors.get_case(request.user, pk, "cases.manage")
    services.approve_plan(request.user, _child_or_404(case.plans, plan))
    messages.success(request, _("Plan approved."))
    return _case_url(case)


@requires("cases.record")
def plan_review(request, pk):
    def save(case, form):
        plan = case.plans.order_by("-created_at", "-pk").first()
        if plan is None:
            raise ValidationError({None: _("There is no plan to review yet")})
        services.review_plan(request.user, plan, **form.cleaned_data)

    return _case_form(request, pk, "cases.record", forms.ReviewForm, "cases/form.html", save,
                      success="Plan review recorded.", title="Review the plan", warn=("notes",))


@requires("cases.record")
def closure(request, pk):
    def save(case, form):
        services.request_closure(request.user, case, **form.cleaned_data)

    return _case_form(request, pk, "cases.record", forms.ClosureForm, "cases/form.html", save,
                      success="Closure sent to a manager for approval.",
                      title="Close the case", warn=("summary",))


@requires("cases.manage")
@require_POST
def closure_decide(request, pk, closure):
    case = selectors.get_case(request.user, pk, "cases.manage")
    obj = _child_or_404(case.closures, closure)
    approve = request.POST.get("answer") == "approve"
    try:
        services.decide_closure(request.user, obj, approve=approve)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("Case closed.") if approve
                         else _("Closure returned; the case stays open."))
    return _case_url(case)


@requires("cases.refer")
def rerefer(request, pk):
    def save(case, form):
        data = dict(form.cleaned_data)
        services.rerefer(request.user, case, **data)

    def kwargs(case):
        return {"existing": case.young_person}

    return _case_form(request, pk, "cases.refer", forms.ReferralForm, "cases/rerefer.html", save,
                      form_kwargs=kwargs, success="Re-referral recorded: the case is waiting "
                                                  "for triage with its history.",
                      title="Refer again", warn=("concerns", "risks"))


@requires("cases.share")
def share(request, pk):
    def save(case, form):
        d = form.cleaned_data
        if d["mode"] == "transfer":
            services.offer_transfer(request.user, case, agency=d["agency"], reason=d["purpose"],
                                    agreement=d["agreement"],
                                    override_reason=d["override_reason"])
        else:
            services.share_case(request.user, case, agency=d["agency"], purpose=d["purpose"],
                                agreement=d["agreement"], override_reason=d["override_reason"])

    return _case_form(request, pk, "cases.share", forms.ShareForm, "cases/share_form.html", save,
                      form_kwargs=lambda case: {"case": case},
                      success="The case is shared.", title="Share the case with another agency",
                      extra=lambda case: {"referral": case.current_referral})


@requires("cases.share")
def share_revoke(request, pk, share):
    case = selectors.get_case(request.user, pk, "cases.share")
    obj = _child_or_404(Share.objects.filter(
        content_type=ContentType.objects.get_for_model(Case), object_id=case.pk,
        revoked_at__isnull=True), share)
    form = forms.ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.revoke_share(request.user, obj, reason=form.cleaned_data["reason"])
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _('Sharing with %(agency)s has ended.') % {"agency": obj.agency})
            return _case_url(case)
    return render(request, "cases/form.html", {
        "case": case, "form": form, "title": f"Stop sharing with {obj.agency}"})


@requires("cases.manage")
def transfer_answer(request, pk, transfer):
    case = selectors.get_case(request.user, pk)
    obj = _child_or_404(case.transfers.filter(to_agency_id=request.user.agency_id,
                                              status=Transfer.Status.PENDING), transfer)
    form = forms.TransferAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        accept = form.cleaned_data["answer"] == "accept"
        try:
            services.respond_to_transfer(request.user, obj, accept=accept,
                                         reason=form.cleaned_data["reason"])
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("Transfer accepted: the case is now ours.") if accept
                             else _("Transfer rejected."))
            return redirect("cases:case", case.pk) if accept else redirect("cases:dashboard")
    return render(request, "cases/transfer_answer.html", {
        "case": case, "form": form, "transfer": obj, "title": f"Transfer from {obj.from_agency}"})


@requires("cases.manage")
def queue(request):
    page = paginate(request, selectors.referral_queue(request.user))
    return render(request, "cases/queue.html", {"page": page,
                                                "rows": selectors.queue_rows(page)})


MERGE_PURPOSE = "Checking for duplicate records"


@requires("cases.manage")
def merge(request):
    """Find the two records of one young person: search, or take a suggested pair."""
    search = forms.MergeSearchForm(request.GET if "search" in request.GET else None)
    found = None
    if search.is_valid():
        found = selectors.find_for_merge(request.user, name=search.cleaned_data["name"],
                                         date_of_birth=search.cleaned_data["date_of_birth"])
        audit.record("cases.young_person.searched", actor=request.user, purpose=MERGE_PURPOSE,
                     detail={"found": [p.pk for p in found]})
    pick_error = ""
    if "pick" in request.GET:
        picked = sorted(set(request.GET.getlist("pick")))
        if len(picked) == 2:
            return redirect(f"{reverse('cases:merge_compare')}?a={picked[0]}&b={picked[1]}")
        pick_error = "Choose exactly two records to compare"
    pairs = selectors.likely_duplicates(request.user)
    if pairs:
        # The suggestions show names and dates of birth across records: a read to account for.
        audit.record("cases.young_person.duplicates_listed", actor=request.user,
                     purpose=MERGE_PURPOSE,
                     detail={"pairs": [[p["first"].pk, p["second"].pk] for p in pairs]})
    return render(request, "cases/merge.html", {
        "search": search, "found": found, "pairs": pairs, "pick_error": pick_error,
        "query": request.GET.urlencode()})


def _record_number(text):
    """A record number from the address, or None: plain digits only, so "01" and "1" are
    the same record and other scripts' digits are not taken for ours."""
    text = (text or "").strip()
    return int(text) if text.isascii() and text.isdigit() else None


@requires("cases.manage")
def merge_compare(request):
    """The two records side by side; the manager chooses which stays, then merges."""
    a, b = _record_number(request.GET.get("a")), _record_number(request.GET.get("b"))
    if a is None or b is None or a == b:
        messages.error(request, _("Choose two different records to compare."))
        return redirect("cases:merge")
    reachable = selectors.mergeable_people(request.user)
    first = get_scoped_or_404(request.user, "cases.manage", reachable, pk=a)
    second = get_scoped_or_404(request.user, "cases.manage", reachable, pk=b)
    for person in (first, second):
        audit.record("cases.young_person.viewed", actor=request.user, obj=person,
                     purpose=MERGE_PURPOSE)
    form = forms.MergeChoiceForm(request.POST or None, first=first, second=second)
    if request.method == "POST" and form.is_valid():
        keep, duplicate = ((first, second) if form.cleaned_data["keep"] == str(first.pk)
                           else (second, first))
        try:
            services.merge_young_people(request.user, keep=keep, duplicate=duplicate,
                                        reason=form.cleaned_data["reason"])
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _('The records are merged into %(keep)s.') % {"keep": keep})
            case = keep.cases.filter(owning_agency=request.user.agency_id).first()
            return _case_url(case) if case else redirect("cases:merge")
    return render(request, "cases/merge_compare.html", {
        "form": form, "sides": [selectors.merge_side(request.user, p) for p in (first, second)],
        "first": first, "second": second})


# The outcomes star instruments ----------------------------------------------------------------

def _instrument(pk):
    try:
        return StarInstrument.objects.get(pk=pk)
    except StarInstrument.DoesNotExist:
        raise Http404 from None


@requires("cases.configure")
def star_list(request):
    return render(request, "cases/star_list.html", {"rows": selectors.instruments()})


@requires("cases.configure")
def star_new(request):
    form = forms.InstrumentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            instrument = services.create_instrument(request.user, **form.values())
        except ValidationError as e:
            add_service_errors(form, form.on_rows(e))
        else:
            messages.success(request, _('%(instrument)s is saved. It is not used for new '
                                        'readings until you make it the active star.') % {"instrument": instrument})
            return redirect("cases:star_list")
    return render(request, "cases/star_form.html", {"form": form, "title": "Create a star"})


@requires("cases.configure")
def star_edit(request, pk):
    instrument = _instrument(pk)
    form = forms.InstrumentForm(request.POST or None, instrument=instrument)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_instrument(request.user, instrument, **form.values())
        except ValidationError as e:
            add_service_errors(form, form.on_rows(e))
        else:
            messages.success(request, _('%(instrument)s is saved.') % {"instrument": instrument})
            return redirect("cases:star_list")
    readings = StarReading.objects.filter(instrument=instrument).count()
    return render(request, "cases/star_form.html", {
        "form": form, "instrument": instrument, "readings": readings,
        "title": f"Change {instrument}"})


@requires("cases.configure")
def star_descriptors(request, pk):
    instrument = _instrument(pk)
    form = forms.StageDescriptorForm(request.POST or None, instrument=instrument)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_stage_descriptors(request.user, instrument, form.descriptors())
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("The descriptions of the stages are saved."))
            return redirect("cases:star_list")
    return render(request, "cases/star_descriptors.html", {"form": form,
                                                           "instrument": instrument})


@requires("cases.configure")
def star_upload(request, pk):
    instrument = _instrument(pk)
    form = forms.DescriptorUploadForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            count = services.upload_descriptors(request.user, instrument, filename=upload.name,
                                                content=upload.read())
        except ImportFailed as failure:
            problems = failure.errors
            form.add_error("file", _('The file was not loaded and nothing was changed: '
                                     '%(len)s problem(s), listed below') % {"len": len(problems)})
        else:
            messages.success(request, _('Loaded %(count)s descriptors for %(instrument)s.') % {"count": count,
                                                                                               "instrument": instrument})
            return redirect("cases:star_list")
    return render(request, "cases/star_upload.html", {
        "form": form, "instrument": instrument, "problems": problems[:200],
        "more": max(0, len(problems) - 200)})


@requires("cases.configure")
@require_POST
def star_version(request, pk):
    copy = services.new_instrument_version(request.user, _instrument(pk))
    messages.success(request, _('%(copy)s is a copy you can change. Make it the active '
                                'star when it is ready.') % {"copy": copy})
    return redirect("cases:star_edit", copy.pk)


@requires("cases.configure")
@require_POST
def star_activate(request, pk):
    instrument = _instrument(pk)
    try:
        services.activate_instrument(request.user, instrument)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _('New readings now use %(instrument)s. Past readings '
                                    'keep the star they were made with.') % {"instrument": instrument})
    return redirect("cases:star_list")


def _report(request):
    form = forms.ReportForm(request.GET or None)
    area = date_from = date_to = None
    period = area_level = None
    sharing = not (roles_of(request.user) & {Role.ANALYST, Role.MANAGER})
    if form.is_valid():
        d = form.cleaned_data
        date_from, date_to = d["date_from"], d["date_to"]
        period, area_level = d["split"] or None, d["area_level"] or None
        if d["area"]:
            area = Area.objects.filter(code__iexact=d["area"]).first()
            if area is None:
                form.add_error("area", _("There is no area with that code"))
        sharing = sharing or d["version"] == "sharing"
    cases = selectors.report_cases(request.user)
    figures = report.service_report(cases, area=area, date_from=date_from, date_to=date_to)
    split = None
    if not form.errors:
        try:
            split = report.split_report(cases, period=period, area_level=area_level, area=area,
                                        date_from=date_from, date_to=date_to)
        except ValidationError as e:
            add_service_errors(form, e)
    if sharing:
        figures = report.for_sharing(figures)
        if split:
            split, also_hide = report.split_for_sharing(split)
            figures = report.hide_in_summary(figures, also_hide)
    return form, figures, sharing, area, split


def _split_tables(split):
    """The split as tables for the page: the headline figures, then each series."""
    if not split or not split["rows"]:
        return None
    rows = split["rows"]
    return {
        "by_area": bool(split["area_level"]), "by_period": bool(split["period"]),
        "measures": [_(label) for _key, label in report.SPLIT_MEASURES],
        "rows": [{"period": report.shown(r["period"]), "area": report.shown(r["area"]),
                  "values": [r["figures"][k] for k, _label in report.SPLIT_MEASURES]}
                 for r in rows],
        "series": [{"title": _(title),
                    "categories": [report.shown(c) for c in rows[0]["figures"][name]],
                    "rows": [{"period": report.shown(r["period"]),
                              "area": report.shown(r["area"]),
                              "values": list(r["figures"][name].values())} for r in rows]}
                   for name, title in report.SERIES_TITLES.items()],
        "star": {"title": _(report.STAR_SPLIT_TITLE), "areas": split["star_areas"],
                 "rows": [{"period": report.shown(r["period"]), "area": report.shown(r["area"]),
                           "people": r["figures"]["star_people"],
                           "values": [r["figures"]["star_change"][a]
                                      for a in split["star_areas"]]} for r in rows]},
    }


@requires("cases.report")
def report_page(request):
    form, figures, sharing, area, split = _report(request)
    audit.record("cases.report.viewed", actor=request.user,
                 detail={"sharing": sharing, "area": area.code if area else "",
                         "split": [split["period"], split["area_level"]] if split else []})
    return render(request, "cases/report.html", {
        "form": form, "r": figures, "sharing": sharing, "area": area,
        "series": [(_(report.SERIES_TITLES[name]), {report.shown(k): v
                                                  for k, v in figures[name].items()})
                   for name in report.SERIES],
        "split": _split_tables(split), "split_empty": split is not None and not split["rows"],
        "query": request.GET.urlencode(),
    })


@requires("cases.report")
def report_csv(request):
    form, figures, sharing, area, split = _report(request)
    if form.errors:
        # A download cannot show the form's errors: send people back to the page that does.
        return redirect(f"{reverse('cases:report')}?{request.GET.urlencode()}")
    audit.record("cases.report.exported", actor=request.user,
                 detail={"sharing": sharing, "area": area.code if area else "",
                         "split": [split["period"], split["area_level"]] if split else []})
    response = HttpResponse(report.to_csv(figures, split), content_type="text/csv")
    name = "early-intervention-report" + ("-sharing" if sharing else "") + ".csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
