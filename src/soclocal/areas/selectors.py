"""Reading geography: search, an area's LSOAs, its deprivation summary, its map.

Area data is open data every member of staff may see (capability "areas.view", partnership
wide), so these selectors do not filter by agency; editing neighbourhoods is scoped.
"""

import json

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When

from soclocal.core.access import can, scope

from .models import (
    SMALL_AREA_TYPES,
    Area,
    AreaType,
    Deprivation,
    DeprivationIndex,
    Neighbourhood,
)

PARENT_SMALL_AREA_TYPES = (AreaType.LSOA21, AreaType.DZ11)  # small areas parents are built of
MOST_DEPRIVED = (1, 2)  # deciles counted as "most deprived" in summaries


def search_areas(q: str = "", types=None, limit: int | None = 50) -> QuerySet:
    """Areas whose code or name matches, exact codes and name prefixes first."""
    q = (q or "").strip()
    areas = Area.objects.all()
    if types:
        areas = areas.filter(type__in=types)
    if q:
        areas = areas.filter(Q(code__istartswith=q) | Q(name__icontains=q)).annotate(
            match=Case(
                When(code__iexact=q, then=Value(0)),
                When(name__iexact=q, then=Value(1)),
                When(code__istartswith=q, then=Value(2)),
                When(name__istartswith=q, then=Value(3)),
                default=Value(4), output_field=IntegerField(),
            ),
            # Where a code is both a 2011 and a 2021 LSOA, the current geography comes first.
            superseded=Case(When(type=AreaType.LSOA11, then=Value(1)), default=Value(0),
                            output_field=IntegerField()),
        ).order_by("match", "superseded", "name", "code")
    elif not types:
        return Area.objects.none()
    else:
        areas = areas.order_by("name", "code")
    return areas[:limit] if limit else areas


def get_area(area_type: str, code: str) -> Area:
    """One area by type and code (codes are matched without regard to case)."""
    return Area.objects.get(type=area_type, code__iexact=code.strip())


def lsoas_of(area: Area) -> QuerySet:
    """The small areas (LSOAs or data zones) an area is made of; a small area is its own."""
    if area.type in SMALL_AREA_TYPES:
        return Area.objects.filter(pk=area.pk)
    if area.type == AreaType.NEIGHBOURHOOD:
        return Area.objects.filter(in_neighbourhoods__area=area).order_by("name", "code")
    link = {AreaType.WARD: "ward", AreaType.LAD: "lad", AreaType.PFA: "pfa",
            AreaType.IZ11: "iz"}[area.type]
    # A council area's small areas are data zones, an English or Welsh authority's LSOAs.
    return Area.objects.filter(type__in=PARENT_SMALL_AREA_TYPES, **{link: area}).order_by(
        "name", "code")


def areas_within(area: Area) -> set[int]:
    """The ids of the areas wholly inside `area`, itself included: its small areas, and the
    wards, local authorities and force areas whose small areas all lie in it. For filters
    where something held in a ward should count for its local authority too."""
    inside = lsoas_of(area)
    found = {area.pk} | set(inside.values_list("pk", flat=True))
    for link in ("ward", "lad", "pfa", "iz"):
        key = f"{link}_id"
        here = {row[key]: row["n"] for row in inside.exclude(**{f"{link}__isnull": True})
                .order_by().values(key).annotate(n=Count("pk"))}
        everywhere = Area.objects.filter(type__in=PARENT_SMALL_AREA_TYPES,
                                         **{f"{key}__in": here}) \
            .order_by().values(key).annotate(n=Count("pk"))
        found |= {row[key] for row in everywhere if row["n"] == here[row[key]]}
    return found


def primary_index(area: Area) -> str | None:
    """The deprivation index a small area is read against: the newest for its country."""
    if area.type == AreaType.LSOA21:
        # Welsh 2021 LSOAs carry WIMD 2019 from their 2011 LSOAs (areas.imports).
        return DeprivationIndex.WIMD2019 if area.code.startswith("W") else DeprivationIndex.IMD2025
    if area.type == AreaType.DZ11:
        return DeprivationIndex.SIMD2020
    if area.type == AreaType.LSOA11:
        return DeprivationIndex.WIMD2019 if area.code.startswith("W") else DeprivationIndex.IMD2019
    return None


def _readings(lsoas) -> dict[int, Deprivation]:
    """Each small area's reading in its primary index."""
    lsoas = list(lsoas)
    wanted = {primary_index(a) for a in lsoas} - {None}
    readings = {}
    for d in Deprivation.objects.filter(area__in=[a.pk for a in lsoas], index__in=wanted):
        readings.setdefault(d.area_id, {})[d.index] = d
    return {a.pk: readings.get(a.pk, {}).get(primary_index(a)) for a in lsoas}


def lsoa_rows(area: Area) -> list[dict]:
    """The small areas of an area with population and deprivation, for tables and maps."""
    lsoas = list(lsoas_of(area).only("id", "type", "code", "name", "population"))
    readings = _readings(lsoas)
    rows = []
    for lsoa in lsoas:
        d = readings.get(lsoa.pk)
        rows.append({"area": lsoa, "type": lsoa.type, "code": lsoa.code, "name": lsoa.name,
                     "population": lsoa.population, "decile": d.decile if d else None,
                     "rank": d.rank if d else None, "score": d.score if d else None})
    return rows


def deprivation_summary(rows: list[dict]) -> dict | None:
    """How deprived the people of an area are: LSOAs and population in each decile, the
    population-weighted mean score, and the LSOAs in the most deprived fifth (deciles 1-2)."""
    rated = [r for r in rows if r["decile"] is not None]
    if not rated:
        return None
    all_known = all(r["population"] is not None for r in rated)
    total_population = sum(r["population"] or 0 for r in rated) if all_known else None
    deciles = []
    for decile in range(1, 11):
        here = [r for r in rated if r["decile"] == decile]
        people = sum(r["population"] for r in here) if all_known else None
        deciles.append({
            "decile": decile, "lsoas": len(here), "population": people,
            "population_share": (100 * people / total_population)
            if all_known and total_population else None,
        })
    scored = [r for r in rated if r["score"] is not None]
    mean_score, weighted = None, False
    if scored:
        if all_known and sum(r["population"] for r in scored):
            weighted = True
            mean_score = (sum(r["score"] * r["population"] for r in scored)
                          / sum(r["population"] for r in scored))
        else:
            mean_score = sum(r["score"] for r in scored) / len(scored)
    most = [r for r in rated if r["decile"] in MOST_DEPRIVED]
    return {
        "lsoas": len(rows), "rated": len(rated), "deciles": deciles,
        "population": total_population,
        "most_deprived_lsoas": len(most),
        "most_deprived_population": sum(r["population"] for r in most) if all_known else None,
        "most_deprived_share": (100 * sum(r["population"] for r in most) / total_population)
        if all_known and total_population else None,
        "mean_score": mean_score, "mean_score_weighted": weighted,
        "indices": sorted({DeprivationIndex(primary_index(r["area"])).label for r in rated}),
    }


def parents_of(area: Area) -> list[Area]:
    """The ward, local authority and police force area an area sits in, where known."""
    if area.type == AreaType.LSOA21:
        return [a for a in (area.ward, area.lad, area.pfa) if a is not None]
    if area.type == AreaType.DZ11:
        return [a for a in (area.iz, area.lad) if a is not None]
    if area.type == AreaType.IZ11:
        council = lsoas_of(area).exclude(lad__isnull=True).values_list("lad_id", flat=True)
        return list(Area.objects.filter(pk__in=council.distinct()).order_by("name"))
    if area.type in (AreaType.WARD, AreaType.LAD):
        parent_ids = set()
        for lad_id, pfa_id in lsoas_of(area).values_list("lad_id", "pfa_id"):
            if area.type == AreaType.WARD:
                parent_ids.add(lad_id)
            parent_ids.add(pfa_id)
        parent_ids.discard(None)
        return list(Area.objects.filter(pk__in=parent_ids).order_by("type", "name"))
    return []


NATION_INDEX = {"england": DeprivationIndex.IMD2025, "wales": DeprivationIndex.WIMD2019,
                "scotland": DeprivationIndex.SIMD2020}


def nation_of(area: Area) -> str:
    """'scotland', 'wales' or 'england', from the area's type and code (GSS codes start with
    the nation's letter)."""
    if area.type in (AreaType.DZ11, AreaType.IZ11) or area.code.startswith("S"):
        return "scotland"
    return "wales" if area.code.startswith("W") else "england"


# What to import for each missing level, so the page can say what is not there.
MISSING_FILES = {
    "small areas": {"scotland": ("data zones", "the data zone lookup (dz11_iz11_ltla20.csv)"),
                    "wales": ("LSOAs", "the LSOA to ward lookup (lsoa21_ward24_ltla24.csv)"),
                    "england": ("LSOAs", "the LSOA to ward lookup (lsoa21_ward24_ltla24.csv)")},
    "boundaries": {"scotland": ("data zone boundaries", "dz11.geojson"),
                   "wales": ("LSOA boundaries", "lsoa21.geojson"),
                   "england": ("LSOA boundaries", "lsoa21.geojson")},
    "deprivation": {"scotland": ("SIMD 2020", "simd2020_scotland_dz11.csv"),
                    "wales": ("WIMD 2019", "wimd2019_wales_lsoa11.csv"),
                    "england": ("IMD 2025", "imd2025_england_lsoa21.csv")},
}


def missing_levels(area: Area, rows: list[dict]) -> list[str]:
    """Plain sentences naming each level of geography this area's page lacks, and the file
    that would fill it, rather than showing empty results."""
    if area.type == AreaType.NEIGHBOURHOOD:
        return []
    nation = nation_of(area)
    if not rows:
        what, file = MISSING_FILES["small areas"][nation]
        return [f"No {what} are loaded for this area, so there is nothing to map or count: "
                f"import {file}."]
    missing = []
    if not lsoas_of(area).exclude(geometry__isnull=True).exclude(geometry="").exists():
        what, file = MISSING_FILES["boundaries"][nation]
        missing.append(f"No {what} are loaded, so the map cannot be drawn: import {file}.")
    if all(r["decile"] is None for r in rows):
        what, file = MISSING_FILES["deprivation"][nation]
        missing.append(f"{what} is not loaded for these areas: import {file}.")
    return missing


def area_detail(area: Area) -> dict:
    """Everything the area page and the API show about one area."""
    rows = lsoa_rows(area)
    # One summary per index: an area spanning a border is read against each nation's own
    # index, never mixed in one decile table.
    indices = sorted({primary_index(r["area"]) for r in rows if r["decile"] is not None})
    summaries = [deprivation_summary([r for r in rows if primary_index(r["area"]) == i])
                 for i in indices]
    detail = {"area": area, "parents": parents_of(area), "lsoas": rows,
              "summary": summaries[0] if len(summaries) == 1 else None,
              "summaries": summaries, "neighbourhood": None,
              "missing": missing_levels(area, rows)}
    if area.type == AreaType.NEIGHBOURHOOD:
        detail["neighbourhood"] = (Neighbourhood.objects
                                   .select_related("owning_agency", "created_by")
                                   .get(area=area))
    return detail


def geojson_of(area: Area) -> dict:
    """A FeatureCollection of the area's LSOAs or data zones (an LSOA: its own boundary)."""
    features = []
    geometries = dict(lsoas_of(area).values_list("id", "geometry"))
    for row in lsoa_rows(area):
        geometry = geometries.get(row["area"].pk)
        if not geometry:
            continue
        features.append({
            "type": "Feature", "id": row["code"], "geometry": json.loads(geometry),
            "properties": {"code": row["code"], "name": row["name"], "type": row["type"],
                           "imd_decile": row["decile"], "population": row["population"]},
        })
    return {"type": "FeatureCollection", "features": features}


def neighbourhood_list(user) -> list[dict]:
    """Every neighbourhood (area data is partnership-wide), saying which the user may edit."""
    editable = set(scope(user, "neighbourhood.manage", Neighbourhood.objects.all())
                   .values_list("pk", flat=True)) if can(user, "neighbourhood.manage") else set()
    hoods = Neighbourhood.objects.select_related("area", "owning_agency")
    return [{"neighbourhood": n, "area": n.area, "members": n.members.count(),
             "can_edit": n.pk in editable} for n in hoods]


def editable_neighbourhood(user, code: str) -> Neighbourhood:
    """A neighbourhood the user may change; DoesNotExist if not (or not there)."""
    return (scope(user, "neighbourhood.manage", Neighbourhood.objects.all())
            .select_related("area").get(area__code__iexact=code))


def can_edit_neighbourhood(user, neighbourhood: Neighbourhood) -> bool:
    return scope(user, "neighbourhood.manage",
                 Neighbourhood.objects.filter(pk=neighbourhood.pk)).exists()


def authorities_with_lsoas() -> QuerySet:
    """Local authorities a neighbourhood can be drawn within (those with LSOAs loaded)."""
    return Area.objects.filter(type=AreaType.LAD, lad_lsoas__isnull=False).distinct().order_by(
        "name")


def lsoa_at(longitude: float, latitude: float) -> Area | None:
    """The LSOA 2021 (with its ward) whose loaded boundary holds a point, or None."""
    return lsoas_at([(longitude, latitude)])[0]


def lsoas_at(points) -> list[Area | None]:
    """For many (longitude, latitude) points at once, the LSOA 2021 holding each, or None.

    The boundaries are read and indexed once per call, so place points in batches."""
    import shapely

    points = list(points)
    lsoas = list(Area.objects.filter(type=AreaType.LSOA21, geometry__isnull=False)
                 .exclude(geometry="").values_list("pk", "geometry"))
    if not lsoas or not points:
        return [None] * len(points)
    tree = shapely.STRtree(shapely.from_geojson([g for _, g in lsoas], on_invalid="ignore"))
    found = [None] * len(points)
    hits = tree.query(shapely.points(points), predicate="within")
    for point_index, lsoa_index in zip(*hits, strict=True):
        found[point_index] = lsoas[lsoa_index][0]
    areas = Area.objects.select_related("ward").in_bulk([pk for pk in found if pk])
    return [areas.get(pk) for pk in found]
