"""The index against a hand-worked example (decision 0035), through the API and the CSV."""

import csv
import io
import math

import pytest

from soclocal.core.access import Role

R = math.sqrt(1.5)

# Hand-worked from tests/safeguarding/conftest.py HAND_WORKED:
# crisis grants per 1,000 people: A 10/1000 -> 10, B 40/2000 -> 20, C 30/1000 -> 30;
#   mean 20, deviations -10, 0, 10, sd = sqrt(200/3), so z = -sqrt(1.5), 0, +sqrt(1.5).
# exclusions per 1,000 pupils: A 6/200 -> 30, B 5/500 -> 10, C 4/200 -> 20;
#   z = +sqrt(1.5), -sqrt(1.5), 0.
# weights 2 and 0.5, so index = (2 z_crisis + 0.5 z_excl) / 2.5:
#   A = (-2R + 0.5R) / 2.5 = -0.6R;  B = (0 - 0.5R) / 2.5 = -0.2R;  C = 2R / 2.5 = 0.8R.
EXPECTED = {"E01900001": -0.6 * R, "E01900002": -0.2 * R, "E01900003": 0.8 * R}


def test_the_api_gives_the_hand_worked_index_and_contributions(client, loaded, analyst):
    client.force_login(analyst)
    body = client.get("/api/v1/safeguarding/index?level=small&period=2025").json()
    assert body["shared"] is False
    got = {a["code"]: a for a in body["areas"]}
    assert set(got) == set(EXPECTED)
    for code, expected in EXPECTED.items():
        assert got[code]["index"] == pytest.approx(expected)
    assert [a["code"] for a in body["areas"]] == ["E01900003", "E01900002", "E01900001"]
    assert [a["rank"] for a in body["areas"]] == [1, 2, 3]
    a = {c["indicator"]: c for c in got["E01900001"]["contributions"]}
    assert a["crisis_grants"]["value"] == pytest.approx(10)
    assert a["crisis_grants"]["z"] == pytest.approx(-R)
    assert a["crisis_grants"]["contribution"] == pytest.approx(-2 * R)
    assert a["exclusions"]["value"] == pytest.approx(30)
    assert a["exclusions"]["contribution"] == pytest.approx(0.5 * R)


def test_ward_level_sums_counts_before_dividing(client, loaded, analyst):
    # W1 = A + B: crisis 50 per 3,000 people, exclusions 11 of 700; W2 = C: 30 and 4 of 200.
    # Two areas, so every z is -1 or +1: W1 is below on both, W2 above on both.
    client.force_login(analyst)
    body = client.get("/api/v1/safeguarding/index?level=ward&period=2025").json()
    got = {a["code"]: a for a in body["areas"]}
    assert got["E05900001"]["index"] == pytest.approx(-1)
    assert got["E05900002"]["index"] == pytest.approx(1)
    w1 = {c["indicator"]: c for c in got["E05900001"]["contributions"]}
    assert w1["crisis_grants"]["count"] == 50
    assert w1["crisis_grants"]["value"] == pytest.approx(50 / 3000 * 1000)
    assert w1["exclusions"]["denominator"] == 700


def test_the_csv_export_carries_the_same_figures(client, loaded, analyst):
    client.force_login(analyst)
    response = client.get("/vulnerability/index.csv?level=small&period=2025")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {r["area_code"]: float(r["index"]) for r in rows} == pytest.approx(EXPECTED)
    c = next(r for r in rows if r["area_code"] == "E01900003")
    assert c["exclusions_count"] == "4" and float(c["crisis_grants_contribution"]) == \
        pytest.approx(2 * R)


def test_change_between_periods(client, loaded, analyst, tmp_path):
    from soclocal.safeguarding.imports import import_indicators

    # In 2026 A and C swap crisis figures; exclusions as before.
    path = tmp_path / "later.csv"
    path.write_text("area_code,period,indicator,count,denominator\n"
                    "E01900001,2026,crisis_grants,30,\nE01900002,2026,crisis_grants,40,\n"
                    "E01900003,2026,crisis_grants,10,\nE01900001,2026,exclusions,6,200\n"
                    "E01900002,2026,exclusions,5,500\nE01900003,2026,exclusions,4,200\n")
    import_indicators(path, actor=analyst)
    client.force_login(analyst)
    body = client.get("/api/v1/safeguarding/index?period=2026").json()
    got = {a["code"]: a for a in body["areas"]}
    assert body["previous_period"] == "2025"
    # A 2026 = (2R + 0.5R)/2.5 = R, was -0.6R: up 1.6R.
    assert got["E01900001"]["index"] == pytest.approx(R)
    assert got["E01900001"]["change"] == pytest.approx(1.6 * R)


def test_a_weight_change_changes_the_index(client, loaded, analyst):
    from soclocal.safeguarding.services import save_indicator

    save_indicator(analyst, loaded["exclusions"], weight=0)
    client.force_login(analyst)
    got = {a["code"]: a["index"] for a in
           client.get("/api/v1/safeguarding/index?period=2025").json()["areas"]}
    assert got == pytest.approx({"E01900001": -R, "E01900002": 0, "E01900003": R})


def test_shared_outputs_hide_small_counts_and_what_reveals_them(client, loaded, make_user):
    # Exclusions: C's 4 is below 5 (primary); the published total would give it away, so the
    # next smallest, B's 5, is hidden too (secondary). Their indices are hidden with them.
    practitioner = make_user(Role.PRACTITIONER)
    client.force_login(practitioner)
    body = client.get("/api/v1/safeguarding/index?period=2025").json()
    assert body["shared"] is True
    got = {a["code"]: a for a in body["areas"]}
    assert got["E01900003"]["suppressed"] and got["E01900003"]["index"] is None
    assert got["E01900002"]["suppressed"] and got["E01900002"]["index"] is None
    excl_c = next(c for c in got["E01900003"]["contributions"] if c["indicator"] == "exclusions")
    assert excl_c["count"] is None and excl_c["value"] is None and excl_c["suppressed"]
    assert got["E01900001"]["index"] == pytest.approx(EXPECTED["E01900001"])
    csv_text = client.get("/vulnerability/index.csv?period=2025").content.decode()
    rows = {r["area_code"]: r for r in csv.DictReader(io.StringIO(csv_text))}
    assert rows["E01900003"]["exclusions_count"] == "[c]"
    assert rows["E01900003"]["index"] == "[c]"
    assert rows["E01900001"]["crisis_grants_count"] == "10"


def test_an_analyst_can_ask_for_the_shared_version(client, loaded, analyst):
    client.force_login(analyst)
    text = client.get("/vulnerability/index.csv?period=2025&share=1").content.decode()
    rows = {r["area_code"]: r for r in csv.DictReader(io.StringIO(text))}
    assert rows["E01900003"]["exclusions_count"] == "[c]"


def test_deprivation_counts_as_an_indicator(client, loaded, analyst, small_world):
    from soclocal.areas.models import Deprivation
    from soclocal.safeguarding.models import Indicator

    for key, score in (("A", 10.0), ("B", 20.0), ("C", 30.0)):
        Deprivation.objects.create(area=small_world[key], index="imd2025", decile=5, rank=100,
                                   score=score)
    Indicator.objects.create(code="imd", name="Deprivation", kind=Indicator.Kind.DEPRIVATION,
                             weight=2.5)
    client.force_login(analyst)
    got = {a["code"]: a["index"] for a in
           client.get("/api/v1/safeguarding/index?period=2025").json()["areas"]}
    # Deprivation z = -R, 0, +R with weight 2.5: index = (old sum + 2.5 z) / 5.
    assert got["E01900001"] == pytest.approx((-1.5 * R - 2.5 * R) / 5)
    assert got["E01900003"] == pytest.approx((2 * R + 2.5 * R) / 5)


def test_the_map_geojson_bands_areas_by_rank(client, loaded, analyst, small_world):
    for a in ("A", "B", "C"):
        small_world[a].geometry = ('{"type":"Polygon","coordinates":[[[-1.1,52.9],[-1.1,53.0],'
                                   '[-1.0,53.0],[-1.1,52.9]]]}')
        small_world[a].save()
    client.force_login(analyst)
    data = client.get("/vulnerability/index.geojson?period=2025").json()
    bands = {f["properties"]["code"]: f["properties"]["band"] for f in data["features"]}
    assert bands == {"E01900003": 1, "E01900002": 4, "E01900001": 7}
    page = client.get("/vulnerability/?period=2025").content.decode()
    assert "Testborough 002A" in page and 'data-index-map' in page


def test_a_ward_without_a_boundary_is_drawn_from_its_lsoas(client, loaded, analyst, small_world):
    for a in ("A", "B", "C"):
        small_world[a].geometry = ('{"type":"Polygon","coordinates":[[[-1.1,52.9],[-1.1,53.0],'
                                   '[-1.0,53.0],[-1.1,52.9]]]}')
        small_world[a].save()
    client.force_login(analyst)
    data = client.get("/vulnerability/index.geojson?level=ward&period=2025").json()
    drawn = sorted((f["properties"]["code"], f["properties"]["rank"]) for f in data["features"])
    assert drawn == [("E05900001", 2), ("E05900001", 2), ("E05900002", 1)]
