"""Importing the published geography files: real data in, every kind of bad file refused."""

import csv
import hashlib
import shutil

import pytest

from soclocal.areas.imports import run_import
from soclocal.areas.models import Area, AreaType, Deprivation, LsoaLookup
from soclocal.core.imports import ImportFailed
from soclocal.core.models import AuditEvent

from .conftest import snapshot

NOTTINGHAM = "E06000018"


def test_demo_geography_loads(demo_geography):
    assert Area.objects.filter(type=AreaType.LSOA21).count() == 684
    assert Area.objects.filter(type=AreaType.LAD).count() == 8
    assert Area.objects.filter(type=AreaType.LSOA21, lad__code=NOTTINGHAM).count() == 179
    assert not Area.objects.filter(type=AreaType.LSOA21, ward__isnull=True).exists()
    # Every LSOA is placed in the Nottinghamshire force area by point in polygon.
    assert Area.objects.filter(type=AreaType.LSOA21, pfa__code="E23000019").count() == 684
    assert Deprivation.objects.filter(index="imd2025").count() == 684
    assert Deprivation.objects.filter(index="imd2019").count() == 679
    assert LsoaLookup.objects.count() == 690
    reading = Deprivation.objects.get(area__code="E01013810", index="imd2025")
    assert 1 <= reading.decile <= 10 and reading.score is not None
    assert set(reading.domains) >= {"income", "crime", "housing_and_services"}


def test_every_import_is_audited_with_the_files_hash(demo_geography, demo_file):
    events = AuditEvent.objects.filter(action__startswith="import.")
    assert events.count() == 8
    event = events.get(action="import.deprivation", detail__file="imd2025_england_lsoa21.csv")
    digest = hashlib.sha256(demo_file("imd2025_england_lsoa21.csv").read_bytes()).hexdigest()
    assert event.detail["sha256"] == digest and event.detail["rows"] == 684


def test_importing_again_changes_nothing(demo_geography):
    from soclocal.areas.demo import load_demo_geography

    before = snapshot()
    load_demo_geography()
    after = snapshot()
    assert after["audit"] == before["audit"] + 8
    for key in ("areas", "deprivation", "lookups"):
        assert after[key] == before[key], key


def test_population_is_carried_through_splits_and_merges(demo_geography, demo_file):
    # Read the published rows directly, to check against a hand computation.
    with open(demo_file("iod2019_population_denominators_lsoa11.csv"), encoding="utf-8-sig",
              newline="") as f:
        people = {r["LSOA code (2011)"]: int(r["Total population: mid 2015 (excluding prisoners)"]
                                             .replace(",", "")) for r in csv.DictReader(f)}
    with open(demo_file("lsoa11_lsoa21_ltla22.csv"), encoding="utf-8", newline="") as f:
        lookup = list(csv.DictReader(f))

    # Split: Ashfield 013B (2011) became three 2021 LSOAs, each gets a third.
    split = [r for r in lookup if r["lsoa11_code"] == "E01027931"]
    assert {r["change_code"] for r in split} == {"S"}
    assert sorted(r["lsoa21_code"] for r in split) == ["E01033778", "E01033779", "E01033781"]
    for code in ("E01033778", "E01033779", "E01033781"):
        assert Area.objects.get(type="lsoa21", code=code).population == round(
            people["E01027931"] / 3)

    # Merge: Nottingham 032B and 032C (2011) became Nottingham 041E, which gets both.
    merged = [r for r in lookup if r["lsoa21_code"] == "E01035507"]
    assert sorted(r["lsoa11_code"] for r in merged) == ["E01013974", "E01013975"]
    assert {r["change_code"] for r in merged} == {"M"}
    assert all(len([x for x in lookup if x["lsoa11_code"] == r["lsoa11_code"]]) == 1
               for r in merged)
    assert Area.objects.get(type="lsoa21", code="E01035507").population == (
        people["E01013974"] + people["E01013975"])

    # Unchanged: the same people, and the 2011 LSOA keeps its own figure.
    assert Area.objects.get(type="lsoa21", code="E01013810").population == people["E01013810"]
    assert Area.objects.get(type="lsoa11", code="E01013810").population == people["E01013810"]


def test_parents_get_the_sum_of_their_lsoas(demo_geography):
    for area_type, link in (("lad", "lad"), ("ward", "ward"), ("pfa", "pfa")):
        parent = Area.objects.filter(type=area_type).first()
        lsoas = Area.objects.filter(type="lsoa21", **{link: parent})
        assert parent.population == sum(a.population for a in lsoas) > 0


def test_population_needs_the_lookup_first(db, demo_file):
    with pytest.raises(ImportFailed) as failed:
        run_import("population", demo_file("iod2019_population_denominators_lsoa11.csv"))
    assert "lookup is not loaded" in str(failed.value)
    assert "lsoa11_lsoa21_ltla22.csv" in str(failed.value)


def test_scotland_and_wales(db, fixture_file):
    run_import("boundaries", fixture_file("dz11.geojson"))
    run_import("deprivation", fixture_file("simd2020_scotland_dz11.csv"))
    run_import("population", fixture_file("simd2020_scotland_dz11_indicators.csv"))
    zone = Area.objects.get(type="dz11", code="S01006506")
    assert zone.name == "Culter - 01" and zone.population == 894 and zone.geometry
    simd = zone.deprivation.get(index="simd2020")
    assert (simd.decile, simd.rank, simd.score) == (7, 4691, None)
    # SIMD ranks of tied places are means, such as 4563.5.
    assert Deprivation.objects.filter(index="simd2020").count() == 6

    result = run_import("deprivation", fixture_file("wimd2019_wales_lsoa11.csv"))
    assert result.flavour == "wimd2019" and result.rows == 20
    welsh = Deprivation.objects.get(area__code="W01000001", index="wimd2019")
    assert welsh.area.type == "lsoa11" and welsh.decile == 5 and welsh.score == pytest.approx(19.174, abs=1e-3)


def test_progress_is_reported(db, demo_file):
    calls = []
    run_import("deprivation", demo_file("imd2025_england_lsoa21.csv"),
               progress=lambda *a: calls.append(a))
    assert calls and calls[-1][0] == calls[-1][1]
    assert any("checking" in c[2] for c in calls)


def test_unknown_kind():
    with pytest.raises(ValueError):
        run_import("crime", "x.csv")


# ---------------------------------------------------------------- bad input

def corrupt_csv(source, target, how, column=None, line=4):
    lines = source.read_bytes().splitlines(keepends=True)
    header = lines[0].decode("utf-8-sig").rstrip("\r\n").split(",")
    if how == "header":
        lines[0] = lines[0].replace(column.encode(), b"Something_else", 1)
    elif how in ("value", "latin1"):
        values = next(csv.reader([lines[line - 1].decode()]))
        values[header.index(column)] = "11" if how == "value" else "Caf\xe9"
        ending = b"\r\n" if lines[line - 1].endswith(b"\r\n") else b"\n"
        encoded = ",".join(f'"{v}"' if "," in v else v for v in values)
        lines[line - 1] = encoded.encode("latin-1") + ending
    elif how == "code":
        values = lines[line - 1].split(b",")
        values[header.index(column)] = b"X01999999"
        lines[line - 1] = b",".join(values)
    elif how == "truncated":
        lines[line - 1] = lines[line - 1][:15] + b"\n"
    elif how == "empty":
        lines = []
    target.write_bytes(b"".join(lines))
    return target


CSV_CASES = [
    # kind, file, corruption, column, words the problem must contain
    ("lookups", "lsoa21_ward24_ltla24.csv", "header", "ward24_code", "no column 'ward24_code'"),
    ("lookups", "lsoa21_ward24_ltla24.csv", "code", "ward24_code", "is not a ward code"),
    ("lookups", "lsoa21_ward24_ltla24.csv", "truncated", None, "values but the header has"),
    ("lookups", "lsoa21_ward24_ltla24.csv", "latin1", "ward24_name", "not UTF-8"),
    ("lookups", "lsoa11_lsoa21_ltla22.csv", "code", "lsoa11_code", "is not an LSOA code"),
    ("lookups", "lsoa11_lsoa21_ltla22.csv", "value", "change_code", "is not a change code"),
    ("lookups", "lsoa11_lsoa21_ltla22.csv", "truncated", None, "values but the header has"),
    ("deprivation", "imd2025_england_lsoa21.csv", "header", "IMD_decile", "no column 'IMD_decile'"),
    ("deprivation", "imd2025_england_lsoa21.csv", "code", "lsoa21_code", "is not an English LSOA"),
    ("deprivation", "imd2025_england_lsoa21.csv", "value", "IMD_decile",
     "'11' is not a decile from 1 to 10"),
    ("deprivation", "imd2025_england_lsoa21.csv", "value", "Crime_decile", "is not a decile"),
    ("deprivation", "imd2025_england_lsoa21.csv", "truncated", None, "values but the header"),
    ("deprivation", "imd2025_england_lsoa21.csv", "latin1", "IMD_score", "not UTF-8"),
    ("deprivation", "imd2019_england_lsoa11.csv", "value", "IMD_decile", "is not a decile"),
    ("deprivation", "imd2019_england_lsoa11.csv", "code", "lsoa11_code", "is not an English"),
    ("population", "iod2019_population_denominators_lsoa11.csv", "code", "LSOA code (2011)",
     "is not an LSOA code"),
    ("population", "iod2019_population_denominators_lsoa11.csv", "truncated", None,
     "values but the header"),
    ("population", "iod2019_population_denominators_lsoa11.csv", "latin1", "LSOA name (2011)",
     "not UTF-8"),
    ("population", "iod2019_population_denominators_lsoa11.csv", "header",
     "Total population: mid 2015 (excluding prisoners)", "no column"),
]


@pytest.fixture
def loaded(demo_geography):
    return snapshot()


@pytest.mark.parametrize("kind,name,how,column,words", CSV_CASES)
def test_bad_csv_is_refused_whole(loaded, demo_file, tmp_path, kind, name, how, column, words):
    path = corrupt_csv(demo_file(name), tmp_path / name, how, column)
    with pytest.raises(ImportFailed) as failed:
        run_import(kind, path)
    problem = failed.value.errors[0]
    assert problem.file == name and words in problem.reason, str(failed.value)
    assert problem.line == (1 if how == "header" else 4), str(problem)
    if column and how != "latin1":
        assert problem.field == column
    assert snapshot() == loaded


@pytest.mark.parametrize("kind,name", [
    ("lookups", "lsoa21_ward24_ltla24.csv"), ("deprivation", "imd2019_england_lsoa11.csv"),
    ("population", "iod2019_population_denominators_lsoa11.csv"),
    ("boundaries", "ltla24.geojson"),
])
def test_empty_file_is_refused(loaded, tmp_path, kind, name):
    (tmp_path / name).write_bytes(b"")
    with pytest.raises(ImportFailed, match="the file is empty"):
        run_import(kind, tmp_path / name)
    assert snapshot() == loaded


def test_a_file_of_another_kind_is_refused(loaded, demo_file):
    with pytest.raises(ImportFailed, match="does not match any deprivation file"):
        run_import("deprivation", demo_file("lsoa21_ward24_ltla24.csv"))
    with pytest.raises(ImportFailed, match="broken JSON"):
        run_import("boundaries", demo_file("imd2025_england_lsoa21.csv"))
    assert snapshot() == loaded


def test_duplicate_rows_are_refused(loaded, demo_file, tmp_path):
    lines = demo_file("imd2025_england_lsoa21.csv").read_bytes().splitlines(keepends=True)
    (tmp_path / "d.csv").write_bytes(b"".join(lines[:5] + [lines[2]]))
    with pytest.raises(ImportFailed) as failed:
        run_import("deprivation", tmp_path / "d.csv")
    assert failed.value.errors[0].line == 6 and "appears twice (first at line 3)" in str(
        failed.value)
    assert snapshot() == loaded


def test_crlf_copy_imports_like_the_original(db, demo_file, tmp_path):
    data = demo_file("imd2025_england_lsoa21.csv").read_bytes().replace(b"\n", b"\r\n")
    (tmp_path / "crlf.csv").write_bytes(b"\xef\xbb\xbf" + data)
    assert run_import("deprivation", tmp_path / "crlf.csv").rows == 684


# GeoJSON: the published files are a single line, so problems name the feature.

def _geojson_text(demo_file):
    return demo_file("ltla24.geojson").read_text(encoding="utf-8")


@pytest.mark.parametrize("how,words,where", [
    ("broken", "broken JSON", {"line": 1}),
    ("latin1", "not UTF-8", {"line": 1}),
    ("code", "'X06000018' is not a local authority code", {"feature": 2,
                                                            "field": "ltla24_code"}),
    ("no-name", "is empty", {"feature": 3, "field": "ltla24_name"}),
    ("geometry", "the geometry cannot be used", {"feature": 1, "field": "geometry"}),
    ("properties", "name no known area code", {"feature": 1}),
    ("not-collection", "not a GeoJSON FeatureCollection", {}),
])
def test_bad_geojson_is_refused_whole(loaded, demo_file, tmp_path, how, words, where):
    import json

    text = _geojson_text(demo_file)
    data = json.loads(text)
    path = tmp_path / "ltla24.geojson"
    if how == "broken":
        path.write_text(text[: len(text) // 2], encoding="utf-8")
    elif how == "latin1":
        path.write_bytes(text.replace("Nottingham", "Nott\xefngham", 1).encode("latin-1"))
    else:
        features = data["features"]
        if how == "code":
            features[1]["properties"]["ltla24_code"] = "X06000018"
        elif how == "no-name":
            features[2]["properties"]["ltla24_name"] = ""
        elif how == "geometry":
            features[0]["geometry"] = {"type": "Point", "coordinates": [0, 0]}
        elif how == "properties":
            features[0]["properties"] = {"name": "x"}
        elif how == "not-collection":
            data = features[0]
        path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ImportFailed) as failed:
        run_import("boundaries", path)
    problem = failed.value.errors[0]
    assert problem.file == "ltla24.geojson" and words in problem.reason, str(failed.value)
    for key, value in where.items():
        assert getattr(problem, key) == value, str(problem)
    assert snapshot() == loaded


def test_boundaries_reimport_replaces_geometry(demo_geography, demo_file, tmp_path):
    shutil.copy(demo_file("pfa20.geojson"), tmp_path / "pfa20.geojson")
    result = run_import("boundaries", tmp_path / "pfa20.geojson")
    assert result.counts["areas_created"] == 0 and result.counts["areas_updated"] == 1
    assert result.counts["lsoas_placed_in_force_areas"] == 684
