"""Reading geography: search, an area's LSOAs, its deprivation summary and its map."""

import pytest

from soclocal.areas import selectors
from soclocal.areas.models import Area, AreaType, Deprivation

pytestmark = pytest.mark.usefixtures("demo_geography")


def codes(areas):
    return [a.code for a in areas]


def test_search_by_code_name_prefix_and_type():
    assert codes(selectors.search_areas("e06000018")) == ["E06000018"]
    assert selectors.search_areas("nottingham")[0].name == "Nottingham"  # exact name first
    assert all("bulwell" in a.name.lower() for a in selectors.search_areas("BULWELL"))
    assert codes(selectors.search_areas("E0103550", types=["lsoa21"]))[:2] == [
        "E01035500", "E01035501"]
    wards = selectors.search_areas("Bulwell", types=["ward"])
    assert {a.type for a in wards} == {"ward"} and len(wards) == 2
    assert list(selectors.search_areas("")) == []
    assert len(selectors.search_areas("", types=["lad"])) == 8
    assert list(selectors.search_areas("no such place")) == []


def test_lsoas_of_each_kind_of_area():
    ward = Area.objects.get(type="ward", code="E05012287")
    assert {a.ward_id for a in selectors.lsoas_of(ward)} == {ward.pk}
    assert selectors.lsoas_of(ward).count() == 11
    lad = Area.objects.get(type="lad", code="E06000018")
    assert selectors.lsoas_of(lad).count() == 179
    pfa = Area.objects.get(type="pfa")
    assert selectors.lsoas_of(pfa).count() == 684
    lsoa = Area.objects.get(type="lsoa21", code="E01013810")
    assert list(selectors.lsoas_of(lsoa)) == [lsoa]


def test_deprivation_summary_matches_a_hand_count():
    ward = Area.objects.get(type="ward", code="E05012287")
    summary = selectors.area_detail(ward)["summary"]
    lsoas = list(Area.objects.filter(type="lsoa21", ward=ward))
    readings = {d.area_id: d for d in Deprivation.objects.filter(area__in=lsoas, index="imd2025")}
    people = sum(a.population for a in lsoas)
    assert summary["population"] == people == ward.population
    assert sum(d["lsoas"] for d in summary["deciles"]) == 11
    for row in summary["deciles"]:
        here = [a for a in lsoas if readings[a.pk].decile == row["decile"]]
        assert row["lsoas"] == len(here)
        assert row["population"] == sum(a.population for a in here)
    most = [a for a in lsoas if readings[a.pk].decile <= 2]
    assert summary["most_deprived_lsoas"] == len(most)
    assert summary["most_deprived_share"] == pytest.approx(
        100 * sum(a.population for a in most) / people)
    weighted = sum(readings[a.pk].score * a.population for a in lsoas) / people
    assert summary["mean_score_weighted"] and summary["mean_score"] == pytest.approx(weighted)
    assert summary["indices"] == ["English Indices of Deprivation 2025"]


def test_parents():
    lsoa = Area.objects.get(type="lsoa21", code="E01013810")
    assert [p.type for p in selectors.parents_of(lsoa)] == ["ward", "lad", "pfa"]
    ward = lsoa.ward
    assert {p.code for p in selectors.parents_of(ward)} == {"E06000018", "E23000019"}
    assert [p.code for p in selectors.parents_of(lsoa.lad)] == ["E23000019"]


def test_geojson_of_an_area_and_of_an_lsoa():
    ward = Area.objects.get(type="ward", code="E05012287")
    collection = selectors.geojson_of(ward)
    assert collection["type"] == "FeatureCollection" and len(collection["features"]) == 11
    feature = collection["features"][0]
    assert feature["geometry"]["type"] == "MultiPolygon"
    assert set(feature["properties"]) >= {"code", "name", "imd_decile", "population"}
    lsoa = selectors.geojson_of(Area.objects.get(type="lsoa21", code="E01013810"))
    assert [f["properties"]["code"] for f in lsoa["features"]] == ["E01013810"]


def test_area_without_data():
    ward = Area.objects.create(type=AreaType.WARD, code="E05999999", name="Empty")
    detail = selectors.area_detail(ward)
    assert detail["summary"] is None and detail["lsoas"] == []
    assert selectors.geojson_of(ward)["features"] == []


def test_areas_within_an_authority_are_its_small_areas_and_wards_wholly_inside():
    lad = Area.objects.get(type="lad", code="E06000018")
    inside = selectors.areas_within(lad)
    lsoas = set(selectors.lsoas_of(lad).values_list("pk", flat=True))
    assert lad.pk in inside and lsoas <= inside
    # A ward counts when every one of its small areas is in the authority.
    for ward in Area.objects.filter(type="ward", pk__in=selectors.lsoas_of(lad).values("ward")):
        own = set(Area.objects.filter(type="lsoa21", ward=ward).values_list("pk", flat=True))
        assert (ward.pk in inside) == (own <= lsoas)
    # Areas that hold the authority, rather than lie inside it, do not.
    assert not inside & set(Area.objects.filter(type="pfa").values_list("pk", flat=True))
    # A small area moved to another authority takes its ward out.
    ward = Area.objects.get(type="ward", code="E05012287")
    moved = Area.objects.filter(type="lsoa21", ward=ward).first()
    other = Area.objects.filter(type="lad").exclude(pk=lad.pk).first()
    assert ward.pk in inside
    Area.objects.filter(pk=moved.pk).update(lad=other)
    assert ward.pk not in selectors.areas_within(lad)
    assert moved.pk not in selectors.areas_within(lad)
