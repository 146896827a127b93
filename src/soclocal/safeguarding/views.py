"""Vulnerability by area (indicators, uploads, the index), services against it, places of
concern, adults at risk of cuckooing, indicators across cases and NRM referrals: thin views."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from soclocal.areas.models import Area
from soclocal.core import audit, disclosure, spreadsheet
from soclocal.core.access import agency_kind_allows, can, requires
from soclocal.core.forms import add_service_errors, read_for_purpose, submitted
from soclocal.core.imports import ImportFailed
from soclocal.core.pagination import paginate

from . import forcewide, selectors, services
from .forms import (
    MACE_PURPOSES,
    AcrossCasesForm,
    AdultForm,
    DecisionForm,
    HearingForm,
    IndexForm,
    IndicatorForm,
    InvolvementForm,
    LinkForm,
    ListChildForm,
    MaceActionForm,
    MacePurposeForm,
    MaceReferralForm,
    MaceSettingsForm,
    MapLinkForm,
    MapNodeForm,
    PanelForm,
    PeerMapForm,
    PlaceForm,
    PurposeForm,
    RaiseForm,
    ReferralForm,
    SightingForm,
    UploadForm,
)
from .models import Indicator, MaceHearing, Place


def _chosen(request):
    periods = selectors.periods()
    form = IndexForm(request.GET or None, periods=periods)
    level = request.GET.get("level") if request.GET.get("level") in dict(
        form.fields["level"].choices) else "small"
    period = request.GET.get("period") if request.GET.get("period") in periods else (
        periods[-1] if periods else None)
    form = IndexForm({"level": level, "period": period or ""}, periods=periods)
    return form, level, period

def _shared(request) -> bool:
    """Everyone but analysts and admins gets small counts hidden; they may ask for it too."""
    return not selectors.sees_full_figures(request.user) or request.GET.get("share") == "1"

@requires("safeguarding.view")
def index(request):
    form, level, period = _chosen(request)
    result = selectors.vulnerability_index(level, period, shared=_shared(request)) \
        if period else None
    if result:
        codes = [i.code for i in result["indicators"]]
        for r in result["rows"]:
            r.ordered_cells = r.ordered(codes)
    query = f"?level={level}&period={period}" if period else ""
    return render(request, "safeguarding/index.html", {
        "form": form, "result": result, "map_tiles": settings.MAP_TILES,
        "bands": range(1, 11), "query": query,
        "geojson_url": reverse("safeguarding:index_geojson") + query,
        "full": selectors.sees_full_figures(request.user),
        "can_configure": can(request.user, "safeguarding.configure"),
        "can_nrm": can(request.user, "nrm.view"), "can_nrm_report": can(request.user, "nrm.report"),
        "can_places": can(request.user, "places.view"),
        "can_adults": can(request.user, "cuckooing.view")
        and agency_kind_allows(request.user, "cuckooing.view"),
        "can_across": can(request.user, "safeguarding.across_cases"),
    })

@requires("safeguarding.view")
def index_geojson(request):
    _form, level, period = _chosen(request)
    if not period:
        return JsonResponse({"type": "FeatureCollection", "features": []})
    result = selectors.vulnerability_index(level, period, shared=_shared(request))
    return JsonResponse(selectors.index_geojson(result))

def _shown(value, digits=4):
    return disclosure.MARK if value is None else round(value, digits)

@requires("safeguarding.view")
def index_csv(request):
    _form, level, period = _chosen(request)
    shared = _shared(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"vulnerability-index-{level}-{period or 'none'}{'-shared' if shared else ''}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    out = spreadsheet.writer(response)
    if not period:
        out.writerow(["area_code", "area_name", "period", "index"])
        return response
    result = selectors.vulnerability_index(level, period, shared=shared)
    codes = [i.code for i in result["indicators"]]
    out.writerow(["area_code", "area_name", "period", "index", "rank", "change"]
                 + [f"{c}_{part}" for c in codes
                    for part in ("count", "denominator", "rate", "z", "contribution")])
    for r in result["rows"]:
        row = [r.code, r.name, period, _shown(r.index, 6), r.rank if r.index is not None else
               disclosure.MARK if r.suppressed else "", "" if r.change is None else
               round(r.change, 6)]
        for c in codes:
            cell = r.cells.get(c)
            if cell is None:
                row += ["", "", "", "", ""]
            elif cell.suppressed:
                row += [disclosure.MARK] * 5
            else:
                row += ["" if cell.count is None else cell.count,
                        "" if cell.denominator is None else cell.denominator,
                        _shown(cell.value, 6), _shown(cell.z, 6), _shown(cell.contribution, 6)]
        out.writerow(row)
    audit.record("safeguarding.index.exported", actor=request.user,
                 detail={"level": level, "period": period, "shared": shared})
    return response

@requires("safeguarding.configure")
def indicators(request):
    form = IndicatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            ind = services.save_indicator(request.user, **form.cleaned_data)
            messages.success(request, _("Indicator ‘%(name)s’ defined.") % {"name": ind.name})
            return redirect("safeguarding:indicators")
        except ValidationError as e:
            add_service_errors(form, e)
    return render(request, "safeguarding/indicators.html", {
        "indicators": paginate(request, selectors.indicators().order_by("name", "pk")),
        "form": form})

@requires("safeguarding.configure")
def indicator_edit(request, pk):
    indicator = get_object_or_404(Indicator, pk=pk)
    form = IndicatorForm(request.POST or None, instance=indicator)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_indicator(request.user, Indicator.objects.get(pk=pk),
                                    **form.cleaned_data)
            messages.success(request, _("Indicator ‘%(name)s’ saved.") % {"name": form.cleaned_data["name"]})
            return redirect("safeguarding:indicators")
        except ValidationError as e:
            add_service_errors(form, e)
    return render(request, "safeguarding/indicator_form.html", {"form": form,
                                                                 "indicator": indicator})

@requires("safeguarding.configure")
def upload(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    problems = None
    if request.method == "POST" and form.is_valid():
        f = form.cleaned_data["file"]
        try:
            result = services.upload_indicators(request.user, f.name, f)
            messages.success(request, _("Imported %(result)s.") % {"result": result})
            return redirect("safeguarding:index")
        except ImportFailed as e:
            problems = e.errors
    return render(request, "safeguarding/upload.html", {"form": form, "problems": problems})

# NRM -------------------------------------------------------------------------------------

@requires("nrm.view")
def nrm_list(request):
    today = timezone.localdate()
    return render(request, "safeguarding/nrm_list.html", {
        "referrals": paginate(request, selectors.referrals(request.user)
                              .order_by("-referral_date", "reference", "pk")), "today": today,
        "can_record": can(request.user, "nrm.record"),
        "can_report": can(request.user, "nrm.report"),
    })

@requires("nrm.record")
def nrm_new(request):
    form = ReferralForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        code = data.pop("area_code").strip()
        area = Area.objects.filter(code__iexact=code, type__in=selectors.small_area_types()) \
            .first() if code else None
        if code and area is None:
            form.add_error("area_code", _("There is no LSOA or data zone with code ‘%(code)s’.")
                           % {"code": code})
        else:
            try:
                referral = services.record_referral(request.user, area=area, **data)
                messages.success(request, _("Referral %(reference)s recorded; the reasonable-grounds "
                                            "decision is due by %(due)s.") % {
                                    "reference": referral.reference,
                                    "due": f"{referral.reasonable_grounds_due:%-d %B %Y}"})
                return redirect("safeguarding:nrm", referral.pk)
            except ValidationError as e:
                add_service_errors(form, e)
    return render(request, "safeguarding/nrm_form.html", {"form": form})

@requires("nrm.view")
def nrm_detail(request, pk):
    referral = selectors.referral(request.user, pk)
    purpose_form, purpose, refused = read_for_purpose(
        request, referral, "nrm.referral.viewed", PurposeForm,
        dict(PurposeForm.base_fields["purpose"].choices), "safeguarding")
    if refused is not None:
        return refused
    return render(request, "safeguarding/nrm_detail.html", {
        "referral": referral, "purpose_form": purpose_form, "purpose": purpose,
        "today": timezone.localdate(),
        "can_record": can(request.user, "nrm.record") and selectors.referrals(request.user)
        .filter(pk=pk).exists(),
    })

@requires("nrm.record")
def nrm_decide(request, pk):
    referral = selectors.referral(request.user, pk)
    audit.record("nrm.referral.viewed", actor=request.user, obj=referral,
                 purpose=dict(PurposeForm.base_fields["purpose"].choices)["decision"])
    form = DecisionForm(request.POST or None, instance=referral)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_decisions(request.user, selectors.referral(request.user, pk),
                                      **form.cleaned_data)
            messages.success(request, _("Decisions saved."))
            return redirect("safeguarding:nrm", pk)
        except ValidationError as e:
            add_service_errors(form, e)
    return render(request, "safeguarding/nrm_decide.html", {"form": form, "referral": referral})

@requires("nrm.report")
def nrm_report(request):
    return render(request, "safeguarding/nrm_report.html", {
        "tables": [("exploitation type", selectors.nrm_counts(request.user, "type")),
                   ("age", selectors.nrm_counts(request.user, "age")),
                   ("ward", selectors.nrm_counts(request.user, "area"))],
        "force": forcewide.table(),
    })



# Services against vulnerability ------------------------------------------------------------

@requires("safeguarding.view")
def gaps(request):
    form, level, period = _chosen(request)
    result = selectors.service_gaps(level, period, shared=_shared(request)) if period else None
    return render(request, "safeguarding/gaps.html", {"form": form, "result": result})


@requires("nrm.report")
def nrm_report_csv(request):
    """The NRM counts by type, age band and area, small counts hidden, for the service report."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="nrm-referral-counts.csv"'
    out = spreadsheet.writer(response)
    out.writerow(["breakdown", "group", "referrals"])
    for label, by in (("exploitation type", "type"), ("age band", "age"), ("ward", "area")):
        counts = selectors.nrm_counts(request.user, by)
        for group, cell in counts["rows"].items():
            out.writerow([label, group, cell.shown])
        out.writerow([label, "Total", counts["total"].shown])
    audit.record("nrm.report.exported", actor=request.user)
    return response


# Places of concern ------------------------------------------------------------------------

def _my_cases(user, capability="cases.record"):
    from soclocal.cases import selectors as cases

    if not can(user, capability):
        return []
    return [(c.pk, f"{c.young_person} (case {c.pk})")
            for c in cases.active_cases_for(user, capability)]


def _indicator_choices():
    from soclocal.cases import selectors as cases

    return list(cases.indicator_labels().items())


@requires("places.view")
def places(request):
    return render(request, "safeguarding/places.html", {
        "places": paginate(request, selectors.places(request.user).order_by("name", "pk")),
        "can_record": can(request.user, "places.record"),
        "can_adults": can(request.user, "cuckooing.view")
        and agency_kind_allows(request.user, "cuckooing.view"),
    })


@requires("places.record")
def place_new(request):
    form = PlaceForm(request.POST or None)
    area, valid = None, True
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["area_code"].strip()
        if code:
            area = Area.objects.filter(code__iexact=code,
                                       type__in=selectors.small_area_types()).first()
            if area is None:
                form.add_error("area_code", _("There is no LSOA or data zone with code "
                                              "‘%(code)s’.") % {"code": code})
                valid = False
    done = submitted(request, form, lambda: services.record_place(
        request.user, area=area, **{k: v for k, v in form.cleaned_data.items()
                                    if k != "area_code"}),
        success=_("Place recorded."), valid=valid)
    if done:
        return done
    return render(request, "safeguarding/place_form.html", {"form": form})


@requires("places.view")
def place(request, pk):
    obj = selectors.place(request.user, pk)
    detail = selectors.place_detail(request.user, obj)
    audit.record("safeguarding.place.viewed", actor=request.user, obj=obj)
    can_record = can(request.user, "places.record")
    cases = _my_cases(request.user) if can_record else []
    return render(request, "safeguarding/place.html", {
        "place": obj, **detail, "can_record": can_record,
        "sighting_form": SightingForm(indicators=_indicator_choices(), cases=cases),
        "link_form": LinkForm(cases=cases),
    })


@requires("places.record")
@require_POST
def place_sighting(request, pk):
    from soclocal.cases import selectors as cases

    obj = selectors.place(request.user, pk)
    form = SightingForm(request.POST, indicators=_indicator_choices(),
                        cases=_my_cases(request.user))
    done = submitted(request, form, lambda: services.record_sighting(
        request.user, place=obj, indicator=form.cleaned_data["indicator"],
        seen_on=form.cleaned_data["seen_on"], note=form.cleaned_data["note"],
        case=cases.get_case(request.user, form.cleaned_data["case"], "cases.record")
        if form.cleaned_data["case"] else None),
        success=_("Indicator recorded."), to=reverse("safeguarding:place", args=[pk]))
    if done:
        return done
    detail = selectors.place_detail(request.user, obj)
    return render(request, "safeguarding/place.html", {
        "place": obj, **detail, "can_record": True, "sighting_form": form,
        "link_form": LinkForm(cases=_my_cases(request.user))}, status=400)


@requires("places.record")
@require_POST
def place_link(request, pk):
    from soclocal.cases import selectors as cases
    from soclocal.intelligence import selectors as intelligence

    obj = selectors.place(request.user, pk)
    form = LinkForm(request.POST, cases=_my_cases(request.user))
    report, valid = None, True
    if form.is_valid() and form.cleaned_data["report"].strip():
        ref = form.cleaned_data["report"].strip()
        report = intelligence.reports_for(request.user).filter(reference__iexact=ref).first()
        if report is None:
            form.add_error("report", _("There is no intelligence report ‘%(ref)s’ that you "
                                       "can reach.") % {"ref": ref})
            valid = False
    done = submitted(request, form, lambda: services.link_to_place(
        request.user, obj, report=report,
        case=cases.get_case(request.user, form.cleaned_data["case"], "cases.record")
        if form.cleaned_data["case"] else None),
        success=_("Linked to the place."), to=reverse("safeguarding:place", args=[pk]),
        valid=valid)
    if done:
        return done
    detail = selectors.place_detail(request.user, obj)
    return render(request, "safeguarding/place.html", {
        "place": obj, **detail, "can_record": True, "link_form": form,
        "sighting_form": SightingForm(indicators=_indicator_choices(),
                                      cases=_my_cases(request.user))}, status=400)


# Adults at risk of cuckooing --------------------------------------------------------------

def _kind_allowed(user, capability):
    return agency_kind_allows(user, capability)


def _adults_page(request):
    """A page of the adults the person may reach, its read audited (the adults shown)."""
    people = paginate(request, selectors.adults(request.user)
                      .order_by("last_name", "first_name", "pk"))
    if people:
        audit.record("safeguarding.adults.viewed", actor=request.user,
                     detail={"adults": [a.pk for a in people]})
    return people


@requires("cuckooing.view")
def adults(request):
    people = _adults_page(request)
    can_record = can(request.user, "cuckooing.record") and \
        _kind_allowed(request.user, "cuckooing.record")
    return render(request, "safeguarding/adults.html", {
        "adults": people, "allowed": _kind_allowed(request.user, "cuckooing.view"),
        "can_record": can_record, "involvement_form": InvolvementForm(),
        "agency_choices": _agency_choices() if can_record else [],
    })


def _agency_choices():
    """The agencies to choose from, read once for every adult's form on the page."""
    return list(InvolvementForm().fields["agency"].choices)


@requires("cuckooing.record")
def adult_new(request):
    allowed = _kind_allowed(request.user, "cuckooing.record")
    homes = [(p.pk, p.name) for p in selectors.places(request.user)
             .filter(kind=Place.Kind.ADDRESS)]
    form = AdultForm(request.POST or None, homes=homes)

    def call():
        data = dict(form.cleaned_data)
        home = data.pop("home")
        return services.record_adult(
            request.user, home=selectors.place(request.user, home) if home else None, **data)

    done = submitted(request, form, call, success=_("Recorded."),
                     to=reverse("safeguarding:adults"), valid=allowed)
    if done:
        return done
    return render(request, "safeguarding/adult_form.html", {"form": form, "allowed": allowed})


@requires("cuckooing.record")
@require_POST
def adult_involvement(request, pk):
    person = selectors.adult(request.user, pk, "cuckooing.record")
    form = InvolvementForm(request.POST)
    done = submitted(request, form, lambda: services.add_involvement(
        request.user, person, **form.cleaned_data), success=_("Agency added."),
        to=reverse("safeguarding:adults"))
    if done:
        return done
    people = _adults_page(request)
    return render(request, "safeguarding/adults.html", {
        "adults": people, "allowed": True, "can_record": True, "involvement_form": form,
        "agency_choices": _agency_choices(),
        "form_for": person.pk}, status=400)


# Indicators across cases ------------------------------------------------------------------

@requires("safeguarding.across_cases")
def across_cases(request):
    form = AcrossCasesForm(request.GET or None)
    whose = form.cleaned_data["whose"] if form.is_valid() and form.cleaned_data["whose"] \
        else "team"
    result = selectors.across_cases(request.user, whose=whose)
    return render(request, "safeguarding/across_cases.html", {
        "form": AcrossCasesForm({"whose": whose}), "result": result,
        "manager": can(request.user, "cases.manage")})


# Peer-group maps and MACE panels (decision 0040) ---------------------------------------------

def _read(request, obj, action):
    """Open a map or a panel record for the purpose its reader gives (`read_for_purpose`)."""
    return read_for_purpose(request, obj, action, MacePurposeForm, dict(MACE_PURPOSES), "panel")


@requires("mace.view")
def mace_home(request):
    user = request.user
    # Each list pages on its own, with its own page number in the address.
    return render(request, "safeguarding/mace_home.html", {
        "panels": paginate(request, selectors.panels(user).order_by("-held_on", "-pk"),
                           param="panels_page"),
        "hearings": paginate(request, selectors.hearings(user).filter(referral__case_owner=user)
                             .order_by("meeting", "position", "pk"), param="hearings_page"),
        "referrals": paginate(request, selectors.my_referrals(user).order_by("referred_at", "pk"),
                              param="referrals_page"),
        "waiting": paginate(request, selectors.waiting_referrals(user)
                            .order_by("referred_at", "pk"), param="waiting_page"),
        "reviews": paginate(request, selectors.reviews_due(user), param="reviews_page"),
        "maps": paginate(request, selectors.maps(user).order_by("-updated_at", "pk")
                         if can(user, "peermap.view") else [], param="maps_page"),
        "today": timezone.localdate(),
        "can_manage": can(user, "mace.manage"), "can_configure": can(user, "mace.configure"),
        "can_map": can(user, "peermap.edit"),
    })


@requires("mace.refer")
def mace_refer(request, case_pk):
    from soclocal.cases import selectors as cases

    case = cases.get_case(request.user, case_pk, "cases.refer")
    audit.record("case.viewed", actor=request.user, obj=case, purpose="MACE referral")
    form = MaceReferralForm(request.POST or None)
    done = submitted(request, form, lambda: services.refer_to_mace(
        request.user, case, indicators=form.cleaned_data["indicators"],
        evidence=form.evidence(), concerns=form.cleaned_data["concerns"],
        strengths=form.cleaned_data["strengths"]),
        success=_("Referred to the MACE panel. The panel's coordinators will list the child."),
        to=reverse("safeguarding:mace"))
    return done or render(request, "safeguarding/mace_refer.html", {"form": form, "case": case})


@requires("mace.manage")
def panel_new(request):
    form = PanelForm(request.POST or None)
    done = submitted(request, form, lambda: reverse("safeguarding:panel", args=[
        services.schedule_panel(request.user, **form.cleaned_data).pk]),
        success=_("Panel scheduled."), to=None)
    return done or render(request, "safeguarding/panel_form.html", {"form": form})


def _listing_choices(user, meeting):
    waiting = [(f"r{r.pk}", f"{r.case_reference}: referred by {r.referring_agency.name} on "
                            f"{r.referred_at:%-d %B %Y}")
               for r in selectors.waiting_referrals(user)]
    reviews = [(f"h{h.pk}", f"Review of {h.referral.case_reference} (heard at the {h.meeting}, "
                            f"due {h.review_due:%-d %B %Y})")
               for h in selectors.reviews_due(user).exclude(meeting=meeting)]
    return waiting + reviews


@requires("mace.view")
def panel(request, pk):
    meeting = selectors.panel(request.user, pk)
    purpose_form, purpose, refused = _read(request, meeting, "mace.panel.viewed")
    if refused is not None:
        return refused
    is_member = meeting.is_member(request.user)
    form = None
    if is_member and can(request.user, "mace.manage"):
        form = ListChildForm(request.POST or None,
                             choices=_listing_choices(request.user, meeting))
        if request.method == "POST" and form.is_valid():
            choice = form.cleaned_data["referral"]
            try:
                if choice.startswith("h"):
                    earlier = selectors.hearing(request.user, int(choice[1:]))
                    services.list_child(request.user, meeting, earlier.referral,
                                        review_of=earlier)
                else:
                    referral = selectors.waiting_referrals(request.user).get(pk=int(choice[1:]))
                    services.list_child(request.user, meeting, referral)
                messages.success(request, _("Added to the agenda."))
                return redirect("safeguarding:panel", pk)
            except ValidationError as e:
                add_service_errors(form, e)
    # Whether each child's review has been heard, in the one query (not one a child).
    hearings = list(meeting.hearings.select_related("referral", "review_of__meeting").annotate(
        reviewed=Exists(MaceHearing.objects.filter(review_of=OuterRef("pk")))))
    return render(request, "safeguarding/panel.html", {
        "meeting": meeting, "hearings": hearings, "form": form,
        "members": meeting.members.select_related("agency"),
        "reviews": [h for h in hearings if h.outcome == h.Outcome.REVIEW
                    and not h.reviewed],
        "purpose_form": purpose_form, "purpose": purpose, "today": timezone.localdate(),
    })


@requires("mace.view")
def hearing(request, pk):
    record = selectors.hearing(request.user, pk)
    purpose_form, purpose, refused = _read(request, record, "mace.hearing.viewed")
    if refused is not None:
        return refused
    return _hearing_page(request, record, purpose_form=purpose_form, purpose=purpose)


def _hearing_page(request, record, *, purpose_form, purpose, raise_form=None, raise_for=None):
    """The child's panel record; `raise_form` is a refused attempt to raise the action
    `raise_for`, shown again beside that action with what was chosen and typed."""
    from soclocal.core.origins import trail

    is_member = record.meeting.is_member(request.user)
    actions = list(record.actions.select_related("owning_agency"))
    for a in actions:
        a.trail = trail(request.user, a)
    return render(request, "safeguarding/hearing.html", {
        "hearing": record, "referral": record.referral, "actions": actions,
        "is_member": is_member, "can_record": is_member and can(request.user, "mace.manage"),
        "purpose_form": purpose_form, "purpose": purpose, "today": timezone.localdate(),
        "raise_form": raise_form or RaiseForm(plans=_plans(request.user)),
        "raise_for": raise_for,
        "can_requirement": can(request.user, "intel.requirements"),
        "can_plan_action": can(request.user, "responses.plan"),
    })


def _plans(user):
    if not can(user, "responses.plan"):
        return []
    from soclocal.responses import selectors as responses

    return list(responses.plans(user))


@requires("mace.manage")
def hearing_record(request, pk):
    record = selectors.hearing(request.user, pk)
    audit.record("mace.hearing.viewed", actor=request.user, obj=record,
                 purpose=dict(MACE_PURPOSES)["panel"])
    initial = {"presentation": record.presentation, "risk_tier": record.risk_tier,
               "minutes": record.minutes, "outcome": record.outcome,
               "outcome_notes": record.outcome_notes, "review_due": record.review_due}
    form = HearingForm(request.POST or None, initial=initial)
    done = submitted(request, form, lambda: services.record_hearing(
        request.user, record, **form.cleaned_data), success=_("The panel's record saved."),
        to=reverse("safeguarding:hearing", args=[pk]))
    return done or render(request, "safeguarding/hearing_form.html", {
        "form": form, "hearing": record, "weeks": services.review_weeks(),
        "usual_due": services.review_due_for(record.meeting.held_on)})


@requires("mace.manage")
def mace_action_new(request, pk):
    record = selectors.hearing(request.user, pk)
    audit.record("mace.hearing.viewed", actor=request.user, obj=record,
                 purpose=dict(MACE_PURPOSES)["panel"])
    form = MaceActionForm(request.POST or None)
    done = submitted(request, form, lambda: services.add_mace_action(
        request.user, record, **form.cleaned_data), success=_("Action agreed."),
        to=reverse("safeguarding:hearing", args=[pk]))
    return done or render(request, "safeguarding/mace_action_form.html",
                          {"form": form, "hearing": record})


@requires("mace.manage")
def mace_action_raise(request, pk):
    from .models import MaceAction

    if request.method != "POST":
        return HttpResponse(status=405)
    action = get_object_or_404(MaceAction.objects.select_related("hearing"), pk=pk)
    record = selectors.hearing(request.user, action.hearing_id)
    plans = _plans(request.user)
    form = RaiseForm(request.POST, plans=plans)
    if form.is_valid():
        plan = next((p for p in plans if str(p.pk) == form.cleaned_data["plan"]), None)
        try:
            made = services.raise_disruption(request.user, action, as_=form.cleaned_data["as_"],
                                             plan=plan, strand=form.cleaned_data["strand"])
        except ValidationError as e:
            add_service_errors(form, e)
        except PermissionDenied:
            form.add_error("as_", _("You cannot raise that kind of record: ask an intelligence "
                                    "officer (requirements) or an analyst (plan actions)."))
        else:
            messages.success(request, _("Raised: %(made)s.") % {"made": made})
            return redirect("safeguarding:hearing", record.pk)
    # Refused: the page again, the refusal beside the action with what was chosen and typed.
    return _hearing_page(request, record, purpose_form=MacePurposeForm(),
                         purpose=dict(MACE_PURPOSES)["panel"], raise_form=form,
                         raise_for=action.pk)


@requires("mace.configure")
def mace_settings(request):
    form = MaceSettingsForm(request.POST or None,
                            initial={"review_weeks": services.review_weeks()})
    done = submitted(request, form, lambda: services.set_review_weeks(
        request.user, form.cleaned_data["review_weeks"]), success=_("Settings saved."),
        to=reverse("safeguarding:mace"))
    return done or render(request, "safeguarding/mace_settings.html", {"form": form})


@requires("peermap.view")
def map_list(request):
    return render(request, "safeguarding/map_list.html", {
        "maps": paginate(request, selectors.maps(request.user).order_by("-updated_at", "pk")),
        "can_edit": can(request.user, "peermap.edit")})


@requires("peermap.edit")
def map_new(request):
    form = PeerMapForm(request.POST or None)
    done = submitted(request, form, lambda: reverse("safeguarding:map", args=[
        services.create_map(request.user, **form.cleaned_data).pk]),
        success=_("Map started. Add the children, adults, places and online spaces."), to=None)
    return done or render(request, "safeguarding/map_form.html", {"form": form})


@requires("peermap.view")
def map_detail(request, pk):
    peer_map = selectors.peer_map(request.user, pk)
    purpose_form, purpose, refused = _read(request, peer_map, "peermap.viewed")
    if refused is not None:
        return refused
    network = selectors.map_network(peer_map)
    return render(request, "safeguarding/map.html", {
        "map": peer_map, **network, "purpose_form": purpose_form, "purpose": purpose,
        "members": peer_map.members.select_related("agency"),
        "can_edit": can(request.user, "peermap.edit"),
    })


@requires("peermap.edit")
def map_node_new(request, pk):
    from soclocal.cases import selectors as cases

    peer_map = selectors.peer_map(request.user, pk)
    form = MapNodeForm(request.POST or None)
    case = None
    valid = True
    if request.method == "POST" and form.is_valid() and form.cleaned_data["case"]:
        case = cases.cases_for(request.user).filter(pk=form.cleaned_data["case"]).first()
        if case is None:
            form.add_error("case", _("There is no case with that number that you can reach."))
            valid = False
    done = submitted(request, form, lambda: services.add_node(
        request.user, peer_map, kind=form.cleaned_data["kind"], label=form.cleaned_data["label"],
        case=case, risk=form.cleaned_data["risk"], notes=form.cleaned_data["notes"]),
        success=_("Added to the map."), to=reverse("safeguarding:map", args=[pk]), valid=valid)
    return done or render(request, "safeguarding/map_node_form.html",
                          {"form": form, "map": peer_map})


@requires("peermap.edit")
def map_link_new(request, pk):
    peer_map = selectors.peer_map(request.user, pk)
    nodes = {str(n.pk): n for n in peer_map.nodes.all()}
    form = MapLinkForm(request.POST or None, nodes=nodes.values())

    def add():
        data = dict(form.cleaned_data)
        data["source"] = nodes.get(data["source"])
        data["target"] = nodes.get(data["target"])
        return services.add_link(request.user, peer_map, **data)

    done = submitted(request, form, add, success=_("Link added."),
                     to=reverse("safeguarding:map", args=[pk]))
    return done or render(request, "safeguarding/map_link_form.html",
                          {"form": form, "map": peer_map})
