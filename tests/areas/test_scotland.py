"""Scottish geography: data zones, intermediate zones and council areas, loaded with the
ordinary import commands and shown in the area explorer."""

import csv

import pytest
from django.urls import reverse

from soclocal.areas.imports import run_import
from soclocal.areas.models import Area, AreaType
from soclocal.core.access import Role
from soclocal.core.imports import ImportFailed
from tests.scotland import ORKNEY, SCOTLAND, SHETLAND, load_scotland, lookup_rows

from .conftest import snapshot


def test_the_import_commands_load_scotland(db):
    load_scotland(command=True)
    rows = lookup_rows()
    orkney = Area.objects.get(type=AreaType.LAD, code=ORKNEY)
    zones = {r["dz11_code"] for r in rows if r["ltla20_code"] == ORKNEY}
    assert set(orkney.lad_lsoas.values_list("code", flat=True)) == zones
    assert Area.objects.filter(type=AreaType.IZ11).count() == len({r["iz11_code"] for r in rows})

    # Populations roll up from the data zones, summed here from the file independently.
    with open(SCOTLAND / "simd2020_scotland_dz11_indicators.csv", newline="") as f:
        people = {r["dz11_code"]: float(r["Total_population"]) for r in csv.DictReader(f)}
    assert orkney.population == round(sum(people[z] for z in zones))
    assert orkney.population_source == "sum of its data zones"
    first = rows[0]
    zone = Area.objects.select_related("iz", "lad").get(type=AreaType.DZ11,
                                                        code=first["dz11_code"])
    assert (zone.iz.code, zone.lad.code, zone.name) == (first["iz11_code"],
                                                       first["ltla20_code"], first["dz11_name"])
    assert zone.iz.population == round(sum(
        people[r["dz11_code"]] for r in rows if r["iz11_code"] == first["iz11_code"]))


@pytest.mark.parametrize("column,value,words", [
    ("dz11_code", "S0100650", "is not a data zone code"),
    ("iz11_code", "E02000001", "is not an intermediate zone code"),
    ("ltla20_code", "E06000018", "is not a Scottish council area code"),
    ("ltla20_name", "", "is empty"),
])
def test_a_bad_lookup_changes_nothing(db, tmp_path, column, value, words):
    load_scotland("ltla24.geojson")
    before = snapshot()
    rows = lookup_rows()
    rows[4][column] = value
    bad = tmp_path / "dz11_iz11_ltla20.csv"
    with open(bad, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    with pytest.raises(ImportFailed) as failed:
        run_import("lookups", bad)
    problem = failed.value.errors[0]
    assert (problem.line, problem.field) == (6, column) and words in problem.reason
    assert snapshot() == before


@pytest.fixture
def analyst(make_user, login):
    return login(make_user(Role.ANALYST))


def test_council_area_page_maps_its_data_zones_with_simd(db, analyst):
    load_scotland()
    html = analyst.get(reverse("areas:area", args=["lad", SHETLAND])).content.decode()
    assert "Scottish Index of Multiple Deprivation 2020" in html
    assert "The 30 small areas in Shetland Islands" in html and "data-area-map" in html
    assert 'id="missing-levels"' not in html
    geo = analyst.get(reverse("areas:area_geojson", args=["lad", SHETLAND])).json()
    assert len(geo["features"]) == 30
    assert all(1 <= f["properties"]["imd_decile"] <= 10 for f in geo["features"])
    zone = geo["features"][0]["properties"]["code"]
    page = analyst.get(reverse("areas:area", args=["dz11", zone])).content.decode()
    assert reverse("areas:area", args=["lad", SHETLAND]) in page  # its council area
    assert "Intermediate zone (Scotland)" in page
    found = analyst.get(reverse("areas:explorer"), {"q": "Lerwick", "type": "iz11"})
    assert "Lerwick" in found.content.decode()


def test_a_missing_level_is_named_on_the_page(db, analyst):
    load_scotland("ltla24.geojson")
    html = analyst.get(reverse("areas:area", args=["lad", ORKNEY])).content.decode()
    assert 'id="missing-levels"' in html and "No data zones are loaded" in html
    assert "dz11_iz11_ltla20.csv" in html

    load_scotland("dz11_iz11_ltla20.csv")
    html = analyst.get(reverse("areas:area", args=["lad", ORKNEY])).content.decode()
    assert "No data zone boundaries are loaded" in html and "dz11.geojson" in html
    assert "SIMD 2020 is not loaded" in html
