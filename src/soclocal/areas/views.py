"""The area explorer: search, area pages with a deprivation map, custom neighbourhoods."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from soclocal.core.access import can, get_scoped_or_404, requires
from soclocal.core.forms import add_service_errors

from . import selectors, services
from .forms import NeighbourhoodForm, SearchForm, WithinForm
from .models import Area, AreaType, Neighbourhood

SEARCH_LIMIT = 100


def _area_or_404(area_type, code) -> Area:
    try:
        return selectors.get_area(area_type, code)
    except Area.DoesNotExist:
        raise Http404("No such area") from None


def _map_context():
    return {"map_tiles": settings.MAP_TILES, "deciles": range(1, 11)}


@requires("areas.view")
def explorer(request):
    form = SearchForm(request.GET or None)
    results, more = None, False
    if form.is_valid() and (form.cleaned_data["q"] or form.cleaned_data["type"]):
        types = [form.cleaned_data["type"]] if form.cleaned_data["type"] else None
        results = list(selectors.search_areas(form.cleaned_data["q"], types,
                                              limit=SEARCH_LIMIT + 1))
        more, results = len(results) > SEARCH_LIMIT, results[:SEARCH_LIMIT]
    return render(request, "areas/explorer.html", {
        "form": form, "results": results, "more": more, "limit": SEARCH_LIMIT,
        "can_manage": can(request.user, "neighbourhood.manage"),
    })


@requires("areas.view")
def area_detail(request, type, code):
    area = _area_or_404(type, code)
    detail = selectors.area_detail(area)
    hood = detail["neighbourhood"]
    return render(request, "areas/area_detail.html", {
        **detail, **_map_context(),
        "can_edit": hood is not None and selectors.can_edit_neighbourhood(request.user, hood),
        "geojson_url": reverse("areas:area_geojson", args=[area.type, area.code]),
    })


@requires("areas.view")
def area_geojson(request, type, code):
    return JsonResponse(selectors.geojson_of(_area_or_404(type, code)))


@requires("areas.view")
def neighbourhood_list(request):
    return render(request, "areas/neighbourhood_list.html", {
        "neighbourhoods": selectors.neighbourhood_list(request.user),
        "can_manage": can(request.user, "neighbourhood.manage"),
    })


def _within(value) -> Area | None:
    """The area a neighbourhood is drawn within, from 'lad/E06000018'."""
    area_type, _, code = (value or "").partition("/")
    if area_type not in AreaType.values or not code:
        return None
    try:
        return selectors.get_area(area_type, code)
    except Area.DoesNotExist:
        return None


def _member_choices(within, current):
    rows = selectors.lsoa_rows(within) if within else []
    seen = {r["code"] for r in rows}
    rows += [r for r in current if r["code"] not in seen]
    return [(r["code"], (_("%(name)s (%(code)s), deprivation decile %(decile)s") if r["decile"]
                         else _("%(name)s (%(code)s)")) % r) for r in rows]


def _neighbourhood_page(request, *, hood=None):
    current = selectors.lsoa_rows(hood.area) if hood else []
    data = request.POST if request.method == "POST" else None
    within_value = (data or request.GET).get("within", "")
    within = _within(within_value)
    if within is None and current and current[0]["area"].type == AreaType.LSOA21:
        # Editing: offer the local authority of its first LSOA to choose from.
        within = Area.objects.filter(lad_lsoas__pk=current[0]["area"].pk).first()
    within_value = f"{within.type}/{within.code}" if within else ""
    initial = {"within": within_value}
    if hood:
        initial.update(name=hood.area.name, description=hood.description,
                       members=[r["code"] for r in current])
    form = NeighbourhoodForm(data, initial=initial,
                             member_choices=_member_choices(within, current))
    if data is not None and form.is_valid():
        codes = form.cleaned_data["members"] + services.parse_codes(form.cleaned_data["codes"])
        fields = {"name": form.cleaned_data["name"], "member_codes": codes,
                  "description": form.cleaned_data["description"]}
        try:
            if hood is None:
                hood = services.create_neighbourhood(request.user, **fields)
                messages.success(request, _("Neighbourhood ‘%(name)s’ created.")
                                 % {"name": hood.area.name})
            else:
                services.update_neighbourhood(request.user, hood, **fields)
                messages.success(request, _("Neighbourhood ‘%(name)s’ saved.")
                                 % {"name": hood.area.name})
            return redirect("areas:area", AreaType.NEIGHBOURHOOD, hood.area.code)
        except ValidationError as e:
            add_service_errors(form, e)
    return render(request, "areas/neighbourhood_form.html", {
        **_map_context(), "form": form, "hood": hood, "within": within,
        "within_form": WithinForm(initial={"within": within_value}, auto_id="pick_%s",
                                  authorities=selectors.authorities_with_lsoas()),
        "geojson_url": reverse("areas:area_geojson", args=[within.type, within.code])
        if within else "",
    })


@requires("neighbourhood.manage")
def neighbourhood_create(request):
    return _neighbourhood_page(request)


@requires("neighbourhood.manage")
def neighbourhood_edit(request, code):
    hood = get_scoped_or_404(request.user, "neighbourhood.manage",
                             Neighbourhood.objects.select_related("area"),
                             area__code__iexact=code)
    return _neighbourhood_page(request, hood=hood)
