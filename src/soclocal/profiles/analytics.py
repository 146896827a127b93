"""Every figure a local problem profile holds, computed over the crime store.

The queries are plain SQL over the store's views (`street`, `outcomes`, `stop_search`) and
one table this module registers, `profile_lsoas (grp, lsoa_code)`: which small areas make up
the profiled area (grp 'area'), its parent and its most similar areas. Nothing loops over
crime rows in Python, so the same SQL can run on another engine. Statistics on the results
(tests, hotspots, correlations) use scipy and esda.

`compute_profile(area, month_from, month_to)` is the public entry point.
"""

import math
from collections import defaultdict
from pathlib import Path

import numpy as np

from soclocal.crime.store import CRIME_TYPES

from . import statistics

# Crime types often linked to serious organised crime. Most crimes of these types are not
# organised crime (most violence is domestic or in the night-time economy), so their total is
# never called SOC: the estimate below is.
SOC_TYPES = ("Drugs", "Possession of weapons", "Robbery", "Violence and sexual offences")
SIGNIFICANCE = 0.05  # false discovery rate for trend flags and hotspots
SIMILAR_AREAS = 4  # how many most similar areas to compare with
MIN_LSOAS_FOR_HOTSPOTS = 8
SEED = 20240601  # permutation tests repeat exactly
SCHEMA = "soclocal.profile/1"

# Cambridge Crime Harm Index: starting-point days of imprisonment per police.uk category.
# Where a category mixes offence groups the weight is a blend by approximate national shares
# of the groups (docs/decisions/0008-harm-weights-blend.md explains each one).
DEFAULT_HARM_WEIGHTS = {
    "Anti-social behaviour": 0.0,
    "Bicycle theft": 2.0,
    "Burglary": 246.5,  # residential 273.5 x 0.7 + non-residential 183.5 x 0.3
    "Criminal damage and arson": 9.32,  # criminal damage 2 x 0.96 + arson 185 x 0.04
    "Drugs": 3.5,  # possession 3 x 0.75 + trafficking 5 x 0.25
    "Other crime": 10.0,
    "Other theft": 2.0,
    "Possession of weapons": 273.75,
    "Public order": 7.5,
    "Robbery": 365.0,
    "Shoplifting": 1.0,
    "Theft from the person": 2.0,
    "Vehicle crime": 5.0,
    # with injury 365 x 0.25 + without injury 10 x 0.33 + stalking and harassment 10 x 0.33
    # + rape 2,555 x 0.03 + other sexual offences 182 x 0.06
    "Violence and sexual offences": 185.42,
}

# The share of each crime type's recorded crime estimated to be attributable to serious
# organised crime: (low, central, high), each a fraction from 0 to 1. No national statistic
# gives this per police.uk category, so every default is an assumption, bounded by the Police
# Foundation's estimate that up to 17% of the crime in some neighbourhoods comes from organised
# crime: even the high fractions give well under 17% of an area's crime. A partnership sets its
# own on the SOC fractions page; docs/decisions/0022-soc-attributable-estimate.md gives the
# reasoning for each.
DEFAULT_SOC_FRACTIONS = {
    "Anti-social behaviour": (0.0, 0.0, 0.0),
    "Bicycle theft": (0.0, 0.01, 0.03),
    "Burglary": (0.01, 0.03, 0.06),  # organised burglary teams, a small part
    "Criminal damage and arson": (0.0, 0.01, 0.02),
    "Drugs": (0.1, 0.25, 0.4),  # about a quarter is supply, mostly run by organised lines
    "Other crime": (0.0, 0.02, 0.05),
    "Other theft": (0.0, 0.01, 0.03),
    "Possession of weapons": (0.05, 0.1, 0.2),
    "Public order": (0.0, 0.01, 0.02),
    "Robbery": (0.05, 0.1, 0.2),
    "Shoplifting": (0.01, 0.03, 0.06),  # organised retail theft
    "Theft from the person": (0.0, 0.02, 0.05),
    "Vehicle crime": (0.02, 0.05, 0.1),  # organised vehicle theft and ringing
    "Violence and sexual offences": (0.01, 0.03, 0.05),  # drug-market violence, exploitation
}
SOC_FRACTIONS_SOURCE = (
    "Assumptions set by the partnership (the defaults are the system's own, not national "
    "statistics), bounded by the Police Foundation's estimate that up to 17% of the crime in "
    "some neighbourhoods comes from organised crime.")
ESTIMATES = ("low", "central", "high")

# --- The SQL -------------------------------------------------------------------------------

SQL_MONTHS_LOADED = "SELECT DISTINCT month FROM street ORDER BY month"

# The crime queries read the store twice, however many figures they give: once over every
# force for the period (what each force-month holds, and which small areas have crime), and
# once over the profiled and compared areas, into a small table the later queries read.

# Per force and month: rows, rows without an LSOA or a location, the import and a fingerprint
# of the rows (a change to any field a profile reads, in any row, changes the checksum; the
# long crime IDs are left out, which halves the time this takes); and which LSOAs have any
# crime.
SQL_STORE_PASS = """
SELECT GROUPING(s.lsoa21_code) = 1 AS per_month, s.force, s.month, s.lsoa21_code,
       count(*) AS n,
       count(*) FILTER (WHERE s.lsoa21_code IS NULL) AS without_lsoa,
       count(*) FILTER (WHERE s.longitude IS NULL) AS without_location,
       min(s.import_id) AS import_id,
       bit_xor(hash(s.import_id, s.source_line, s.crime_type, s.lsoa21_code, s.longitude,
                    s.latitude, s.last_outcome_category, s.soc_marker)) AS checksum
FROM street s
WHERE s.month BETWEEN $from AND $to
GROUP BY GROUPING SETS ((s.force, s.month), (s.lsoa21_code))
"""

# Every group's counts by month and crime type (from a year before the period, for the
# trend), and, for the profiled area within the period only, counts by LSOA, by anonymised
# point and by last outcome, and its forces. Keys that do not apply to a row are NULL, so a
# row counted for the parent as well as the area is counted once in each breakdown.
SQL_AREA_PASS = """
CREATE OR REPLACE TEMP TABLE profile_pass AS
WITH r AS (
  SELECT g.grp, s.month, s.crime_type,
         CASE WHEN g.grp = 'area' AND s.month >= $from THEN s.lsoa21_code END AS lsoa_code,
         CASE WHEN g.grp = 'area' AND s.month >= $from AND s.longitude IS NOT NULL
              THEN s.longitude END AS longitude,
         CASE WHEN g.grp = 'area' AND s.month >= $from AND s.longitude IS NOT NULL
              THEN s.latitude END AS latitude,
         CASE WHEN g.grp = 'area' AND s.month >= $from
                   AND s.crime_type <> 'Anti-social behaviour'
              THEN coalesce(s.last_outcome_category, 'No outcome recorded') END AS outcome,
         CASE WHEN g.grp = 'area' AND s.month >= $from THEN s.force END AS force,
         s.soc_marker
  FROM street s JOIN profile_lsoas g ON s.lsoa21_code = g.lsoa_code
  WHERE s.month BETWEEN $earlier AND $to
)
SELECT GROUPING(grp, month, crime_type, lsoa_code, longitude, latitude, outcome, force)
         AS grouping_id,
       grp, month, crime_type, lsoa_code, longitude, latitude, outcome, force, count(*) AS n,
       count(soc_marker) AS with_marker, count(*) FILTER (WHERE soc_marker) AS marked
FROM r
GROUP BY GROUPING SETS ((grp, month, crime_type), (lsoa_code, crime_type),
                        (lsoa_code, longitude, latitude), (outcome), (force))
"""

# GROUPING() sets a bit for each column left out, the first column highest.
_SET_MONTHLY = 0b00011111
_SET_LSOA = 0b11001111
_SET_POINTS = 0b11100011
_SET_OUTCOME = 0b11111101
_SET_FORCE = 0b11111110

SQL_COUNTS_BY_GROUP = f"""
SELECT grp, crime_type, sum(n)::BIGINT AS n, sum(with_marker)::BIGINT AS with_marker,
       sum(marked)::BIGINT AS marked
FROM profile_pass
WHERE grouping_id = {_SET_MONTHLY} AND month BETWEEN $from AND $to
GROUP BY grp, crime_type
"""

SQL_MONTHLY = f"""
SELECT month, crime_type, n FROM profile_pass
WHERE grouping_id = {_SET_MONTHLY} AND grp = 'area'
"""

SQL_BY_LSOA = f"""
SELECT lsoa_code, crime_type, n FROM profile_pass
WHERE grouping_id = {_SET_LSOA} AND lsoa_code IS NOT NULL
"""

# Incidents at the same anonymised point in the period: the places crime repeats.
SQL_REPEATS = f"""
SELECT lsoa_code,
       coalesce(sum(n) FILTER (WHERE n >= 2), 0)::BIGINT AS repeat_incidents,
       count(*) FILTER (WHERE n >= 2) AS repeat_places,
       max(n) AS most_at_one_place
FROM profile_pass
WHERE grouping_id = {_SET_POINTS} AND lsoa_code IS NOT NULL AND longitude IS NOT NULL
GROUP BY lsoa_code
HAVING count(*) FILTER (WHERE n >= 2) > 0
ORDER BY repeat_incidents DESC, lsoa_code LIMIT 10
"""

SQL_LAST_OUTCOMES = f"""
SELECT outcome, n FROM profile_pass
WHERE grouping_id = {_SET_OUTCOME} AND outcome IS NOT NULL
ORDER BY n DESC, outcome
"""

SQL_AREA_FORCES = f"""
SELECT force FROM profile_pass WHERE grouping_id = {_SET_FORCE} AND force IS NOT NULL
"""

SQL_OUTCOMES = """
SELECT o.outcome_type AS outcome, count(*) AS n
FROM outcomes o JOIN profile_lsoas g ON o.lsoa21_code = g.lsoa_code AND g.grp = 'area'
WHERE o.month BETWEEN $from AND $to
GROUP BY 1 ORDER BY n DESC, outcome
"""

SQL_STOP_SEARCH = """
SELECT coalesce(x.object_of_search, 'Not recorded') AS object_of_search,
       coalesce(x.outcome, 'Not recorded') AS outcome, count(*) AS n
FROM stop_search x JOIN profile_lsoas g ON x.lsoa21_code = g.lsoa_code AND g.grp = 'area'
WHERE x.month BETWEEN $from AND $to
GROUP BY 1, 2
"""

# --- Months --------------------------------------------------------------------------------

def month_add(month: str, n: int) -> str:
    year, m = map(int, month.split("-"))
    index = year * 12 + (m - 1) + n
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def valid_month(month: str) -> bool:
    import re

    return bool(re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", month or ""))


def months_between(month_from: str, month_to: str) -> list[str]:
    months, month = [], month_from
    while month <= month_to:
        months.append(month)
        month = month_add(month, 1)
    return months


# --- Areas ---------------------------------------------------------------------------------

# The geography comes from its snapshot (`areas/snapshot.py`), registered as `geo_areas` and
# `geo_members`, so that which small areas make up an area, their population and
# deprivation, and the similar areas, are a few queries whatever the number of areas loaded.
# Each small area is read against its own deprivation index (`deprivation_index`, chosen by
# `areas.selectors.primary_index`), never one index named here.

# The small areas grouped into the areas of one level: `$level` is 'lsoa21', 'ward', 'lad',
# 'pfa' (each LSOA 2021 under its own, its ward's, local authority's or force area's id) or
# 'neighbourhood' (each neighbourhood's members).
_GROUP_MEMBERS = """
members AS (
  SELECT CASE $level WHEN 'lsoa21' THEN a.id WHEN 'ward' THEN a.ward_id
                     WHEN 'lad' THEN a.lad_id WHEN 'pfa' THEN a.pfa_id END AS grp_id,
         a.code, a.population, a.score
  FROM geo_areas a WHERE a.type = 'lsoa21' AND $level <> 'neighbourhood'
  UNION ALL
  SELECT m.neighbourhood_id AS grp_id, a.code, a.population, a.score
  FROM geo_members m JOIN geo_areas a ON a.id = m.member_id
  WHERE $level = 'neighbourhood'
)"""

# The areas of the same level and nation (`$nation`, the first letter of the small areas'
# codes) with crime loaded for the period (`crime_lsoas`), nearest the area's
# population-weighted deprivation score first, with that score.
SQL_SIMILAR = f"""
WITH {_GROUP_MEMBERS},
scored AS (
  SELECT grp_id, bool_or(code IN (SELECT lsoa_code FROM crime_lsoas)) AS has_crime,
         count(*) FILTER (WHERE population IS NULL OR population <= 0) = 0 AS weigh,
         sum(score * population) FILTER (WHERE score IS NOT NULL AND population > 0)
           AS weighted,
         sum(population) FILTER (WHERE score IS NOT NULL AND population > 0) AS people,
         avg(score) AS unweighted
  FROM members WHERE grp_id IS NOT NULL AND left(code, 1) = $nation GROUP BY grp_id
),
-- Weighted by population where every small area has one (Welsh LSOAs may have none
-- loaded); otherwise each small area counts once.
candidates AS (
  SELECT grp_id, CASE WHEN weigh THEN weighted / people ELSE unweighted END AS score
  FROM scored WHERE has_crime AND (CASE WHEN weigh THEN people > 0
                                        ELSE unweighted IS NOT NULL END)
),
mine AS (SELECT score FROM candidates WHERE grp_id = $area_id)
SELECT c.grp_id, c.score FROM candidates c, mine
WHERE c.grp_id <> $area_id
ORDER BY abs(c.score - mine.score), c.grp_id
LIMIT $n
"""

# The small areas of the areas `$ids` (a list) of one level, with population.
SQL_GROUP_MEMBERS = f"""
WITH {_GROUP_MEMBERS}
SELECT grp_id, code, population FROM members WHERE list_contains($ids, grp_id)
"""

# The profiled area's small areas, in the order they are listed: `$level` 'small' (the area
# itself), 'ward', 'lad', 'pfa', 'neighbourhood' or 'codes' (the LSOAs in `chosen_lsoas`).
SQL_AREA_LSOAS = """
SELECT a.code, a.name, a.population, a.decile, a.score, a.deprivation_index, a.lad_id,
       a.pfa_id
FROM geo_areas a
WHERE CASE $level
        WHEN 'small' THEN a.id = $area_id
        WHEN 'ward' THEN a.type = 'lsoa21' AND a.ward_id = $area_id
        WHEN 'lad' THEN a.type = 'lsoa21' AND a.lad_id = $area_id
        WHEN 'pfa' THEN a.type = 'lsoa21' AND a.pfa_id = $area_id
        WHEN 'neighbourhood' THEN a.id IN (SELECT member_id FROM geo_members
                                           WHERE neighbourhood_id = $area_id)
        ELSE a.type = 'lsoa21' AND a.code IN (SELECT lsoa_code FROM chosen_lsoas)
      END
ORDER BY a.name, a.code
"""


def _level(area) -> str:
    """How the area's small areas are found in the geography."""
    from soclocal.areas.models import SMALL_AREA_TYPES, Area, AreaType

    if not isinstance(area, Area):
        return "codes"
    if area.type in SMALL_AREA_TYPES:
        return "small"
    return {AreaType.WARD: "ward", AreaType.LAD: "lad", AreaType.PFA: "pfa",
            AreaType.NEIGHBOURHOOD: "neighbourhood"}[area.type]


def _lsoa_rows(con, area):
    """The profiled small areas with population, deprivation and boundary: the figures from
    the geography in one query, the boundaries in one more."""
    from soclocal.areas.models import Area, AreaType
    from soclocal.areas.selectors import lsoas_of

    level = _level(area)
    _register_codes(con, "chosen_lsoas", sorted(area) if level == "codes" else [])
    rows = [{"code": code, "name": name, "population": population, "imd_decile": decile,
             "imd_score": score, "index": index, "lad_id": lad_id, "pfa_id": pfa_id}
            for code, name, population, decile, score, index, lad_id, pfa_id in _rows(
                con, SQL_AREA_LSOAS,
                {"level": level, "area_id": area.pk if level != "codes" else 0})]
    found = (lsoas_of(area) if level != "codes" else
             Area.objects.filter(type=AreaType.LSOA21, code__in=list(area)))
    geometries = dict(found.order_by().values_list("code", "geometry"))
    for r in rows:
        r["geometry"] = geometries.get(r["code"])
    return rows


def _describe(area):
    from soclocal.areas.models import Area

    if isinstance(area, Area):
        return {"type": area.type, "type_label": area.type_label, "code": area.code,
                "name": area.name}
    codes = sorted(area)
    return {"type": "lsoa_set", "type_label": "Set of LSOAs", "code": ",".join(codes[:5])
            + ("..." if len(codes) > 5 else ""), "name": f"{len(codes)} chosen LSOAs"}


def parent_of(area, lsoas):
    """The area a profile compares with above: an LSOA, ward or neighbourhood's local
    authority; a local authority's police force area. The one most of the area's small
    areas (`lsoas`, from `_lsoa_rows`) lie in."""
    from soclocal.areas.models import Area, AreaType

    if not isinstance(area, Area) or area.type == AreaType.PFA:
        return None
    link = "pfa_id" if area.type == AreaType.LAD else "lad_id"
    ids = [r[link] for r in lsoas if r[link]]
    if not ids:
        return None
    most = max(set(ids), key=ids.count)
    return Area.objects.defer("geometry").get(pk=most)


def _weighted_imd(rows):
    scored = [r for r in rows if r["imd_score"] is not None and r["population"]]
    people = sum(r["population"] for r in scored)
    return sum(r["imd_score"] * r["population"] for r in scored) / people if people else None


def similar_areas(con, area, n=SIMILAR_AREAS):
    """The n areas of the same type, with crime loaded (the LSOAs in `crime_lsoas`), whose
    population-weighted deprivation score is nearest the area's: [(Area, score)]."""
    from soclocal.areas.models import Area, AreaType

    if not isinstance(area, Area):
        return []
    level = {AreaType.LSOA21: "lsoa21", AreaType.WARD: "ward", AreaType.LAD: "lad",
             AreaType.PFA: "pfa", AreaType.NEIGHBOURHOOD: "neighbourhood"}.get(area.type)
    if level is None:
        return []
    from soclocal.areas.selectors import nation_of

    # Compared within the area's own nation, on its own index (WIMD for Wales, IMD for
    # England): scores of different indices are not on one scale.
    nation = nation_of(area)[0].upper()
    nearest = _rows(con, SQL_SIMILAR, {"level": level, "area_id": area.pk, "n": n,
                                       "nation": nation})
    found = Area.objects.defer("geometry").in_bulk([key for key, _score in nearest])
    return [(found[key], score) for key, score in nearest]


def _members_of(con, area_type, ids):
    """{area id: [(code, population)]} for areas of one type."""
    from soclocal.areas.models import AreaType

    level = {AreaType.LSOA21: "lsoa21", AreaType.WARD: "ward", AreaType.LAD: "lad",
             AreaType.PFA: "pfa", AreaType.NEIGHBOURHOOD: "neighbourhood"}[area_type]
    found = defaultdict(list)
    for grp_id, code, population in _rows(con, SQL_GROUP_MEMBERS,
                                          {"level": level, "ids": list(ids)}):
        found[grp_id].append((code, population))
    return found


# --- The profile ---------------------------------------------------------------------------

def _connect(engine=None):
    """The analytics engine over the store (core/engines.py): DuckDB unless set otherwise."""
    from soclocal.core import engines

    return engines.connect(engine)


def _rows(con, sql, params):
    return con.rows(sql, params)


def compute_profile(area, month_from: str, month_to: str, *, con=None, weights=None,
                    fractions=None, progress=None) -> dict:
    """Every figure of a profile of `area` (an Area, or a set of LSOA 2021 codes) for the
    months from `month_from` to `month_to` inclusive, as a JSON-able dict."""
    from soclocal.core import engines

    from . import scotland

    with engines.given_or_own(con) as con:
        if scotland.is_scottish(area):  # Police Scotland extracts and SIMD (profiles/scotland.py)
            return scotland.compute_profile(area, month_from, month_to, con=con, weights=weights,
                                            fractions=fractions, progress=progress)
        step = progress or (lambda done, total, message="": None)
        weights = {**DEFAULT_HARM_WEIGHTS, **(weights or {})}
        fractions = {**DEFAULT_SOC_FRACTIONS, **(fractions or {})}
        # The geography is small and local: DuckDB reads it whichever engine counts the crime.
        geo = con if con.name == "duckdb" else _connect("duckdb")
        try:
            return _compute(area, month_from, month_to, con, geo, weights, fractions, step)
        finally:
            if geo is not con:
                geo.close()


def _compute(area, month_from, month_to, con, geo, weights, fractions, step):
    months = months_between(month_from, month_to)
    params = {"from": month_from, "to": month_to}
    loaded = [m for (m,) in _rows(con, SQL_MONTHS_LOADED, {})]

    step(0, 6, "Reading the area's small areas")
    _register_geography(geo)
    lsoas = _lsoa_rows(geo, area)
    population = sum(r["population"] or 0 for r in lsoas) or None
    per_month, with_crime = [], set()
    for is_month, force, month, code, n, nl, nloc, import_id, checksum in _rows(
            con, SQL_STORE_PASS, params):
        if is_month:
            per_month.append((force, month, n, nl, nloc, import_id, checksum))
        elif code is not None:
            with_crime.add(code)
    _register_codes(geo, "crime_lsoas", sorted(with_crime))
    parent = parent_of(area, lsoas)
    similar = similar_areas(geo, area)
    groups = [("area", [(r["code"], r["population"]) for r in lsoas])]
    if parent is not None:
        groups.append(("parent", _members_of(geo, parent.type, [parent.pk])[parent.pk]))
    if similar:
        members = _members_of(geo, area.type, [other.pk for other, _score in similar])
        for n, (other, _score) in enumerate(similar):
            groups.append((f"similar{n}", members[other.pk]))
    _register(con, groups)
    earlier = month_add(month_from, -12)
    con.execute(SQL_AREA_PASS, {**params, "earlier": earlier})

    step(1, 6, "Counting crime")
    counts = defaultdict(lambda: dict.fromkeys(CRIME_TYPES, 0))
    with_marker, marked = dict.fromkeys(CRIME_TYPES, 0), dict.fromkeys(CRIME_TYPES, 0)
    for grp, crime_type, n, has, yes in _rows(con, SQL_COUNTS_BY_GROUP, params):
        counts[grp][crime_type] = n
        if grp == "area":
            with_marker[crime_type], marked[crime_type] = has, yes
    area_counts = dict(counts["area"])
    total = sum(area_counts.values())
    described = _describe(area)
    comparison = [_comparator("area", described, population, area_counts, weights,
                              _weighted_imd(lsoas))]
    if parent is not None:
        comparison.append(_comparator("parent", _describe(parent), _population(groups, "parent"),
                                      dict(counts["parent"]), weights, None))
    for n, (other, score) in enumerate(similar):
        comparison.append(_comparator("similar", _describe(other),
                                      _population(groups, f"similar{n}"),
                                      dict(counts[f"similar{n}"]), weights, score))

    harm_by_type = {t: area_counts[t] * weights.get(t, 0) for t in CRIME_TYPES}
    harm_total = sum(harm_by_type.values())
    soc_harm = sum(harm_by_type[t] for t in SOC_TYPES)

    step(2, 6, "Working out trends")
    trend = _trend(con, month_from, month_to, months, loaded)

    step(3, 6, "Finding hotspots")
    by_lsoa = defaultdict(lambda: dict.fromkeys(CRIME_TYPES, 0))
    for code, crime_type, n in _rows(con, SQL_BY_LSOA, {}):
        by_lsoa[code][crime_type] = n
    lsoa_table = []
    for r in lsoas:
        c = by_lsoa.get(r["code"], dict.fromkeys(CRIME_TYPES, 0))
        count = sum(c.values())
        lsoa_table.append({
            "code": r["code"], "name": r["name"], "population": r["population"],
            "imd_decile": r["imd_decile"], "imd_score": r["imd_score"], "count": count,
            "index": r["index"],
            "soc_count": sum(c[t] for t in SOC_TYPES),
            "harm": round(sum(c[t] * weights.get(t, 0) for t in CRIME_TYPES), 2),
            "rate": _rate(count, r["population"]),
        })
    hotspots = find_hotspots(lsoa_table, {r["code"]: r["geometry"] for r in lsoas})

    step(4, 6, "Comparing with deprivation")
    deprivation = _deprivation(lsoa_table)
    names = {r["code"]: r["name"] for r in lsoas}
    repeats = [{"code": code, "name": names.get(code, code), "repeat_incidents": ri,
                "repeat_places": rp, "most_at_one_place": most}
               for code, ri, rp, most in _rows(con, SQL_REPEATS, {})]

    step(5, 6, "Outcomes, stop and search, sources")
    last_outcomes = {o: n for o, n in _rows(con, SQL_LAST_OUTCOMES, {})}
    outcome_rows = {o: n for o, n in _rows(con, SQL_OUTCOMES, params)}
    outcomes_total = sum(outcome_rows.values())
    searches = _rows(con, SQL_STOP_SEARCH, params)
    stop_search = None
    if searches:
        by_object, by_outcome = defaultdict(int), defaultdict(int)
        for obj, outcome, n in searches:
            by_object[obj] += n
            by_outcome[outcome] += n
        stop_search = {"total": sum(n for *_x, n in searches),
                       "by_object": dict(sorted(by_object.items(), key=lambda kv: -kv[1])),
                       "by_outcome": dict(sorted(by_outcome.items(), key=lambda kv: -kv[1]))}
    # The whole forces the area's crime came from: rows without an LSOA count only here.
    forces = {f for (f,) in _rows(con, SQL_AREA_FORCES, {})}
    mine = sorted(r for r in per_month if r[0] in forces)
    force_totals = []
    for force in sorted(forces):
        of = [r for r in mine if r[0] == force]
        force_totals.append({"force": force, "total": sum(r[2] for r in of),
                             "without_lsoa": sum(r[3] for r in of),
                             "without_location": sum(r[4] for r in of)})
    source = [{"force": f, "month": m, "import_id": i, "rows": n, "checksum": str(c),
               "imported_at": _imported_at(f, m)}
              for f, m, n, _nl, _nloc, i, c in mine]
    step(6, 6, "Done")

    return {
        "schema": SCHEMA,
        "area": {**described, "population": population, "lsoas": len(lsoas),
                 "imd_score": _round(_weighted_imd(lsoas))},
        "period": {"from": month_from, "to": month_to, "months": months,
                   "months_loaded": [m for m in months if m in loaded],
                   "months_missing": [m for m in months if m not in loaded]},
        "crime_types": list(CRIME_TYPES),
        "counts_by_crime_type": area_counts,
        "total": total,
        "rates_per_1000": {t: _rate(n, population) for t, n in area_counts.items()},
        "rate_total": _rate(total, population),
        "harm": {"weights": {t: weights.get(t, 0) for t in CRIME_TYPES},
                 "by_crime_type": {t: round(h, 2) for t, h in harm_by_type.items()},
                 "total": round(harm_total, 2),
                 "per_1000": _rate(harm_total, population)},
        "soc": {"label": "Crime types often linked to SOC",
                "crime_types": list(SOC_TYPES),
                "count": sum(area_counts[t] for t in SOC_TYPES),
                "harm": round(soc_harm, 2),
                "share_of_harm": _round(100 * soc_harm / harm_total) if harm_total else None,
                "share_of_count": _round(100 * sum(area_counts[t] for t in SOC_TYPES) / total)
                if total else None,
                "estimate": soc_estimate(area_counts, weights, fractions),
                "marker": _marker(with_marker, marked)},
        "comparison": comparison,
        "similar_method": f"The {SIMILAR_AREAS} areas of the same type, with crime loaded for "
                          "the period, whose population-weighted deprivation score is nearest "
                          "this area's.",
        "trend": trend,
        "lsoas": lsoa_table,
        "hotspots": hotspots,
        "repeat_locations": repeats,
        "deprivation": deprivation,
        "outcomes": {"last_outcome": last_outcomes, "outcomes_file": outcome_rows or None,
                     "outcomes_file_total": outcomes_total or None,
                     "outcomes_file_share": {o: _round(100 * n / outcomes_total, 1)
                                             for o, n in outcome_rows.items()} or None},
        "stop_search": stop_search,
        "force_totals": force_totals,
        "source": source,
    }


def soc_estimate(counts: dict, weights: dict, fractions: dict) -> dict:
    """Crime and harm estimated to be attributable to SOC: each crime type's count (and harm)
    times its fraction, summed, at the low, central and high fractions."""
    total = sum(counts.values())
    harm_total = sum(n * weights.get(t, 0) for t, n in counts.items())
    out = {"fractions": {t: dict(zip(ESTIMATES, map(float, fractions.get(t, (0, 0, 0))),
                                     strict=True)) for t in counts},
           "source": SOC_FRACTIONS_SOURCE,
           "count": {}, "harm": {}, "share_of_count": {}, "share_of_harm": {}}
    for i, level in enumerate(ESTIMATES):
        count = sum(n * float(fractions.get(t, (0, 0, 0))[i]) for t, n in counts.items())
        harm = sum(n * weights.get(t, 0) * float(fractions.get(t, (0, 0, 0))[i])
                   for t, n in counts.items())
        out["count"][level] = round(count, 2)
        out["harm"][level] = round(harm, 2)
        out["share_of_count"][level] = _round(100 * count / total) if total else None
        out["share_of_harm"][level] = _round(100 * harm / harm_total) if harm_total else None
    return out


def _marker(with_marker: dict, marked: dict) -> dict:
    """Crimes a force's own extract marks as SOC (an optional "SOC marker" column); police.uk
    files carry no marker, and then there is no count."""
    if not any(with_marker.values()):
        return {"carried": False, "count": None, "by_crime_type": None,
                "records_with_marker": 0,
                "note": "Not carried by this extract: police.uk files have no SOC marker."}
    return {"carried": True, "count": sum(marked.values()), "by_crime_type": dict(marked),
            "records_with_marker": sum(with_marker.values()),
            "note": "Crimes the force's own extract marks as SOC (its \"SOC marker\" column)."}


def _imported_at(force, month):
    """When the month's partition was written into the store (the file's time)."""
    from datetime import UTC, datetime

    from soclocal.crime import store

    try:
        path = store.partition_dir("street", force, month) / "data.parquet"
        return datetime.fromtimestamp(path.stat().st_mtime, UTC).isoformat(timespec="seconds")
    except (OSError, ValueError):
        return None


def _register(con, groups):
    grp, codes = [], []
    for name, members in groups:
        for code, _pop in members:
            grp.append(name)
            codes.append(code)
    _register_table(con, "profile_lsoas", [("grp", "VARCHAR", grp), ("lsoa_code", "VARCHAR", codes)])


def _register_codes(con, name, codes):
    """A one-column table `name (lsoa_code)`."""
    _register_table(con, name, [("lsoa_code", "VARCHAR", list(codes))])


def _register_table(con, name, columns):
    """A temporary table `name` from [(column, SQL type, values)], the lists of equal length."""
    con.table(name, columns)


def _register_geography(con):
    """The geography snapshot as `geo_areas` and `geo_members` (written first if the
    geography changed since it was last written)."""
    from soclocal.areas import snapshot

    areas, members = snapshot.paths()
    con.parquet_view("geo_areas", areas)
    con.parquet_view("geo_members", members)


def _population(groups, name):
    members = dict(groups)[name]
    return sum(pop or 0 for _code, pop in members) or None


def _rate(n, population):
    return round(1000 * n / population, 2) if population else None


def _round(x, digits=2):
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else round(x, digits)


def _comparator(role, described, population, counts, weights, imd):
    total = sum(counts.values())
    harm = sum(n * weights.get(t, 0) for t, n in counts.items())
    return {"role": role, **described, "population": population, "imd_score": _round(imd),
            "counts": counts, "total": total,
            "rates": {t: _rate(n, population) for t, n in counts.items()},
            "rate_total": _rate(total, population),
            "harm_per_1000": _rate(harm, population)}


def _trend(con, month_from, month_to, months, loaded):
    """Monthly counts, and the change on the same months a year earlier. A change is flagged
    only when an exact test says it is beyond chance: given the two counts, under no change
    the current one is binomial with p = 1/2 (the conditional test for two Poisson counts over
    equal time); p-values across crime types are corrected with Benjamini-Hochberg."""
    earlier = [month_add(m, -12) for m in months]
    rows = _rows(con, SQL_MONTHLY, {})
    by_month = defaultdict(lambda: dict.fromkeys(CRIME_TYPES, 0))
    for month, crime_type, n in rows:
        by_month[month][crime_type] = n
    monthly = [{"month": m, "counts": dict(by_month[m]), "total": sum(by_month[m].values())}
               for m in months if m in loaded]
    available = all(m in loaded for m in earlier)
    changes = []
    if available:
        for crime_type in (*CRIME_TYPES, "All crime"):
            def count(ms, t=crime_type):
                return sum(sum(by_month[m].values()) if t == "All crime" else by_month[m][t]
                           for m in ms)
            now, before = count(months), count(earlier)
            p = statistics.binomial_half_p(now, now + before)
            changes.append({"crime_type": crime_type, "current": now, "previous": before,
                            "change": now - before,
                            "change_pct": _round(100 * (now - before) / before) if before else None,
                            "p_value": _round(p, 4)})
        q = statistics.false_discovery_control([c["p_value"] for c in changes]) if changes else []
        for c, qv in zip(changes, q, strict=False):
            c["q_value"] = _round(float(qv), 4)
            c["flag"] = (("up" if c["change"] > 0 else "down") if qv < SIGNIFICANCE else None)
    return {"monthly": monthly, "year_on_year": changes, "available": available,
            "earlier_months": [earlier[0], earlier[-1]],
            "test": "Exact conditional test of two Poisson counts (binomial, p = 0.5), "
                    "Benjamini-Hochberg corrected across crime types, 5% false discovery rate."}


def spatial_weights(geometries: list):
    """libpysal's Queen contiguity between shapely boundaries, a small area touching none
    joined to its nearest neighbour: the reference `spatial.queen` follows (profiles use
    that, without importing libpysal)."""
    from libpysal.weights import KNN, Queen, w_union

    w = Queen.from_iterable(geometries)
    if w.islands:
        points = np.array([[g.centroid.x, g.centroid.y] for g in geometries])
        w = w_union(w, KNN(points, k=1))
    return w


def permutations_for(n: int) -> int:
    """Enough permutations that one area alone could pass the Benjamini-Hochberg threshold:
    the smallest two-sided pseudo p-value, 2 / (P + 1), must be at most 5% / n."""
    return max(999, 1000 * math.ceil(2 * n / SIGNIFICANCE / 1000) - 1)


HOTSPOT_METHOD = (
    "Getis-Ord Gi* (each area counts itself) and local Moran's I of the crime rate per 1,000 "
    "residents on a log scale (log of 1 + rate, so that one very high area such as a city "
    "centre does not swamp the rest), over Queen contiguity (areas sharing a boundary or "
    "corner; an area touching none joined to its nearest), row-standardised. Significance "
    "from conditional permutations (each area's value kept, its neighbours drawn at random "
    "from the other areas; one test serves both measures), two-sided, corrected with "
    "Benjamini-Hochberg at a 5% false discovery rate.")


def find_hotspots(lsoa_table, geometries):
    """Getis-Ord Gi* and local Moran's I over the area's small areas (rows with a `rate`,
    `code`), annotating each usable row. docs/decisions/0009 explains the choices; the
    statistics are `profiles.spatial`'s, equal to esda's."""
    from . import spatial, statistics

    usable = [r for r in lsoa_table if r["rate"] is not None and geometries.get(r["code"])]
    method = HOTSPOT_METHOD
    if len(usable) < MIN_LSOAS_FOR_HOTSPOTS:
        return {"available": False, "method": method,
                "note": f"Hotspot analysis needs at least {MIN_LSOAS_FOR_HOTSPOTS} small areas "
                        "with a population and a boundary.", "hot": [], "cold": [],
                "clusters": {}}
    # Contiguity depends only on the areas and their boundaries: computed once, then read
    # from the data directory by every profile of the same areas.
    cache = weights_cache()
    w = spatial.weights_for([r["code"] for r in usable],
                            [geometries[r["code"]] for r in usable], cache)
    # Rates are heavily skewed (a city centre's can be ten times the median); on the log
    # scale the outlier no longer dominates the variance that every area is judged against.
    y = np.log1p(np.array([r["rate"] for r in usable], dtype=float))
    if np.all(y == y[0]):
        return {"available": False, "method": method, "note": "Every small area has the same "
                "rate, so there are no hotspots.", "hot": [], "cold": [], "clusters": {}}
    permutations = permutations_for(len(usable))
    # Row-standardised weights with each area counting itself (weighted as one of its
    # neighbours, the usual Gi* convention). The analytical z for Gi* assumes binary weights,
    # so with row-standardised weights it is far too small: the permutation distribution is
    # the reference instead.
    gi = spatial.gi_star(y, w, permutations, SEED, cache_dir=cache)
    z = np.asarray(gi.z_sim, dtype=float)
    q = statistics.false_discovery_control(np.minimum(1.0, 2 * gi.p_sim))
    # Local Moran's quadrant (HH, LH, LL, HL) needs no permutations. Its conditional
    # permutation test would repeat Gi*'s: every neighbour in a row has the same weight and
    # the area's own value stays put, so both statistics move only with the sum of the drawn
    # neighbours' values, and the folded pseudo p-values are the same.
    mq = q
    quadrant = {1: "HH", 2: "LH", 3: "LL", 4: "HL"}
    hot, cold, clusters = [], [], defaultdict(list)
    for r, zi, qi, mqi, quad in zip(usable, z, q, mq, spatial.moran_quadrants(y, w),
                                    strict=True):
        r["gi_z"], r["gi_q"] = _round(float(zi), 3), _round(float(qi), 4)
        r["hotspot"] = ("hot" if zi > 0 else "cold") if qi < SIGNIFICANCE else ""
        r["moran_q"] = _round(float(mqi), 4)
        r["moran"] = quadrant[int(quad)] if mqi < SIGNIFICANCE else ""
        if r["hotspot"] == "hot":
            hot.append(r["code"])
        elif r["hotspot"] == "cold":
            cold.append(r["code"])
        if r["moran"]:
            clusters[r["moran"]].append(r["code"])
    return {"available": True, "method": method, "note": "", "hot": hot, "cold": cold,
            "clusters": dict(clusters), "permutations": permutations}


def weights_cache():
    from django.conf import settings

    return Path(settings.DATA_DIR) / "cache" / "weights"


def _deprivation(lsoa_table):
    """Crime by decile of each small area's own nation's index. Deciles of different indices
    are never put in one table or chart: an area spanning a border gets one per index."""
    from soclocal.areas.models import DeprivationIndex

    indices = sorted({r.get("index") for r in lsoa_table} - {None})
    if len(indices) > 1:
        parts = [{**_deprivation_one([r for r in lsoa_table if r.get("index") == i]),
                  "index": i, "index_label": DeprivationIndex(i).label} for i in indices]
        return {"by_decile": [], "spearman": None, "pearson": None, "index": None,
                "index_label": " and ".join(p["index_label"] for p in parts),
                "by_index": parts}
    one = _deprivation_one(lsoa_table)
    if indices:
        one.update(index=indices[0], index_label=DeprivationIndex(indices[0]).label)
    return one


def _deprivation_one(lsoa_table):
    by_decile = []
    for decile in range(1, 11):
        here = [r for r in lsoa_table if r["imd_decile"] == decile]
        people = sum(r["population"] or 0 for r in here)
        count = sum(r["count"] for r in here)
        by_decile.append({"decile": decile, "lsoas": len(here), "population": people,
                          "count": count, "rate": _rate(count, people)})
    paired = [(r["imd_score"], r["rate"]) for r in lsoa_table
              if r["imd_score"] is not None and r["rate"] is not None]
    spearman = pearson = None
    if len(paired) >= 5 and len({p[0] for p in paired}) > 1 and len({p[1] for p in paired}) > 1:
        x, y = zip(*paired, strict=False)
        s_r, s_p = statistics.spearman(x, y)
        p_r, p_p = statistics.pearson(x, y)
        spearman = {"r": _round(s_r, 3), "p": _round(s_p, 4), "n": len(paired)}
        pearson = {"r": _round(p_r, 3), "p": _round(p_p, 4), "n": len(paired)}
    return {"by_decile": by_decile, "spearman": spearman, "pearson": pearson}


# --- The national summary ------------------------------------------------------------------

NATIONAL_SCHEMA = "soclocal.national/1"

# Every local authority with small areas loaded, its population, and its street crime in the
# period by crime type with the harm it weighs (`harm_weights`): one pass over the store.
SQL_NATIONAL = """
WITH lsoa AS (
  SELECT code, lad_id, population FROM geo_areas WHERE type = 'lsoa21' AND lad_id IS NOT NULL
),
authority AS (
  SELECT a.id, a.code, a.name, sum(l.population) AS population, count(*) AS lsoas
  FROM geo_areas a JOIN lsoa l ON l.lad_id = a.id
  GROUP BY a.id, a.code, a.name
),
crime AS (
  SELECT l.lad_id, s.crime_type, count(*) AS n
  FROM street s JOIN lsoa l ON s.lsoa21_code = l.code
  WHERE s.month BETWEEN $from AND $to
  GROUP BY l.lad_id, s.crime_type
)
SELECT a.code, a.name, a.population, a.lsoas, c.crime_type, c.n,
       c.n * coalesce(w.weight, 0) AS harm
FROM authority a
LEFT JOIN crime c ON c.lad_id = a.id
LEFT JOIN harm_weights w ON w.crime_type = c.crime_type
ORDER BY a.code, c.crime_type
"""


def national_summary(month_from: str, month_to: str, *, con=None, weights=None) -> dict:
    """Every local authority's street crime counts by crime type, rates per 1,000 residents
    and harm for the months from `month_from` to `month_to`, in one table."""
    from soclocal.core import engines

    with engines.given_or_own(con) as con:
        return _national_summary(month_from, month_to, con, weights)


def _national_summary(month_from, month_to, con, weights):
    weights = {**DEFAULT_HARM_WEIGHTS, **(weights or {})}
    months = months_between(month_from, month_to)
    loaded = {m for (m,) in _rows(con, SQL_MONTHS_LOADED, {})}
    _register_geography(con)
    _register_table(con, "harm_weights", [
        ("crime_type", "VARCHAR", list(weights)),
        ("weight", "DOUBLE", [float(weights[t]) for t in weights])])
    found = {}
    for code, name, population, lsoas, crime_type, n, harm in _rows(
            con, SQL_NATIONAL, {"from": month_from, "to": month_to}):
        row = found.setdefault(code, {"code": code, "name": name, "population": population or None,
                                      "lsoas": lsoas, "counts": dict.fromkeys(CRIME_TYPES, 0),
                                      "harm": 0.0})
        if crime_type is not None:
            row["counts"][crime_type] = n
            row["harm"] += harm
    authorities = []
    for row in found.values():
        counts, population = row["counts"], row["population"]
        total = sum(counts.values())
        soc = sum(counts[t] for t in SOC_TYPES)
        authorities.append({
            "code": row["code"], "name": row["name"], "population": population,
            "lsoas": row["lsoas"], "counts_by_crime_type": counts, "total": total,
            "rates_per_1000": {t: _rate(n, population) for t, n in counts.items()},
            "rate_total": _rate(total, population),
            "harm": round(row["harm"], 2), "harm_per_1000": _rate(row["harm"], population),
            "soc_count": soc})
    return {"schema": NATIONAL_SCHEMA,
            "period": {"from": month_from, "to": month_to, "months": months,
                       "months_loaded": [m for m in months if m in loaded],
                       "months_missing": [m for m in months if m not in loaded]},
            "crime_types": list(CRIME_TYPES),
            "harm_weights": {t: weights.get(t, 0) for t in CRIME_TYPES},
            "soc_crime_types": list(SOC_TYPES),
            "local_authorities": authorities}


def national_csv(summary: dict) -> str:
    """The national summary as CSV: one row per local authority."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    types = summary["crime_types"]
    writer.writerow(["code", "name", "population", "lsoas", *types, "total",
                     "rate_per_1000", "harm", "harm_per_1000", "soc_count"])
    for a in summary["local_authorities"]:
        writer.writerow([a["code"], a["name"], a["population"] or "", a["lsoas"],
                         *(a["counts_by_crime_type"][t] for t in types), a["total"],
                         "" if a["rate_total"] is None else a["rate_total"], a["harm"],
                         "" if a["harm_per_1000"] is None else a["harm_per_1000"],
                         a["soc_count"]])
    return out.getvalue()
