"""The areas pages and endpoints for the access matrix in tests/core/test_access_matrix.py."""

PAGES = {
    "areas:explorer": ("areas.view", False),
    "areas:neighbourhoods": ("areas.view", False),
    "areas:neighbourhood_create": ("neighbourhood.manage", False),
    "areas:neighbourhood_edit": ("neighbourhood.manage", False),
    "areas:area": ("areas.view", False),
    "areas:area_geojson": ("areas.view", False),
}

API = {
    "/api/v1/areas": "areas.view",
    "/api/v1/areas/{type}/{code}": "areas.view",
    "/api/v1/areas/{type}/{code}/geojson": "areas.view",
}


def context():
    """A ward with one LSOA, and a neighbourhood the youth agency owns (everyone's agency in
    the matrix), so agency-scoped neighbourhood pages are in scope."""
    from soclocal.accounts.models import Agency
    from soclocal.areas.models import Area, AreaType, Deprivation
    from soclocal.areas.services import create_neighbourhood

    ward = Area.objects.create(type=AreaType.WARD, code="E05012287", name="St. Ann's")
    lsoa = Area.objects.create(
        type=AreaType.LSOA21, code="E01013810", name="Nottingham 001A", population=1500,
        ward=ward, geometry='{"type":"Polygon","coordinates":[[[-1.1,52.9],[-1.0,52.9],'
                           '[-1.0,53.0],[-1.1,52.9]]]}')
    Deprivation.objects.create(area=lsoa, index="imd2025", decile=2, rank=3000, score=40.1)
    hood = create_neighbourhood(None, name="Matrix estate", member_codes=[lsoa.code],
                                owning_agency=Agency.objects.get(name="Test Youth Service"))
    return {"area_type": "ward", "area_code": ward.code, "neighbourhood": hood.area.code}


def url_kwargs(name, ctx):
    if name in ("areas:area", "areas:area_geojson"):
        return {"type": ctx.get("area_type", "ward"), "code": ctx.get("area_code", "E05000001")}
    if name == "areas:neighbourhood_edit":
        return {"code": ctx.get("neighbourhood", "N00001")}
    return None


def api_path(template, ctx):
    return template.format(type=ctx.get("area_type", "ward"),
                           code=ctx.get("area_code", "E05000001"))
