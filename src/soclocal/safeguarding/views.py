"""Vulnerability by area (indicators, uploads, the index) and NRM referrals: thin views."""



from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from soclocal.areas.models import Area
from soclocal.core import audit, disclosure, spreadsheet
from soclocal.core.access import can, requires
from soclocal.core.forms import add_service_errors
from soclocal.core.imports import ImportFailed

from . import forcewide, selectors, services
from .forms import DecisionForm, IndexForm, IndicatorForm, PurposeForm, ReferralForm, UploadForm
from .models import Indicator


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
            messages.success(request, f"Indicator ‘{ind.name}’ defined.")
            return redirect("safeguarding:indicators")
        except ValidationError as e:
            add_service_errors(form, e)
    return render(request, "safeguarding/indicators.html", {
        "indicators": selectors.indicators(), "form": form})

@requires("safeguarding.configure")
def indicator_edit(request, pk):
    indicator = get_object_or_404(Indicator, pk=pk)
    form = IndicatorForm(request.POST or None, instance=indicator)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_indicator(request.user, Indicator.objects.get(pk=pk),
                                    **form.cleaned_data)
            messages.success(request, f"Indicator ‘{form.cleaned_data['name']}’ saved.")
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
            messages.success(request, f"Imported {result}.")
            return redirect("safeguarding:index")
        except ImportFailed as e:
            problems = e.errors
    return render(request, "safeguarding/upload.html", {"form": form, "problems": problems})

# NRM -------------------------------------------------------------------------------------

@requires("nrm.view")
def nrm_list(request):
    today = timezone.localdate()
    return render(request, "safeguarding/nrm_list.html", {
        "referrals": selectors.referrals(request.user), "today": today,
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
            form.add_error("area_code", f"There is no LSOA or data zone with code ‘{code}’.")
        else:
            try:
                referral = services.record_referral(request.user, area=area, **data)
                messages.success(request, f"Referral {referral.reference} recorded; the "
                                          "reasonable-grounds decision is due by "
                                          f"{referral.reasonable_grounds_due:%-d %B %Y}.")
                return redirect("safeguarding:nrm", referral.pk)
            except ValidationError as e:
                add_service_errors(form, e)
    return render(request, "safeguarding/nrm_form.html", {"form": form})

@requires("nrm.view")
def nrm_detail(request, pk):
    referral = selectors.referral(request.user, pk)
    purpose_form = PurposeForm(request.GET or None)
    purpose = dict(PurposeForm.base_fields["purpose"].choices)[
        purpose_form.cleaned_data["purpose"] if purpose_form.is_valid() else "safeguarding"]
    audit.record("nrm.referral.viewed", actor=request.user, obj=referral, purpose=purpose)
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
            messages.success(request, "Decisions saved.")
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

