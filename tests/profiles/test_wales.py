"""Welsh profiles read deprivation from WIMD 2019 and compare Welsh areas with Welsh areas;
an area spanning the border gets each nation's own index, never mixed."""

import csv
import random
from pathlib import Path

import pytest

from soclocal.areas import snapshot
from soclocal.areas.imports import run_import
from soclocal.areas.models import Area, AreaType
from soclocal.crime.imports import import_paths
from soclocal.profiles.analytics import compute_profile
from soclocal.profiles.report import charts

WALES = Path(__file__).resolve().parents[1] / "fixtures" / "wales"
NEWPORT = "W06000022"
HEADER = ["Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude",
          "Location", "LSOA code", "LSOA name", "Crime type", "Last outcome category",
          "Context"]


def rows_of(name):
    with open(WALES / name, newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture
def wales(db, settings, tmp_path):
    """Gwent and the Forest of Dean, and a month of made-up street crime in every LSOA."""
    settings.DATA_DIR = tmp_path / "var"
    settings.DATA_DIR.mkdir()
    for kind, name in [("boundaries", "lsoa21.geojson"), ("lookups", "lsoa11_lsoa21_ltla22.csv"),
                       ("lookups", "lsoa21_ward24_ltla24.csv"),
                       ("deprivation", "wimd2019_wales_lsoa11.csv"),
                       ("deprivation", "imd2025_england_lsoa21.csv")]:
        run_import(kind, WALES / name)
    # Welsh LSOA populations are not among the open files here: every LSOA is given 1,500
    # residents so that rates, and charts of rates, exist.
    Area.objects.filter(type=AreaType.LSOA21).update(population=1500)
    snapshot.changed()  # a bulk update passes by the signals that would say so
    rng = random.Random(7)
    street = tmp_path / "2024-01-gwent-street.csv"
    with open(street, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(HEADER)
        for r in rows_of("lsoa21_ward24_ltla24.csv"):
            for _ in range(rng.randint(1, 6)):
                writer.writerow(["", "2024-01", "Gwent Police", "Gwent Police", "-3.0", "51.6",
                                 "On or near High Street", r["lsoa21_code"], r["lsoa21_name"],
                                 "Anti-social behaviour", "", ""])
    import_paths([street])


def wimd_deciles_through_the_lookup():
    """Each Welsh 2021 LSOA's WIMD 2019 decile, read from the files: its one 2011 LSOA's."""
    wimd = {r["lsoa11_code"]: int(r["IMD_decile"]) for r in rows_of("wimd2019_wales_lsoa11.csv")}
    sources = {}
    for r in rows_of("lsoa11_lsoa21_ltla22.csv"):
        sources.setdefault(r["lsoa21_code"], []).append(r["lsoa11_code"])
    return {new: wimd[olds[0]] for new, olds in sources.items()
            if len(olds) == 1 and olds[0] in wimd}


def test_newport_reads_wimd_and_is_compared_with_welsh_authorities(wales):
    newport = Area.objects.get(type=AreaType.LAD, code=NEWPORT)
    f = compute_profile(newport, "2024-01", "2024-01")
    assert f["deprivation"]["index"] == "wimd2019"
    assert f["deprivation"]["index_label"] == "Welsh Index of Multiple Deprivation 2019"
    expected = wimd_deciles_through_the_lookup()
    newport_lsoas = {r["lsoa21_code"] for r in rows_of("lsoa21_ward24_ltla24.csv")
                     if r["ltla24_code"] == NEWPORT}
    assert {r["code"]: r["imd_decile"] for r in f["lsoas"]} == {
        c: expected[c] for c in newport_lsoas}
    by_decile = {d["decile"]: d["lsoas"] for d in f["deprivation"]["by_decile"]}
    assert by_decile == {d: sum(1 for c in newport_lsoas if expected[c] == d)
                         for d in range(1, 11)}
    similar = [c["code"] for c in f["comparison"] if c["role"] == "similar"]
    assert len(similar) == 4 and all(code.startswith("W06") for code in similar)
    assert [c["title"] for c in charts(f) if c["id"] == "deciles"] == [
        "Crime rate by Welsh Index of Multiple Deprivation 2019 decile"]


def test_an_area_across_the_border_keeps_each_index_apart(wales, org):
    from soclocal.areas.services import create_neighbourhood

    welsh = rows_of("lsoa21_ward24_ltla24.csv")
    codes = ([r["lsoa21_code"] for r in welsh if r["ltla24_code"] == NEWPORT][:6]
             + [r["lsoa21_code"] for r in welsh if r["ltla24_code"] == "E07000080"][:6])
    hood = create_neighbourhood(None, name="Severn crossing", member_codes=codes,
                                owning_agency=org["police"])
    f = compute_profile(hood.area, "2024-01", "2024-01")
    parts = f["deprivation"]["by_index"]
    assert [p["index"] for p in parts] == ["imd2025", "wimd2019"]
    assert f["deprivation"]["by_decile"] == []  # no chart of mixed deciles
    assert [sum(d["lsoas"] for d in p["by_decile"]) for p in parts] == [6, 6]
    titles = [c["title"] for c in charts(f) if c["id"] == "deciles"]
    assert titles == ["Crime rate by English Indices of Deprivation 2025 decile",
                      "Crime rate by Welsh Index of Multiple Deprivation 2019 decile"]
