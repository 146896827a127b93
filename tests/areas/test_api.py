"""The areas API under /api/v1."""

import pytest

from soclocal.core.access import Role

pytestmark = pytest.mark.usefixtures("demo_geography")


@pytest.fixture
def api(make_user, login):
    return login(make_user(Role.BOARD_MEMBER))


def test_search(api):
    found = api.get("/api/v1/areas", {"q": "bulwell", "type": "ward"}).json()
    assert [a["code"] for a in found] == ["E05012275", "E05012276"]
    assert set(found[0]) == {"type", "code", "name", "population"}
    assert api.get("/api/v1/areas", {"q": "E01013810"}).json()[0]["type"] == "lsoa21"
    assert api.get("/api/v1/areas", {"type": "castle"}).status_code == 422


def test_detail(api):
    data = api.get("/api/v1/areas/lad/E06000018").json()
    assert data["name"] == "Nottingham" and data["population"] == 318583
    assert [p["code"] for p in data["parents"]] == ["E23000019"]
    assert len(data["lsoas"]) == 179
    summary = data["deprivation"]
    assert sum(d["lsoas"] for d in summary["deciles"]) == 179
    assert summary["mean_score_weighted"] is True
    assert api.get("/api/v1/areas/lad/E06999999").status_code == 404
    assert api.get("/api/v1/areas/county/E06000018").status_code == 404


def test_geojson(api):
    ward = api.get("/api/v1/areas/ward/E05012287/geojson").json()
    assert ward["type"] == "FeatureCollection" and len(ward["features"]) == 11
    lsoa = api.get("/api/v1/areas/lsoa21/E01013810/geojson").json()
    assert lsoa["features"][0]["properties"]["code"] == "E01013810"


def test_access(client, make_user, login):
    assert client.get("/api/v1/areas?q=x").status_code == 401
    from soclocal.accounts.models import RoleGrant

    user = make_user(Role.ANALYST)
    RoleGrant.objects.filter(user=user).delete()
    assert login(user).get("/api/v1/areas?q=x").status_code == 403
