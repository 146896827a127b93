"""Loading published geography: boundaries, lookups, deprivation and population.

`run_import(kind, path)` recognises which published file it was given from its header (CSV)
or its features' properties (GeoJSON), checks every row, and loads it all or nothing. Loading
the same file again replaces the same rows.

Population of LSOA 2021 is carried from the IoD2019 mid-2015 denominators (LSOA 2011) through
the ONS 2011-to-2021 lookup: each 2011 LSOA's population is divided equally among the 2021
LSOAs it maps to (one for unchanged and merged, several for a split), and each 2021 LSOA's
population is the sum of the shares it receives. A 2021 LSOA gets a population only when every
2011 LSOA that feeds it has one. Wards, local authorities, police force areas and custom
neighbourhoods get the sum of their LSOAs, when all of those have a population.
"""

import json
import re
from dataclasses import dataclass
from pathlib import Path

import shapely
from django.db import transaction
from django.db.models import Count, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from shapely.geometry import shape

from soclocal.core import imports
from soclocal.core.imports import CsvFile, ImportResult, Problems, Progress

from . import snapshot
from .models import Area, AreaType, Deprivation, DeprivationIndex, Indicator, LsoaLookup

KINDS = ("boundaries", "lookups", "deprivation", "population")

CODE_PATTERNS = {  # (pattern, what a good code is, in the reader's language)
    "lsoa": (re.compile(r"^[EW]01\d{6}$"),
             gettext_lazy("an LSOA code (E01 or W01 and six digits)")),
    "lsoa_england": (re.compile(r"^E01\d{6}$"),
                     gettext_lazy("an English LSOA code (E01 and six digits)")),
    "lsoa_wales": (re.compile(r"^W01\d{6}$"),
                   gettext_lazy("a Welsh LSOA code (W01 and six digits)")),
    "dz": (re.compile(r"^S01\d{6}$"), gettext_lazy("a data zone code (S01 and six digits)")),
    "iz": (re.compile(r"^S02\d{6}$"),
           gettext_lazy("an intermediate zone code (S02 and six digits)")),
    "ward": (re.compile(r"^[EW]05\d{6}$"),
             gettext_lazy("a ward code (E05 or W05 and six digits)")),
    "lad": (re.compile(r"^(E0[6-9]|W06|S12|N09)\d{6}$"),
            gettext_lazy("a local authority code (E06, E07, E08, E09, W06, S12 or N09 and six "
                         "digits)")),
    "pfa": (re.compile(r"^(E23|W15)\d{6}$"),
            gettext_lazy("a police force area code (E23 or W15 and six digits)")),
}


def run_import(kind: str, path, *, progress=None, actor=None) -> ImportResult:
    """Import one published file of the given kind; raises ImportFailed listing every problem."""
    if kind not in KINDS:
        raise ValueError(f"Unknown import kind {kind!r}; expected one of {', '.join(KINDS)}.")
    load = {"boundaries": _load_boundaries, "lookups": _load_lookups,
            "deprivation": _load_deprivation, "population": _load_population}[kind]
    result = imports.run(kind, path, load, actor=actor, progress=progress)
    # The importers write in bulk, past the signals that mark single changes.
    snapshot.changed()
    snapshot.refresh()
    return result


# ---------------------------------------------------------------- checking values

class Row:
    """One CSV row being checked: each getter records a problem and returns None if bad."""

    def __init__(self, problems: Problems, line: int, values: dict[str, str]):
        self.problems, self.line, self.values = problems, line, values
        self.ok = True

    def _bad(self, column, reason):
        self.ok = False
        self.problems.add(reason, line=self.line, field=column)

    def text(self, column):
        value = self.values[column].strip()
        if not value:
            self._bad(column, _("is empty"))
        return value

    def code(self, column, pattern):
        value = self.values[column].strip()
        regex, description = CODE_PATTERNS[pattern]
        if not regex.match(value):
            self._bad(column, _not_a(value, description))
        return value

    def number(self, column, *, what=None):
        what = what or _("a number")
        raw = self.values[column].strip()
        try:
            value = float(raw.replace(",", "")) if raw else None
        except ValueError:
            value = None
        if value is None or value != value or value in (float("inf"), float("-inf")):
            self._bad(column, _not_a(raw, what))
            return None
        return value

    def whole(self, column, *, what, low, high=None):
        value = self.number(column, what=what)
        if value is None:
            return None
        if value != int(value) or value < low or (high is not None and value > high):
            self._bad(column, _not_a(self.values[column].strip(), what))
            return None
        return int(value)

    def decile(self, column):
        return self.whole(column, what=_("a decile from 1 to 10"), low=1, high=10)

    def rank(self, column):
        # Tied places share the mean of their ranks (SIMD has 4563.5), so not always whole.
        what = _("a rank (a positive number)")
        value = self.number(column, what=what)
        if value is not None and value <= 0:
            self._bad(column, _not_a(self.values[column].strip(), what))
            return None
        return int(value) if value is not None and value == int(value) else value

    def count(self, column):
        return self.whole(column, what=_("a count of people (a whole number)"), low=0)


def _not_a(value, what) -> str:
    return _("'%(value)s' is not %(what)s") % {"value": value, "what": what}


def _checked_rows(csv_file: CsvFile, problems: Problems, report: Progress, message: str):
    for line, values in imports.rows_with_progress(csv_file.rows, report, message):
        yield Row(problems, line, values)


@dataclass(frozen=True)
class CsvFlavour:
    name: str
    columns: tuple[str, ...]  # required; the first is the one that names the area

    def fit(self, header):
        return len(set(self.columns) & set(header))


def _pick_flavour(csv_file: CsvFile, flavours, problems: Problems, kind: str):
    """The published file this header belongs to: the one whose columns it shares most."""
    best = max(flavours, key=lambda f: f.fit(csv_file.header))
    if best.columns[0] not in csv_file.header or best.fit(csv_file.header) < 2:
        known = "; ".join(f"{f.name} ({', '.join(f.columns[:3])}, ...)" for f in flavours)
        problems.add(_("the header does not match any %(kind)s file this system knows: "
                       "%(known)s") % {"kind": kind, "known": known}, line=1)
        return None
    if not imports.require_columns(csv_file, best.columns, problems):
        return None
    return best


def _duplicate(problems, seen: dict, key, column, *, line=None, feature=None):
    """Whether this key was met before in the file (a problem if so)."""
    if key in seen:
        problems.add(_("'%(key)s' appears twice (first at %(first)s)")
                     % {"key": key, "first": seen[key]}, line=line, feature=feature, field=column)
        return True
    seen[key] = (_("line %(line)s") % {"line": line} if line is not None
                 else _("feature %(feature)s") % {"feature": feature})
    return False


# ---------------------------------------------------------------- writing areas

def _upsert_areas(area_type, records: dict[str, dict], update_fields) -> dict:
    """Create or update areas of a type by code; returns counts. Each record needs a name."""
    existing = set(Area.objects.filter(type=area_type).values_list("code", flat=True))
    objs = [Area(type=area_type, code=code, **fields) for code, fields in records.items()]
    if objs:
        Area.objects.bulk_create(objs, batch_size=500, update_conflicts=True,
                                 unique_fields=["type", "code"], update_fields=update_fields)
    created = len(set(records) - existing)
    return {"created": created, "updated": len(records) - created}


def _ensure_areas(area_type, codes) -> dict[str, int]:
    """Make sure areas exist for these codes (named by code until a named file is loaded);
    returns code -> id for the whole type."""
    existing = dict(Area.objects.filter(type=area_type).values_list("code", "id"))
    missing = [Area(type=area_type, code=c, name=c) for c in codes if c not in existing]
    Area.objects.bulk_create(missing, batch_size=500)
    if missing:
        existing = dict(Area.objects.filter(type=area_type).values_list("code", "id"))
    return existing


def assign_police_force_areas() -> int:
    """Give each LSOA 2021 the police force area its representative point falls in."""
    forces = list(Area.objects.filter(type=AreaType.PFA, geometry__isnull=False)
                  .values_list("id", "geometry"))
    lsoas = list(Area.objects.filter(type=AreaType.LSOA21, geometry__isnull=False)
                 .values_list("id", "geometry"))
    if not forces or not lsoas:
        return 0
    force_shapes = shapely.make_valid(shapely.from_geojson([g for _, g in forces]))
    lsoa_shapes = shapely.make_valid(shapely.from_geojson([g for _, g in lsoas]))
    points = shapely.point_on_surface(lsoa_shapes)
    tree = shapely.STRtree(force_shapes)
    found = {}
    for i, j in zip(*tree.query(points, predicate="intersects"), strict=True):
        found.setdefault(int(i), int(j))
    # Boundaries are generalised differently, so a coastal point can fall just outside
    # every force: take the nearest force within about a kilometre.
    outside = [i for i in range(len(points)) if i not in found]
    if outside:
        near = tree.query_nearest(points[outside], max_distance=0.01, all_matches=False)
        for i, j in zip(*near, strict=True):
            found.setdefault(outside[int(i)], int(j))
    by_force: dict[int, list[int]] = {}
    for i, j in found.items():
        by_force.setdefault(forces[j][0], []).append(lsoas[i][0])
    unplaced = [lsoas[i][0] for i in range(len(lsoas)) if i not in found]
    for force_id, ids in [*by_force.items(), (None, unplaced)]:
        for start in range(0, len(ids), 5000):
            Area.objects.filter(id__in=ids[start:start + 5000]).update(pfa_id=force_id)
    return len(found)


def refresh_parent_populations():
    """Wards, local authorities, police force areas, intermediate zones and neighbourhoods:
    the sum of their LSOAs or data zones, when every one of those has a population;
    otherwise unknown."""
    from .models import Neighbourhood

    source = "sum of its LSOAs"
    updates = []
    for parent_type, link in ((AreaType.WARD, "ward"), (AreaType.LAD, "lad"),
                              (AreaType.PFA, "pfa"), (AreaType.IZ11, "iz")):
        totals = {
            row[f"{link}_id"]: row["total"] if row["n"] == row["known"] else None
            for row in Area.objects.filter(type__in=(AreaType.LSOA21, AreaType.DZ11),
                                           **{f"{link}__isnull": False})
            .values(f"{link}_id")
            .annotate(total=Sum("population"), n=Count("id"), known=Count("population"))
        }
        for pk, code, name in Area.objects.filter(type=parent_type).values_list("id", "code",
                                                                               "name"):
            people = totals.get(pk)
            summed = "sum of its data zones" if code.startswith("S") else source
            updates.append(Area(type=parent_type, code=code, name=name, population=people,
                                population_source=summed if people is not None else ""))
    for hood in Neighbourhood.objects.select_related("area").annotate(
        total=Sum("members__population"), n=Count("members"),
        known=Count("members__population"),
    ):
        people = hood.total if hood.n and hood.n == hood.known else None
        updates.append(Area(type=AreaType.NEIGHBOURHOOD, code=hood.area.code,
                            name=hood.area.name, population=people,
                            population_source=source if people is not None else ""))
    # An upsert on (type, code) writes these far faster than bulk_update's CASE statements.
    Area.objects.bulk_create(updates, batch_size=500, update_conflicts=True,
                             unique_fields=["type", "code"],
                             update_fields=["population", "population_source"])


# ---------------------------------------------------------------- boundaries

@dataclass(frozen=True)
class BoundaryFlavour:
    name: str
    area_type: str
    code_property: str
    name_property: str
    pattern: str


BOUNDARY_FLAVOURS = [
    BoundaryFlavour("lsoa21", AreaType.LSOA21, "lsoa21_code", "lsoa21_name", "lsoa"),
    BoundaryFlavour("ltla24", AreaType.LAD, "ltla24_code", "ltla24_name", "lad"),
    BoundaryFlavour("pfa20", AreaType.PFA, "pfa20_code", "pfa20_name", "pfa"),
    BoundaryFlavour("dz11", AreaType.DZ11, "dz11_code", "dz11_name", "dz"),
]


def _load_boundaries(path: Path, problems: Problems, report: Progress) -> ImportResult:
    data = imports.read_json(path, problems)
    if data is None:
        return None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        problems.add(_("this is not a GeoJSON FeatureCollection"))
        return None
    features = data.get("features")
    if not isinstance(features, list) or not features:
        problems.add(_("the FeatureCollection has no features"))
        return None
    first = features[0].get("properties") if isinstance(features[0], dict) else None
    flavour = next((f for f in BOUNDARY_FLAVOURS
                    if isinstance(first, dict) and f.code_property in first), None)
    if flavour is None:
        known = ", ".join(f.code_property for f in BOUNDARY_FLAVOURS)
        problems.add(_("the features' properties name no known area code (%(known)s)")
                     % {"known": known}, feature=1)
        return None

    regex, description = CODE_PATTERNS[flavour.pattern]
    records, seen = {}, {}
    for number, feature in enumerate(features, start=1):
        report(number, len(features), "checking boundaries")
        props = feature.get("properties") if isinstance(feature, dict) else None
        if not isinstance(props, dict) or feature.get("type") != "Feature":
            problems.add(_("is not a GeoJSON Feature with properties"), feature=number)
            continue
        code = str(props.get(flavour.code_property) or "").strip()
        name = str(props.get(flavour.name_property) or "").strip()
        ok = True
        if not regex.match(code):
            problems.add(_not_a(code, description), feature=number,
                         field=flavour.code_property)
            ok = False
        elif _duplicate(problems, seen, code, flavour.code_property, feature=number):
            ok = False
        if not name:
            problems.add(_("is empty"), feature=number, field=flavour.name_property)
            ok = False
        geometry = feature.get("geometry")
        try:
            if not isinstance(geometry, dict) or geometry.get("type") not in (
                    "Polygon", "MultiPolygon"):
                raise ValueError(_("it is not a Polygon or MultiPolygon"))
            if shape(geometry).is_empty:
                raise ValueError(_("it is empty"))
        except Exception as e:  # shapely raises several kinds for malformed coordinates
            problems.add(_("the geometry cannot be used: %(error)s") % {"error": e},
                         feature=number, field="geometry")
            ok = False
        if ok:
            records[code] = {"name": name,
                             "geometry": json.dumps(geometry, separators=(",", ":"))}
    problems.raise_if_any()

    report(0, 1, f"saving {len(records)} boundaries")
    upserted = _upsert_areas(flavour.area_type, records, ["name", "geometry"])
    counts = {"areas_created": upserted["created"], "areas_updated": upserted["updated"]}
    if flavour.area_type in (AreaType.LSOA21, AreaType.PFA):
        report(0, 1, "placing LSOAs in police force areas")
        counts["lsoas_placed_in_force_areas"] = assign_police_force_areas()
        refresh_parent_populations()
    report(1, 1, "done")
    return ImportResult("boundaries", flavour.name, path.name, rows=len(records), counts=counts)


# ---------------------------------------------------------------- lookups

LOOKUP_FLAVOURS = [
    CsvFlavour("lsoa11_lsoa21", ("lsoa11_code", "lsoa11_name", "change_code", "lsoa21_code",
                                 "lsoa21_name", "ltla22_code", "ltla22_name")),
    CsvFlavour("lsoa21_ward24", ("lsoa21_code", "lsoa21_name", "ward24_code", "ward24_name",
                                 "ltla24_code", "ltla24_name")),
    CsvFlavour("dz11_iz11_ltla20", ("dz11_code", "dz11_name", "iz11_code", "iz11_name",
                                    "ltla20_code", "ltla20_name")),
]


def _load_lookups(path, problems, report):
    csv_file = imports.read_csv(path, problems)
    if csv_file is None:
        return None
    flavour = _pick_flavour(csv_file, LOOKUP_FLAVOURS, problems, "lookup")
    if flavour is None:
        return None
    if flavour.name == "lsoa11_lsoa21":
        return _load_lsoa_lookup(path, csv_file, problems, report)
    if flavour.name == "dz11_iz11_ltla20":
        return _load_data_zone_lookup(path, csv_file, problems, report)
    return _load_ward_lookup(path, csv_file, problems, report)


def _load_lsoa_lookup(path, csv_file, problems, report):
    pairs, seen = [], {}
    for row in _checked_rows(csv_file, problems, report, "checking the LSOA lookup"):
        old, new = row.code("lsoa11_code", "lsoa"), row.code("lsoa21_code", "lsoa")
        change = row.values["change_code"].strip()
        if change not in LsoaLookup.Change.values:
            row._bad("change_code", f"'{change}' is not a change code (U, S, M or X)")
        names = [row.text(c) for c in ("lsoa11_name", "lsoa21_name", "ltla22_name")]
        lad = row.code("ltla22_code", "lad")
        pair = f"{old} -> {new}"
        if row.ok and not _duplicate(problems, seen, pair, "lsoa21_code", line=row.line):
            pairs.append(LsoaLookup(lsoa11_code=old, lsoa11_name=names[0], lsoa21_code=new,
                                    lsoa21_name=names[1], change=change, lad22_code=lad,
                                    lad22_name=names[2]))
    problems.raise_if_any()

    report(0, 1, f"saving {len(pairs)} lookup rows")
    # Replace every row for the 2011 LSOAs in this file, so a re-import leaves no stale pairs.
    old_codes = sorted({p.lsoa11_code for p in pairs})
    for start in range(0, len(old_codes), 5000):
        LsoaLookup.objects.filter(lsoa11_code__in=old_codes[start:start + 5000]).delete()
    LsoaLookup.objects.bulk_create(pairs, batch_size=500)
    counts = _upsert_areas(AreaType.LSOA11, {p.lsoa11_code: {"name": p.lsoa11_name}
                                             for p in pairs}, ["name"])
    carry_welsh_deprivation()
    report(1, 1, "done")
    return ImportResult("lookups", "lsoa11_lsoa21", path.name, rows=len(pairs),
                        counts={"lookup_rows": len(pairs), "lsoa11_created": counts["created"]})


def _load_ward_lookup(path, csv_file, problems, report):
    lsoas, wards, lads, seen = {}, {}, {}, {}
    for row in _checked_rows(csv_file, problems, report, "checking the ward lookup"):
        lsoa, ward, lad = (row.code("lsoa21_code", "lsoa"), row.code("ward24_code", "ward"),
                           row.code("ltla24_code", "lad"))
        names = [row.text(c) for c in ("lsoa21_name", "ward24_name", "ltla24_name")]
        if row.ok and not _duplicate(problems, seen, lsoa, "lsoa21_code", line=row.line):
            lsoas[lsoa] = (names[0], ward, lad)
            wards[ward] = {"name": names[1]}
            lads[lad] = {"name": names[2]}
    problems.raise_if_any()

    report(0, 1, f"saving {len(lsoas)} LSOAs in {len(wards)} wards")
    ward_counts = _upsert_areas(AreaType.WARD, wards, ["name"])
    lad_counts = _upsert_areas(AreaType.LAD, lads, ["name"])
    ward_ids = dict(Area.objects.filter(type=AreaType.WARD).values_list("code", "id"))
    lad_ids = dict(Area.objects.filter(type=AreaType.LAD).values_list("code", "id"))
    lsoa_counts = _upsert_areas(
        AreaType.LSOA21,
        {code: {"name": name, "ward_id": ward_ids[ward], "lad_id": lad_ids[lad]}
         for code, (name, ward, lad) in lsoas.items()},
        ["name", "ward", "lad"],
    )
    carry_welsh_deprivation()
    refresh_parent_populations()
    report(1, 1, "done")
    return ImportResult("lookups", "lsoa21_ward24", path.name, rows=len(lsoas),
                        counts={"lsoas": len(lsoas), "lsoas_created": lsoa_counts["created"],
                                "wards_created": ward_counts["created"],
                                "local_authorities_created": lad_counts["created"]})


def _load_data_zone_lookup(path, csv_file, problems, report):
    """Scotland: each data zone's intermediate zone and council area."""
    zones, izs, councils, seen = {}, {}, {}, {}
    for row in _checked_rows(csv_file, problems, report, "checking the data zone lookup"):
        dz, iz = row.code("dz11_code", "dz"), row.code("iz11_code", "iz")
        council = row.code("ltla20_code", "lad")
        if council and not council.startswith("S12"):
            row._bad("ltla20_code", f"'{council}' is not a Scottish council area code "
                                    "(S12 and six digits)")
        names = [row.text(c) for c in ("dz11_name", "iz11_name", "ltla20_name")]
        if row.ok and not _duplicate(problems, seen, dz, "dz11_code", line=row.line):
            zones[dz] = (names[0], iz, council)
            izs[iz] = {"name": names[1]}
            councils[council] = {"name": names[2]}
    problems.raise_if_any()

    report(0, 1, f"saving {len(zones)} data zones in {len(izs)} intermediate zones")
    iz_counts = _upsert_areas(AreaType.IZ11, izs, ["name"])
    council_counts = _upsert_areas(AreaType.LAD, councils, ["name"])
    iz_ids = dict(Area.objects.filter(type=AreaType.IZ11).values_list("code", "id"))
    lad_ids = dict(Area.objects.filter(type=AreaType.LAD).values_list("code", "id"))
    zone_counts = _upsert_areas(
        AreaType.DZ11,
        {code: {"name": name, "iz_id": iz_ids[iz], "lad_id": lad_ids[council]}
         for code, (name, iz, council) in zones.items()},
        ["name", "iz", "lad"],
    )
    refresh_parent_populations()
    report(1, 1, "done")
    return ImportResult("lookups", "dz11_iz11_ltla20", path.name, rows=len(zones),
                        counts={"data_zones": len(zones),
                                "data_zones_created": zone_counts["created"],
                                "intermediate_zones_created": iz_counts["created"],
                                "council_areas_created": council_counts["created"]})


# ---------------------------------------------------------------- deprivation

@dataclass(frozen=True)
class IndexFlavour:
    flavour: CsvFlavour
    index: str
    area_type: str
    pattern: str
    scored: bool  # whether the file carries scores as well as ranks and deciles


DEPRIVATION_FLAVOURS = [
    IndexFlavour(CsvFlavour("imd2025", ("lsoa21_code", "IMD_decile", "IMD_rank", "IMD_score",
                                        "Housing_and_Services_decile")),
                 DeprivationIndex.IMD2025, AreaType.LSOA21, "lsoa_england", True),
    IndexFlavour(CsvFlavour("imd2019", ("lsoa11_code", "IMD_decile", "IMD_rank",
                                        "Housing_and_Access_decile")),
                 DeprivationIndex.IMD2019, AreaType.LSOA11, "lsoa_england", False),
    IndexFlavour(CsvFlavour("wimd2019", ("lsoa11_code", "IMD_decile", "IMD_rank", "IMD_score",
                                         "Access_decile")),
                 DeprivationIndex.WIMD2019, AreaType.LSOA11, "lsoa_wales", True),
    IndexFlavour(CsvFlavour("simd2020", ("dz11_code", "IMD_decile", "IMD_rank",
                                         "Access_decile")),
                 DeprivationIndex.SIMD2020, AreaType.DZ11, "dz", False),
]

MEASURES = ("decile", "rank", "score")


def _domains(header):
    """Domain names from the header: every '<Domain>_decile|rank|score' column but IMD's."""
    names = []
    for column in header:
        stem, _, measure = column.rpartition("_")
        if measure in MEASURES and stem and stem != "IMD" and stem not in names:
            names.append(stem)
    return names


def _load_deprivation(path, problems, report):
    csv_file = imports.read_csv(path, problems)
    if csv_file is None:
        return None
    flavour_csv = _pick_flavour(csv_file, [f.flavour for f in DEPRIVATION_FLAVOURS], problems,
                                "deprivation")
    if flavour_csv is None:
        return None
    flavour = next(f for f in DEPRIVATION_FLAVOURS if f.flavour is flavour_csv)
    code_column = flavour_csv.columns[0]
    domains = _domains(csv_file.header)

    readings, seen = {}, {}
    for row in _checked_rows(csv_file, problems, report, "checking deprivation"):
        code = row.code(code_column, flavour.pattern)
        decile, rank = row.decile("IMD_decile"), row.rank("IMD_rank")
        score = row.number("IMD_score") if flavour.scored else None
        detail = {}
        for domain in domains:
            detail[domain.lower()] = {
                "decile": row.decile(f"{domain}_decile")
                if f"{domain}_decile" in row.values else None,
                "rank": row.rank(f"{domain}_rank") if f"{domain}_rank" in row.values else None,
                "score": row.number(f"{domain}_score")
                if f"{domain}_score" in row.values else None,
            }
        if row.ok and not _duplicate(problems, seen, code, code_column, line=row.line):
            readings[code] = {"decile": decile, "rank": rank, "score": score, "domains": detail}
    problems.raise_if_any()

    report(0, 1, f"saving {len(readings)} deprivation readings")
    ids = _ensure_areas(flavour.area_type, readings)
    existing = set(Deprivation.objects.filter(index=flavour.index).values_list("area_id",
                                                                                flat=True))
    Deprivation.objects.bulk_create(
        [Deprivation(area_id=ids[code], index=flavour.index, **values)
         for code, values in readings.items()],
        batch_size=500, update_conflicts=True, unique_fields=["area", "index"],
        update_fields=["decile", "rank", "score", "domains"],
    )
    created = len({ids[c] for c in readings} - existing)
    if flavour.index == DeprivationIndex.WIMD2019:
        report(0, 1, "carrying WIMD 2019 to 2021 LSOAs")
        carry_welsh_deprivation()
    report(1, 1, "done")
    return ImportResult("deprivation", flavour_csv.name, path.name, rows=len(readings),
                        counts={"readings_created": created,
                                "readings_replaced": len(readings) - created})


def carry_welsh_deprivation() -> int:
    """WIMD 2019 is published for 2011 LSOAs; give each Welsh 2021 LSOA loaded its reading
    through the ONS lookup, so Welsh areas are read against their own index. An unchanged or
    split 2021 LSOA takes its 2011 LSOA's reading; one merged from several takes the mean of
    their ranks (and scores), with the decile that mean rank falls in. Run after the index,
    the lookup or the 2021 LSOAs are loaded, in whatever order they come."""
    wimd = {d.area.code: d for d in Deprivation.objects.filter(
        index=DeprivationIndex.WIMD2019, area__type=AreaType.LSOA11).select_related("area")}
    if not wimd:
        return 0
    welsh = dict(Area.objects.filter(type=AreaType.LSOA21, code__startswith="W")
                 .values_list("code", "id"))
    sources: dict[str, list[str]] = {}
    for old, new in LsoaLookup.objects.filter(lsoa21_code__startswith="W").values_list(
            "lsoa11_code", "lsoa21_code"):
        sources.setdefault(new, []).append(old)
    ranked = len(wimd)
    carried = []
    for code, pk in welsh.items():
        olds = [wimd[o] for o in sources.get(code, [code]) if o in wimd]
        if not olds or len(olds) != len(sources.get(code, [code])):
            continue
        if len(olds) == 1:
            d = olds[0]
            values = {"decile": d.decile, "rank": d.rank, "score": d.score, "domains": d.domains}
        else:
            rank = sum(d.rank for d in olds) / len(olds)
            scores = [d.score for d in olds if d.score is not None]
            values = {"decile": min(10, max(1, -(-10 * rank // ranked))), "rank": rank,
                      "score": sum(scores) / len(scores) if len(scores) == len(olds) else None,
                      "domains": {}}
        carried.append(Deprivation(area_id=pk, index=DeprivationIndex.WIMD2019, **values))
    Deprivation.objects.bulk_create(carried, batch_size=500, update_conflicts=True,
                                    unique_fields=["area", "index"],
                                    update_fields=["decile", "rank", "score", "domains"])
    return len(carried)


# ---------------------------------------------------------------- population

POPULATION_FLAVOURS = [
    CsvFlavour("iod2019_denominators", ("LSOA code (2011)", "LSOA name (2011)",
                                        "Total population: mid 2015 (excluding prisoners)")),
    CsvFlavour("simd2020_indicators", ("dz11_code", "Total_population")),
]
IOD_POPULATION = "Total population: mid 2015 (excluding prisoners)"


def _load_population(path, problems, report):
    csv_file = imports.read_csv(path, problems)
    if csv_file is None:
        return None
    flavour = _pick_flavour(csv_file, POPULATION_FLAVOURS, problems, "population")
    if flavour is None:
        return None
    if flavour.name == "simd2020_indicators":
        return _load_data_zone_population(path, csv_file, problems, report)
    return _load_lsoa_population(path, csv_file, problems, report)


# SIMD 2020's own crime indicator, kept beside the population when the file carries it:
# recorded crime (as published, not always whole) and the rate per 10,000 people.
SIMD_CRIME_COLUMNS = ("crime_count", "crime_rate")


def _load_data_zone_population(path, csv_file, problems, report):
    people, crime, seen = {}, {}, {}
    crime_columns = [c for c in SIMD_CRIME_COLUMNS if c in csv_file.header]
    for row in _checked_rows(csv_file, problems, report, "checking population"):
        code, count = row.code("dz11_code", "dz"), row.count("Total_population")
        figures = {}
        for column in crime_columns:
            # SIMD suppresses small figures with '*', and leaves a few empty: not known.
            if row.values[column].strip() not in ("", "*"):
                value = row.number(column, what=_("a number of 0 or more"))
                if value is not None and value < 0:
                    row._bad(column, f"'{row.values[column].strip()}' is not a number of 0 "
                                     "or more")
                figures[column] = value
        if row.ok and not _duplicate(problems, seen, code, "dz11_code", line=row.line):
            people[code] = count
            crime[code] = figures
    problems.raise_if_any()

    ids = _ensure_areas(AreaType.DZ11, people)
    Indicator.objects.bulk_create(
        [Indicator(area_id=ids[code], source="simd2020", name=name, value=value)
         for code, figures in crime.items() for name, value in figures.items()],
        batch_size=500, update_conflicts=True, unique_fields=["area", "source", "name"],
        update_fields=["value"])
    _upsert_areas(AreaType.DZ11, {c: {"name": c, "population": n,
                                      "population_source": "SIMD 2020 (mid-2017)"}
                                  for c, n in people.items()},
                  ["population", "population_source"])
    refresh_parent_populations()
    report(1, 1, "done")
    return ImportResult("population", "simd2020_indicators", path.name, rows=len(people),
                        counts={"data_zones": len(people)})


def _load_lsoa_population(path, csv_file, problems, report):
    if not LsoaLookup.objects.exists():
        problems.add(_("the LSOA 2011 to 2021 lookup is not loaded, so these 2011 populations "
                       "cannot be carried to 2021 LSOAs: import lookups/lsoa11_lsoa21_ltla22.csv "
                       "first"))
        return None
    people, names, seen = {}, {}, {}
    for row in _checked_rows(csv_file, problems, report, "checking population"):
        code = row.code("LSOA code (2011)", "lsoa")
        name = row.text("LSOA name (2011)")
        count = row.count(IOD_POPULATION)
        if row.ok and not _duplicate(problems, seen, code, "LSOA code (2011)", line=row.line):
            people[code], names[code] = count, name
    problems.raise_if_any()

    report(0, 1, "saving 2011 populations")
    source_2011 = "mid-2015 (IoD2019 denominators)"
    _upsert_areas(AreaType.LSOA11, {c: {"name": names[c], "population": n,
                                        "population_source": source_2011}
                                    for c, n in people.items()},
                  ["name", "population", "population_source"])

    report(0, 1, "carrying populations to 2021 LSOAs")
    known = dict(Area.objects.filter(type=AreaType.LSOA11, population__isnull=False)
                 .values_list("code", "population"))
    targets_of: dict[str, list[str]] = {}
    sources_of: dict[str, list[str]] = {}
    names_2021 = {}
    for old, new, new_name in LsoaLookup.objects.values_list("lsoa11_code", "lsoa21_code",
                                                            "lsoa21_name"):
        targets_of.setdefault(old, []).append(new)
        sources_of.setdefault(new, []).append(old)
        names_2021[new] = new_name
    carried, incomplete = carry_population(known, targets_of, sources_of,
                                           only_from=set(people))
    not_in_lookup = len(set(people) - set(targets_of))
    source_2021 = "mid-2015 (IoD2019 denominators, carried from LSOA 2011)"
    # Names only matter for 2021 LSOAs not yet loaded; existing names are kept.
    _upsert_areas(AreaType.LSOA21, {c: {"name": names_2021[c], "population": n,
                                        "population_source": source_2021}
                                    for c, n in carried.items()},
                  ["population", "population_source"])
    refresh_parent_populations()
    report(1, 1, "done")
    result = ImportResult("population", "iod2019_denominators", path.name, rows=len(people),
                          counts={"lsoa11": len(people), "lsoa21_carried": len(carried),
                                  "lsoa21_incomplete": incomplete,
                                  "lsoa11_not_in_lookup": not_in_lookup})
    if incomplete:
        result.notes.append(f"{incomplete} LSOA 2021 areas were left without a population "
                            "because not every 2011 LSOA feeding them has one.")
    if not_in_lookup:
        result.notes.append(f"{not_in_lookup} LSOA 2011 codes are not in the lookup and were "
                            "not carried to 2021.")
    return result


def carry_population(known: dict[str, int], targets_of: dict[str, list[str]],
                     sources_of: dict[str, list[str]], only_from=None):
    """LSOA 2021 populations from 2011 ones: each 2011 population divided equally among its
    2021 LSOAs, then summed. Returns ({lsoa21: population}, how many were incomplete)."""
    carried, incomplete = {}, 0
    for new, olds in sources_of.items():
        if only_from is not None and not any(o in only_from for o in olds):
            continue
        if not all(o in known for o in olds):
            incomplete += 1
            continue
        carried[new] = round(sum(known[o] / len(targets_of[o]) for o in olds))
    return carried, incomplete


@transaction.atomic
def recompute_memberships():
    """Recompute police force areas and parent populations (after manual data changes)."""
    placed = assign_police_force_areas()
    refresh_parent_populations()
    return placed
