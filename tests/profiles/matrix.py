"""The profiles pages and endpoints for the access matrix in tests/core/test_access_matrix.py."""

PAGES = {
    "profiles:list": ("profiles.view_shared", False),
    "profiles:build": ("profiles.edit", False),
    "profiles:harm_weights": ("profiles.edit", False),
    "profiles:soc_fractions": ("profiles.edit", False),
    "profiles:profile": ("profiles.view_shared", False),
    "profiles:edit": ("profiles.edit", False),
    "profiles:geojson": ("profiles.view_shared", False),
    "profiles:download": ("profiles.view_shared", False),
}

API = {
    "/api/v1/profiles": "profiles.view_shared",
    "/api/v1/profiles/{profile_id}": "profiles.view_shared",
}


def context():
    """A profile of a one-LSOA ward built over an empty crime store."""
    import tempfile
    from pathlib import Path

    from soclocal.areas.models import Area, AreaType
    from soclocal.core import engines
    from soclocal.profiles.services import build_profile

    ward, _ = Area.objects.get_or_create(type=AreaType.WARD, code="E05099999",
                                         defaults={"name": "Matrix ward"})
    Area.objects.get_or_create(type=AreaType.LSOA21, code="E01099999",
                               defaults={"name": "Matrix 001A", "population": 1200, "ward": ward})
    con = engines.connect("duckdb", base=Path(tempfile.mkdtemp()))  # an empty store
    version = build_profile(None, ward, "2024-01", "2024-02", con=con)
    return {"profile": version.pk}


def url_kwargs(name, ctx):
    if name == "profiles:download":
        return {"pk": ctx.get("profile", 1), "fmt": "json"}
    if name in ("profiles:profile", "profiles:edit", "profiles:geojson"):
        return {"pk": ctx.get("profile", 1)}
    return None


def api_path(template, ctx):
    return template.format(profile_id=ctx.get("profile", 1))
