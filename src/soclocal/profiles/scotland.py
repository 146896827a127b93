"""Profiles of Scottish areas: figures from Police Scotland extracts over data zones and SIMD.

A Scottish area's crime comes from the store's `recorded_counts` (see crime/scotland.py):
counts by month, data zone, crime group and crime type. The profile has the same shape as an
English or Welsh one (so the report, map and files read it alike) with the Scottish crime
types in place of police.uk's, and adds `crime_groups` and `counts_by_crime_group`.
Deprivation is SIMD 2020, which publishes ranks and deciles but no scores, so similarity and
the correlation with crime use the population-weighted SIMD rank.
"""

from collections import defaultdict

from soclocal.crime.scotland import CRIME_GROUPS, FORCE, KIND

from . import analytics, statistics
from .analytics import _rate, _round, find_hotspots, month_add, months_between

CRIME_TYPES = tuple(t for types in CRIME_GROUPS.values() for t in types)
GROUP_OF = {t: g for g, types in CRIME_GROUPS.items() for t in types}
INDEX_LABEL = "Scottish Index of Multiple Deprivation 2020"

# Harm: days of imprisonment, Cambridge Crime Harm Index starting points as in the English
# blend (decision 0008) where a Scottish category matches an English offence; otherwise an
# assumption, marked as such (decision 0059 gives each reason). Set a partnership's own with a
# harm weight of the same crime type name.
SOURCED, ASSUMED = "Cambridge Crime Harm Index (decision 0008)", "Assumption (decision 0059)"
DEFAULT_HARM_WEIGHTS: dict[str, tuple[float, str]] = {
    "Homicide etc.": (5475.0, "Cambridge Crime Harm Index: murder"),
    "Attempted murder and serious assault": (365.0, SOURCED + ": violence with injury"),
    "Robbery": (365.0, SOURCED),
    "Common assault": (10.0, SOURCED + ": violence without injury"),
    "Domestic abuse": (10.0, ASSUMED + ": as stalking and harassment"),
    "Stalking": (10.0, SOURCED + ": stalking and harassment"),
    "Threats and extortion": (10.0, ASSUMED),
    "Cruelty to and neglect of children": (182.0, ASSUMED),
    "Other non-sexual violence": (10.0, ASSUMED),
    "Rape and attempted rape": (2555.0, SOURCED + ": rape"),
    "Sexual assault": (182.0, SOURCED + ": other sexual offences"),
    "Crimes associated with prostitution": (10.0, ASSUMED),
    "Other sexual crimes": (182.0, SOURCED + ": other sexual offences"),
    "Housebreaking": (246.5, SOURCED + ": burglary blend"),
    "Theft by opening a lockfast place": (5.0, ASSUMED + ": as vehicle crime"),
    "Theft from a motor vehicle": (5.0, SOURCED + ": vehicle crime"),
    "Theft of a motor vehicle": (5.0, SOURCED + ": vehicle crime"),
    "Shoplifting": (1.0, SOURCED),
    "Other theft": (2.0, SOURCED),
    "Fraud": (2.0, ASSUMED + ": as other theft"),
    "Other dishonesty": (2.0, ASSUMED + ": as other theft"),
    "Fire-raising": (185.0, SOURCED + ": arson"),
    "Vandalism": (2.0, SOURCED + ": criminal damage"),
    "Culpable and reckless conduct": (10.0, ASSUMED),
    "Crimes against public justice": (10.0, ASSUMED + ": as other crime"),
    "Drugs - Supply": (5.0, SOURCED + ": trafficking"),
    "Drugs - Possession": (3.0, SOURCED + ": possession"),
    "Other drugs offences": (3.5, SOURCED + ": drugs blend"),
    "Weapons possession (not used)": (273.75, SOURCED + ": possession of weapons"),
    "Weapons possession (used)": (273.75, ASSUMED + ": as possession of weapons"),
    "Offences relating to serious organised crime": (365.0, ASSUMED),
    "Other crimes against society": (10.0, ASSUMED + ": as other crime"),
    "Threatening and abusive behaviour": (7.5, SOURCED + ": public order"),
    "Racially aggravated conduct": (7.5, SOURCED + ": public order"),
    "Drunkenness and other disorderly conduct": (0.0, ASSUMED + ": as anti-social behaviour"),
    "Urinating etc.": (0.0, ASSUMED + ": as anti-social behaviour"),
    "Licensing offences": (0.0, ASSUMED),
    "Wildlife offences": (0.0, ASSUMED),
    "Communications Act offences": (7.5, ASSUMED + ": as public order"),
    "Environmental offences": (0.0, ASSUMED),
    "Other miscellaneous offences": (0.0, ASSUMED),
    "Dangerous and careless driving": (10.0, ASSUMED),
    "Driving under the influence": (10.0, ASSUMED),
    "Speeding": (0.0, ASSUMED),
    "Unlawful use of vehicle": (0.0, ASSUMED),
    "Vehicle defect offences": (0.0, ASSUMED),
    "Seat belt offences": (0.0, ASSUMED),
    "Mobile phone offences": (0.0, ASSUMED),
    "Other road traffic offences": (0.0, ASSUMED),
}

# Crime types often linked to SOC (drugs, weapons, serious violence), never called SOC; and
# the one type that is itself a serious organised crime marker (Criminal Justice and
# Licensing (Scotland) Act 2010, sections 28 to 31).
SOC_TYPES = ("Drugs - Supply", "Drugs - Possession", "Other drugs offences",
             "Weapons possession (not used)", "Weapons possession (used)", "Robbery",
             "Attempted murder and serious assault",
             "Offences relating to serious organised crime")
SOC_MARKER_TYPE = "Offences relating to serious organised crime"
# Shares attributable to SOC (low, central, high): assumptions as for England (decision 0022).
DEFAULT_SOC_FRACTIONS = {
    **{t: (0.0, 0.0, 0.0) for t in CRIME_TYPES},
    "Drugs - Supply": (0.2, 0.4, 0.6), "Drugs - Possession": (0.05, 0.15, 0.3),
    "Other drugs offences": (0.05, 0.15, 0.3), "Weapons possession (not used)": (0.05, 0.1, 0.2),
    "Weapons possession (used)": (0.05, 0.1, 0.2), "Robbery": (0.05, 0.1, 0.2),
    "Attempted murder and serious assault": (0.01, 0.03, 0.05),
    "Housebreaking": (0.01, 0.03, 0.06), "Shoplifting": (0.01, 0.03, 0.06),
    "Theft of a motor vehicle": (0.02, 0.05, 0.1), "Fraud": (0.02, 0.05, 0.1),
    SOC_MARKER_TYPE: (1.0, 1.0, 1.0),
}
SIMILAR_METHOD = (f"The {analytics.SIMILAR_AREAS} Scottish areas of the same type, with crime "
                  "loaded for the period, whose population-weighted mean SIMD 2020 rank is "
                  "nearest this area's (SIMD publishes ranks, not scores).")


def is_scottish(area) -> bool:
    from soclocal.areas.models import Area
    from soclocal.areas.selectors import nation_of

    return isinstance(area, Area) and nation_of(area) == "scotland"


def current_weights() -> dict:
    """Each Scottish crime type's harm weight: the partnership's where it set one (a harm
    weight with the type's name), else the default."""
    from .models import HarmWeight

    saved = {w.crime_type: float(w.weight)
             for w in HarmWeight.objects.filter(crime_type__in=CRIME_TYPES)}
    return {t: saved.get(t, w) for t, (w, _source) in DEFAULT_HARM_WEIGHTS.items()}


def _zones(area):
    """The area's data zones with population, SIMD reading and boundary."""
    from soclocal.areas.models import Deprivation, DeprivationIndex
    from soclocal.areas.selectors import lsoas_of

    zones = list(lsoas_of(area))
    simd = {d.area_id: d for d in Deprivation.objects.filter(
        area__in=zones, index=DeprivationIndex.SIMD2020)}
    return [{"code": z.code, "name": z.name, "population": z.population,
             "imd_decile": simd[z.pk].decile if z.pk in simd else None,
             "simd_rank": simd[z.pk].rank if z.pk in simd else None,
             "domains": simd[z.pk].domains if z.pk in simd else {},
             "geometry": z.geometry} for z in zones]


def _mean_rank(zones):
    rated = [(z["simd_rank"], z["population"]) for z in zones if z["simd_rank"] and z["population"]]
    people = sum(p for _r, p in rated)
    return sum(r * p for r, p in rated) / people if people else None


def parent_of(area):
    """A data zone's or intermediate zone's council area; a council area has none above it
    in the store (Police Scotland is one force)."""
    from soclocal.areas.models import AreaType

    if area.type in (AreaType.DZ11, AreaType.IZ11) and area.lad_id:
        return type(area).objects.defer("geometry").get(pk=area.lad_id)
    return None


def similar_areas(area, with_crime: set, n=analytics.SIMILAR_AREAS):
    """Scottish areas of the same type nearest in population-weighted SIMD rank."""
    from soclocal.areas.models import Area, AreaType, Deprivation, DeprivationIndex

    link = {AreaType.LAD: "lad_id", AreaType.IZ11: "iz_id", AreaType.DZ11: "pk"}.get(area.type)
    if link is None:
        return []
    ranks = dict(Deprivation.objects.filter(index=DeprivationIndex.SIMD2020)
                 .values_list("area_id", "rank"))
    groups = defaultdict(list)
    for row in Area.objects.filter(type=AreaType.DZ11).values("pk", "code", "population",
                                                              "iz_id", "lad_id"):
        if row[link] is not None:
            groups[row[link]].append(row)
    candidates = {}
    for key, members in groups.items():
        if key != area.pk and not any(m["code"] in with_crime for m in members):
            continue
        mean = _mean_rank([{"simd_rank": ranks.get(m["pk"]), "population": m["population"]}
                           for m in members])
        if mean is not None:
            candidates[key] = mean
    mine = candidates.pop(area.pk, None)
    if mine is None:
        return []
    nearest = sorted((abs(rank - mine), key) for key, rank in candidates.items())[:n]
    found = Area.objects.in_bulk([key for _d, key in nearest])
    return [found[key] for _d, key in nearest]


SQL_MONTHS = f"SELECT DISTINCT month FROM {KIND} WHERE force = '{FORCE}' ORDER BY month"
SQL_WITH_CRIME = f"SELECT DISTINCT data_zone FROM {KIND} WHERE month BETWEEN $from AND $to"
SQL_BY_GROUP = f"""
SELECT g.grp, r.crime_type, sum(r.count)::BIGINT
FROM {KIND} r JOIN profile_zones g ON r.data_zone = g.code
WHERE r.month BETWEEN $from AND $to GROUP BY ALL
"""
SQL_MONTHLY = f"""
SELECT r.month, r.crime_type, sum(r.count)::BIGINT
FROM {KIND} r JOIN profile_zones g ON r.data_zone = g.code AND g.grp = 'area'
WHERE r.month BETWEEN $earlier AND $to GROUP BY ALL
"""
SQL_BY_ZONE = f"""
SELECT r.data_zone, r.crime_type, sum(r.count)::BIGINT
FROM {KIND} r JOIN profile_zones g ON r.data_zone = g.code AND g.grp = 'area'
WHERE r.month BETWEEN $from AND $to GROUP BY ALL
"""
SQL_TYPES = f"SELECT DISTINCT crime_type, crime_group FROM {KIND} ORDER BY 1"
SQL_SOURCE = f"""
SELECT month, import_id, count(*), sum(count)::BIGINT FROM {KIND}
WHERE month BETWEEN $from AND $to GROUP BY ALL ORDER BY month
"""


def _register(con, groups):
    grp, codes = [], []
    for name, zones in groups:
        grp += [name] * len(zones)
        codes += [z["code"] for z in zones]
    con.table("profile_zones", [("grp", "VARCHAR", grp), ("code", "VARCHAR", codes)])


def _by_group(counts: dict, groups: dict) -> dict:
    return {g: sum(counts.get(t, 0) for t in types) for g, types in groups.items()}


def _groups_held(con) -> dict:
    """The crime groups with their published types, and after them any other type an extract
    recorded under a group (kept as the extract named it, counted in its group)."""
    groups = {g: list(types) for g, types in CRIME_GROUPS.items()}
    for crime_type, group in con.rows(SQL_TYPES):
        if crime_type not in GROUP_OF and group in groups and crime_type not in groups[group]:
            groups[group].append(crime_type)
    return groups


def _comparator(role, area, zones, counts, weights, groups):
    population = sum(z["population"] or 0 for z in zones) or None
    total = sum(counts.values())
    harm = sum(n * weights.get(t, 0) for t, n in counts.items())
    described = analytics._describe(area)
    return {"role": role, **described, "population": population,
            "imd_score": None, "simd_mean_rank": _round(_mean_rank(zones)),
            "counts": counts, "counts_by_crime_group": _by_group(counts, groups), "total": total,
            "rates": {t: _rate(n, population) for t, n in counts.items()},
            "rate_total": _rate(total, population), "harm_per_1000": _rate(harm, population)}


def _trend(by_month, months, loaded, groups):
    types_held = [t for types in groups.values() for t in types]
    earlier = [month_add(m, -12) for m in months]
    monthly = [{"month": m, "counts": {t: by_month[m].get(t, 0) for t in types_held},
                "total": sum(by_month[m].values())} for m in months if m in loaded]
    available = all(m in loaded for m in earlier)
    changes = []
    if available:
        for group in (*groups, "All crime"):
            types = groups.get(group, types_held)

            def count(ms, types=types):
                return sum(by_month[m].get(t, 0) for m in ms for t in types)
            now, before = count(months), count(earlier)
            p = statistics.binomial_half_p(now, now + before)
            changes.append({"crime_type": group, "current": now, "previous": before,
                            "change": now - before,
                            "change_pct": _round(100 * (now - before) / before) if before
                            else None, "p_value": _round(p, 4)})
        q = statistics.false_discovery_control([c["p_value"] for c in changes])
        for c, qv in zip(changes, q, strict=True):
            c["q_value"] = _round(float(qv), 4)
            c["flag"] = ("up" if c["change"] > 0 else "down") if qv < analytics.SIGNIFICANCE \
                else None
    return {"monthly": monthly, "year_on_year": changes, "available": available,
            "earlier_months": [earlier[0], earlier[-1]],
            "test": "Exact conditional test of two Poisson counts (binomial, p = 0.5), "
                    "Benjamini-Hochberg corrected across crime groups, 5% false discovery "
                    "rate."}


def _deprivation(table, zones):
    """Crime by SIMD decile, its correlation with SIMD rank, and the SIMD domains."""
    by_decile = []
    for decile in range(1, 11):
        here = [r for r in table if r["imd_decile"] == decile]
        people = sum(r["population"] or 0 for r in here)
        count = sum(r["count"] for r in here)
        by_decile.append({"decile": decile, "lsoas": len(here), "population": people,
                          "count": count, "rate": _rate(count, people)})
    ranks = {z["code"]: z["simd_rank"] for z in zones}
    # Rank 1 is the most deprived: its negative rises with deprivation, as a score does.
    paired = [(-ranks[r["code"]], r["rate"]) for r in table
              if ranks.get(r["code"]) and r["rate"] is not None]
    spearman = None
    if len(paired) >= 5 and len({p[0] for p in paired}) > 1 and len({p[1] for p in paired}) > 1:
        x, y = zip(*paired, strict=True)
        r, p = statistics.spearman(x, y)
        spearman = {"r": _round(r, 3), "p": _round(p, 4), "n": len(paired)}
    domains = {}
    for z in zones:
        for name, reading in (z["domains"] or {}).items():
            d = domains.setdefault(name, {"rated": 0, "most_deprived": 0,
                                          "most_deprived_population": 0})
            if reading.get("decile"):
                d["rated"] += 1
                if reading["decile"] in (1, 2):
                    d["most_deprived"] += 1
                    d["most_deprived_population"] += z["population"] or 0
    return {"index": "simd2020", "index_label": INDEX_LABEL, "by_decile": by_decile,
            "spearman": spearman, "pearson": None,
            "correlated_with": "SIMD 2020 rank (sign turned: positive means more crime where "
                               "more deprived)",
            "domains": domains}


def _simd_crime(table, months, loaded):
    """SIMD 2020's own crime indicator as a baseline, beside the extract where both exist:
    per data zone, SIMD's recorded crime and the extract's count a year over the months
    loaded, and across the data zones with both, the totals and their rank correlation."""
    from soclocal.areas.models import Indicator

    codes = [r["code"] for r in table]
    found = defaultdict(dict)
    for code, name, value in Indicator.objects.filter(
            source="simd2020", area__code__in=codes).values_list("area__code", "name", "value"):
        found[code][name] = value
    if not found:
        return {"available": False, "note": "SIMD 2020's crime indicator is not loaded: import "
                "simd2020_scotland_dz11_indicators.csv as population."}
    years = len([m for m in months if m in loaded]) / 12
    rows = []
    for r in table:
        simd = found.get(r["code"], {})
        rows.append({"code": r["code"], "name": r["name"],
                     "simd_count": _round(simd.get("crime_count")),
                     "simd_rate_per_10000": _round(simd.get("crime_rate")),
                     "extract_count": r["count"],
                     "extract_per_year": _round(r["count"] / years) if years else None})
    both = [r for r in rows if r["simd_count"] is not None and r["extract_per_year"] is not None]
    simd_total = sum(r["simd_count"] for r in both)
    extract_total = sum(r["extract_per_year"] for r in both)
    spearman = None
    if len(both) >= 5 and len({r["simd_count"] for r in both}) > 1 \
            and len({r["extract_per_year"] for r in both}) > 1:
        r, p = statistics.spearman([r["simd_count"] for r in both],
                                   [r["extract_per_year"] for r in both])
        spearman = {"r": _round(r, 3), "p": _round(p, 4), "n": len(both)}
    return {"available": True,
            "source": "SIMD 2020 crime domain indicator: recorded crime per data zone, as "
                      "published, and the rate per 10,000 people (Scottish Government).",
            "by_zone": rows, "zones_with_both": len(both),
            "simd_total": _round(simd_total), "extract_total_per_year": _round(extract_total),
            "ratio": _round(extract_total / simd_total) if simd_total else None,
            "spearman": spearman}


def compute_profile(area, month_from, month_to, *, con=None, weights=None, fractions=None,
                    progress=None) -> dict:
    """Every figure of a profile of a Scottish area, as a JSON-able dict (through
    analytics.compute_profile, which opens and closes the engine when none is given)."""
    step = progress or (lambda done, total, message="": None)
    weights = {**current_weights(), **{t: w for t, w in (weights or {}).items()
                                       if t in CRIME_TYPES}}
    fractions = {**DEFAULT_SOC_FRACTIONS, **{t: f for t, f in (fractions or {}).items()
                                             if t in CRIME_TYPES}}
    months = months_between(month_from, month_to)
    params = {"from": month_from, "to": month_to}
    loaded = [m for (m,) in con.rows(SQL_MONTHS)]

    step(0, 5, "Reading the area's data zones")
    zones = _zones(area)
    population = sum(z["population"] or 0 for z in zones) or None
    with_crime = {c for (c,) in con.rows(SQL_WITH_CRIME, params)}
    parent = parent_of(area)
    similar = similar_areas(area, with_crime)
    groups = [("area", zones)]
    if parent is not None:
        groups.append(("parent", _zones(parent)))
    groups += [(f"similar{n}", _zones(other)) for n, other in enumerate(similar)]
    _register(con, groups)

    step(1, 5, "Counting crime")
    groups_held = _groups_held(con)
    types_held = [t for types in groups_held.values() for t in types]
    counts = defaultdict(lambda: dict.fromkeys(types_held, 0))
    for grp, crime_type, n in con.rows(SQL_BY_GROUP, params):
        counts[grp][crime_type] = int(n)
    area_counts = dict(counts["area"])
    total = sum(area_counts.values())
    members = dict(groups)
    comparison = [_comparator("area", area, zones, area_counts, weights, groups_held)]
    if parent is not None:
        comparison.append(_comparator("parent", parent, members["parent"],
                                      dict(counts["parent"]), weights, groups_held))
    for n, other in enumerate(similar):
        comparison.append(_comparator("similar", other, members[f"similar{n}"],
                                      dict(counts[f"similar{n}"]), weights, groups_held))
    harm_by_type = {t: area_counts[t] * weights.get(t, 0) for t in types_held}
    harm_total = sum(harm_by_type.values())
    soc_harm = sum(harm_by_type[t] for t in SOC_TYPES)
    soc_count = sum(area_counts[t] for t in SOC_TYPES)

    step(2, 5, "Working out trends")
    by_month = defaultdict(dict)
    for month, crime_type, n in con.rows(
            SQL_MONTHLY, {"earlier": month_add(month_from, -12), "to": month_to}):
        by_month[month][crime_type] = int(n)
    trend = _trend(by_month, months, loaded, groups_held)

    step(3, 5, "Finding hotspots")
    by_zone = defaultdict(dict)
    for code, crime_type, n in con.rows(SQL_BY_ZONE, params):
        by_zone[code][crime_type] = int(n)
    table = []
    for z in zones:
        c = by_zone.get(z["code"], {})
        count = sum(c.values())
        table.append({"code": z["code"], "name": z["name"], "population": z["population"],
                      "imd_decile": z["imd_decile"], "imd_score": None,
                      "simd_rank": z["simd_rank"], "count": count,
                      "soc_count": sum(c.get(t, 0) for t in SOC_TYPES),
                      "harm": round(sum(n * weights.get(t, 0) for t, n in c.items()), 2),
                      "rate": _rate(count, z["population"])})
    hotspots = find_hotspots(table, {z["code"]: z["geometry"] for z in zones})

    step(4, 5, "Comparing with SIMD")
    source = [{"force": FORCE, "month": m, "import_id": i, "rows": n, "checksum": str(s),
               "imported_at": None}
              for m, i, n, s in con.rows(SQL_SOURCE, params)]
    step(5, 5, "Done")
    marked = area_counts[SOC_MARKER_TYPE]
    return {
        "schema": analytics.SCHEMA,
        "nation": "scotland",
        "area": {**analytics._describe(area), "population": population, "lsoas": len(zones),
                 "imd_score": None, "simd_mean_rank": _round(_mean_rank(zones))},
        "period": {"from": month_from, "to": month_to, "months": months,
                   "months_loaded": [m for m in months if m in loaded],
                   "months_missing": [m for m in months if m not in loaded]},
        "crime_source": "Police Scotland recorded crime extract",
        "crime_groups": groups_held,
        "crime_types": types_held,
        "counts_by_crime_group": _by_group(area_counts, groups_held),
        "counts_by_crime_type": area_counts,
        "total": total,
        "rates_per_1000": {t: _rate(n, population) for t, n in area_counts.items()},
        "rates_per_1000_by_crime_group": {g: _rate(n, population)
                                          for g, n in _by_group(area_counts, groups_held).items()},
        "rate_total": _rate(total, population),
        "harm": {"weights": {t: weights.get(t, 0) for t in types_held},
                 "weight_sources": {t: s for t, (_w, s) in DEFAULT_HARM_WEIGHTS.items()},
                 "by_crime_type": {t: round(h, 2) for t, h in harm_by_type.items()},
                 "total": round(harm_total, 2), "per_1000": _rate(harm_total, population)},
        "soc": {"label": "Crime types often linked to SOC", "crime_types": list(SOC_TYPES),
                "count": soc_count, "harm": round(soc_harm, 2),
                "share_of_harm": _round(100 * soc_harm / harm_total) if harm_total else None,
                "share_of_count": _round(100 * soc_count / total) if total else None,
                "estimate": analytics.soc_estimate(area_counts, weights, fractions),
                "marker": {"carried": True, "count": marked,
                           "by_crime_type": {SOC_MARKER_TYPE: marked},
                           "records_with_marker": total,
                           "note": "Offences relating to serious organised crime (Criminal "
                                   "Justice and Licensing (Scotland) Act 2010, sections 28 to "
                                   "31), as recorded by Police Scotland."}},
        "comparison": comparison,
        "similar_method": SIMILAR_METHOD,
        "trend": trend,
        "lsoas": table,
        "hotspots": hotspots,
        "repeat_locations": [],
        "deprivation": _deprivation(table, zones),
        "simd_crime": _simd_crime(table, months, loaded),
        "outcomes": {"last_outcome": {}, "outcomes_file": None, "outcomes_file_total": None,
                     "outcomes_file_share": None},
        "stop_search": None,
        "force_totals": [],
        "source": source,
        "actions_framework": "4ds",
    }
