"""Problem profile pages: the list, building one, the report, downloads, editing, weights."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from soclocal.core import audit, jobs
from soclocal.core.access import can, requires
from soclocal.core.forms import add_service_errors

from . import report, selectors, services
from .areas import AmbiguousArea, find_area
from .exports import render_file
from .forms import BuildForm, HarmWeightsForm, SocFractionsForm, TextsForm


@requires("profiles.view_shared")
def profile_list(request):
    return render(request, "profiles/list.html", {
        "profiles": selectors.profile_list(request.user)[:200],
        "can_edit": can(request.user, "profiles.edit"),
        "full": selectors.sees_full_version(request.user),
    })


@requires("profiles.edit")
def build(request):
    form = BuildForm(request.POST or None, initial=request.GET or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            area = find_area(data["area"])
            services.validate_period(data["month_from"], data["month_to"])
        except AmbiguousArea as e:
            form.add_error("area", str(e))
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            job = jobs.start(request.user, "profile", f"Profile of {area.name}, "
                             f"{data['month_from']} to {data['month_to']}",
                             "soclocal.profiles.services.run_build", area_id=area.pk,
                             month_from=data["month_from"], month_to=data["month_to"])
            return redirect("core:job", job.pk)
    return render(request, "profiles/build.html", {"form": form})


def _sharing(request):
    """Analysts see the full version unless they ask for the sharing one; everyone else
    only ever sees the sharing version."""
    if not selectors.sees_full_version(request.user):
        return True
    return request.GET.get("version") == "sharing"


@requires("profiles.view_shared")
def profile(request, pk):
    version = selectors.get_profile(request.user, pk)
    sharing = _sharing(request)
    doc = selectors.document(version, sharing=sharing)
    audit.record("profile.viewed", obj=version, detail={"sharing": sharing})
    return render(request, "profiles/profile.html", {
        "version": version, "doc": doc, "sharing": sharing, **report.template_context(doc),
        "full": selectors.sees_full_version(request.user), "on_page": True,
        "can_edit": can(request.user, "profiles.edit"), "map_tiles": settings.MAP_TILES,
        "formats": ["html", "pdf", "json", "csv"], "deciles": range(1, 11),
        "geojson_url": reverse("profiles:geojson", args=[version.pk])
        + ("?version=sharing" if sharing else ""),
        "versions": version.area.profiles.filter(
            month_from=version.month_from, month_to=version.month_to).defer("figures"),
    })


@requires("profiles.view_shared")
def download(request, pk, fmt):
    version = selectors.get_profile(request.user, pk)
    if fmt not in ("html", "pdf", "json", "csv"):
        raise Http404
    sharing = _sharing(request)
    content, content_type, filename = render_file(version, fmt, sharing=sharing)
    audit.record("profile.downloaded", obj=version, detail={"format": fmt, "sharing": sharing})
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@requires("profiles.view_shared")
def geojson(request, pk):
    version = selectors.get_profile(request.user, pk)
    doc = selectors.document(version, sharing=_sharing(request))
    return JsonResponse(selectors.map_features(version, doc))


@requires("profiles.edit")
def edit(request, pk):
    version = selectors.get_profile(request.user, pk)
    form = TextsForm(request.POST or None, initial=version.texts)
    if request.method == "POST" and form.is_valid():
        new = services.edit_texts(request.user, version, form.cleaned_data)
        messages.success(request, _("Saved as version %(number)s.") % {"number": new.version})
        return redirect("profiles:profile", new.pk)
    return render(request, "profiles/edit.html", {"form": form, "version": version})


@requires("profiles.edit")
def harm_weights(request):
    current = selectors.current_weights()
    form = HarmWeightsForm(request.POST or None, initial=HarmWeightsForm.initial_for(current))
    if request.method == "POST" and form.is_valid():
        try:
            services.save_harm_weights(request.user, form.weights())
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("Harm weights saved. New profiles will use them."))
            return redirect("profiles:harm_weights")
    return render(request, "profiles/harm_weights.html", {
        "form": form, "defaults": selectors.default_weights()})


@requires("profiles.edit")
def soc_fractions(request):
    current = selectors.current_fractions()
    form = SocFractionsForm(request.POST or None, initial=SocFractionsForm.initial_for(current))
    if request.method == "POST" and form.is_valid():
        try:
            services.save_soc_fractions(request.user, form.percentages())
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("SOC fractions saved. New profiles will use them."))
            return redirect("profiles:soc_fractions")
    from .analytics import DEFAULT_SOC_FRACTIONS, SOC_FRACTIONS_SOURCE

    return render(request, "profiles/soc_fractions.html", {
        "form": form, "source": SOC_FRACTIONS_SOURCE,
        "defaults": {t: [round(100 * v, 1) for v in f] for t, f in DEFAULT_SOC_FRACTIONS.items()}})
