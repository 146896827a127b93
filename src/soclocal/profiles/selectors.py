"""Reading profiles. Profiles are partnership-wide aggregates: everyone with a profiles
capability sees every profile, but only analysts' roles see the full version; the rest see
the sharing version, with small counts hidden."""

from django.db.models import QuerySet

from soclocal.core.access import can, get_scoped_or_404, scope

from . import report
from .analytics import DEFAULT_HARM_WEIGHTS, DEFAULT_SOC_FRACTIONS
from .models import HarmWeight, ProfileVersion, SocFraction


def weighted_types() -> dict:
    """The crime types a partnership weighs, by source: police.uk's street crime, and Police
    Scotland's recorded crime once Scottish data zones are loaded (a type named in both, such
    as robbery, has one weight, listed with police.uk's)."""
    from soclocal.areas.models import Area, AreaType

    from . import scotland

    found = {"police.uk": list(DEFAULT_HARM_WEIGHTS)}
    if Area.objects.filter(type=AreaType.DZ11).exists():
        found["Police Scotland"] = [t for t in scotland.CRIME_TYPES
                                    if t not in DEFAULT_HARM_WEIGHTS]
    return found


def weighted_type_names() -> list:
    return [t for types in weighted_types().values() for t in types]


def default_weights() -> dict:
    """Each weighted type's default weight in days."""
    from . import scotland

    scottish = {t: w for t, (w, _source) in scotland.DEFAULT_HARM_WEIGHTS.items()}
    return {t: DEFAULT_HARM_WEIGHTS.get(t, scottish.get(t)) for t in weighted_type_names()}


def current_weights() -> dict:
    """Each weighted type's weight: the partnership's where it set one, else the default."""
    saved = {w.crime_type: float(w.weight) for w in HarmWeight.objects.all()}
    return {t: saved.get(t, w) for t, w in default_weights().items()}


def current_fractions() -> dict:
    """Each crime type's (low, central, high) SOC-attributable fraction: the partnership's,
    else the default."""
    saved = {f.crime_type: (float(f.low), float(f.central), float(f.high))
             for f in SocFraction.objects.all()}
    return {t: saved.get(t, f) for t, f in DEFAULT_SOC_FRACTIONS.items()}


def sees_full_version(user) -> bool:
    return can(user, "profiles.view")


def profile_list(user) -> QuerySet:
    return (scope(user, "profiles.view_shared", ProfileVersion.objects.all())
            .select_related("area", "built_by").defer("figures"))


def get_profile(user, pk) -> ProfileVersion:
    return get_scoped_or_404(user, "profiles.view_shared",
                             ProfileVersion.objects.select_related("area", "built_by"), pk=pk)


def document(version: ProfileVersion, *, sharing: bool) -> dict:
    """The profile as one document: what it is, where it came from, its texts and figures."""
    figures = report.sharing_version(version.figures) if sharing else version.figures
    imports = sorted({s["import_id"] for s in version.source if s.get("import_id") is not None})
    return {
        "schema": figures.get("schema"),
        "profile": {"id": version.pk, "version": version.version,
                    "built_at": version.built_at.isoformat(),
                    "built_by": version.built_by.get_full_name() if version.built_by else "",
                    "sharing": sharing, "title": version.title},
        "provenance": {
            "statement": provenance(version),
            "source": "police.uk street-level crime (Open Government Licence v3.0)",
            "partitions": version.source, "imports": imports,
        },
        "texts": [{"key": k, "title": label, "text": version.texts.get(k, "")}
                  for k, label in report.SECTIONS],
        **figures,
    }


def provenance(version: ProfileVersion) -> str:
    months = sorted({s["month"] for s in version.source})
    loaded = (f"{report.month_label(months[0])} to {report.month_label(months[-1])}"
              if months else "no months")
    imports = sorted({s["import_id"] for s in version.source if s.get("import_id") is not None})
    stamps = sorted(s["imported_at"][:10] for s in version.source if s.get("imported_at"))
    when = ""
    if stamps:
        when = f", imported on {stamps[0]}" + (f" to {stamps[-1]}" if stamps[-1] != stamps[0] else "")
    return (f"Built on {version.built_at:%d %B %Y at %H:%M} from police.uk data for {loaded}"
            f" ({sum(s['rows'] for s in version.source):,} records"
            + (f", import{'s' if len(imports) > 1 else ''} {', '.join(map(str, imports))}"
               if imports else "") + f"){when}.")


def map_features(version: ProfileVersion, doc: dict) -> dict:
    """The profile's small areas as GeoJSON with their rate and hotspot, for the map."""
    import json

    from soclocal.areas.models import Area, AreaType

    rows = {r["code"]: r for r in doc["lsoas"]}
    geometries = dict(Area.objects.filter(type__in=(AreaType.LSOA21, AreaType.DZ11),
                                          code__in=list(rows))
                      .values_list("code", "geometry"))
    features = []
    for code, r in rows.items():
        if not geometries.get(code):
            continue
        features.append({"type": "Feature", "id": code, "geometry": json.loads(geometries[code]),
                         "properties": {"code": code, "name": r["name"], "count": r["count"],
                                        "imd_decile": r.get("imd_decile"),
                                        "rate": r["rate"], "hotspot": r.get("hotspot", ""),
                                        "cluster": r.get("moran", "")}})
    return {"type": "FeatureCollection", "features": features}
