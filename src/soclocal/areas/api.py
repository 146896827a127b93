"""Geography over the API: search areas, read one, fetch its LSOAs as GeoJSON."""

from ninja import Query, Router, Schema
from ninja.errors import HttpError

from soclocal.core.access import demand

from . import selectors
from .models import Area, AreaType

router = Router(tags=["areas"])


class AreaOut(Schema):
    type: str
    code: str
    name: str
    population: int | None


class DecileOut(Schema):
    decile: int
    lsoas: int
    population: int | None
    population_share: float | None


class DeprivationSummaryOut(Schema):
    indices: list[str]
    lsoas: int
    rated: int
    population: int | None
    deciles: list[DecileOut]
    most_deprived_lsoas: int
    most_deprived_population: int | None
    most_deprived_share: float | None
    mean_score: float | None
    mean_score_weighted: bool


class LsoaOut(Schema):
    type: str
    code: str
    name: str
    population: int | None
    decile: int | None
    rank: float | None
    score: float | None


class AreaDetailOut(AreaOut):
    type_label: str
    population_source: str
    parents: list[AreaOut]
    lsoas: list[LsoaOut]
    deprivation: DeprivationSummaryOut | None


def _area_or_404(area_type, code) -> Area:
    if area_type not in AreaType.values:
        raise HttpError(404, f"There is no area type '{area_type}'.")
    try:
        return selectors.get_area(area_type, code)
    except Area.DoesNotExist:
        raise HttpError(404, f"There is no {area_type} with code '{code}'.") from None


_ONE_TYPE = "(" + "|".join(AreaType.values) + ")"
_TYPE_LIST = f"^({_ONE_TYPE}(,{_ONE_TYPE})*)?$"


@router.get("/areas", response=list[AreaOut], summary="Search areas by name or code")
def search_areas(request, q: str = "",
                 type: str = Query("", pattern=_TYPE_LIST,
                                   description="area types, separated by commas"),
                 limit: int = 50):
    demand(request, "areas.view")
    types = [t for t in type.split(",") if t]
    unknown = set(types) - set(AreaType.values)
    if unknown:
        raise HttpError(422, f"Unknown area type: {', '.join(sorted(unknown))}. "
                             f"Known types: {', '.join(AreaType.values)}.")
    return list(selectors.search_areas(q, types, limit=max(1, min(limit, 500))))


@router.get("/areas/{type}/{code}", response=AreaDetailOut, summary="One area in detail")
def area_detail(request, type: str, code: str):
    demand(request, "areas.view")
    area = _area_or_404(type, code)
    detail = selectors.area_detail(area)
    return {
        "type": area.type, "code": area.code, "name": area.name,
        "population": area.population, "population_source": area.population_source,
        "type_label": area.type_label, "parents": detail["parents"],
        "lsoas": detail["lsoas"], "deprivation": detail["summary"],
    }


@router.get("/areas/{type}/{code}/geojson", summary="The area's LSOAs or data zones as GeoJSON")
def area_geojson(request, type: str, code: str):
    demand(request, "areas.view")
    return selectors.geojson_of(_area_or_404(type, code))
