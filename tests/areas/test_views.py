"""The area explorer pages, as a signed-in member of staff uses them."""

import re

import pytest
from django.urls import reverse

from soclocal.areas.models import Neighbourhood
from soclocal.core.access import Role

pytestmark = pytest.mark.usefixtures("demo_geography")


def assert_strict_csp_markup(html):
    """No inline script, no inline style: the page works under the strict policy."""
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag, tag
    assert not re.search(r"<style\b", html)
    assert not re.search(r"\sstyle=", html)
    assert not re.search(r"\son[a-z]+=", html)


@pytest.fixture
def analyst(make_user, login):
    user = make_user(Role.ANALYST)
    return login(user), user


def test_sign_in_is_needed(client):
    response = client.get(reverse("areas:explorer"))
    assert response.status_code == 302 and "/sign-in/" in response["Location"]


def test_search(analyst):
    client, _ = analyst
    response = client.get(reverse("areas:explorer"), {"q": "bulwell", "type": "ward"})
    html = response.content.decode()
    assert response.status_code == 200 and "2 matching areas" in html
    assert reverse("areas:area", args=["ward", "E05012275"]) in html
    assert_strict_csp_markup(html)
    assert "Content-Security-Policy" in response.headers
    assert "No areas match" in client.get(reverse("areas:explorer"), {"q": "zzzz"}).content.decode()


def test_area_page(analyst):
    client, _ = analyst
    response = client.get(reverse("areas:area", args=["lad", "E06000018"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1 class=\"govuk-heading-l\">Nottingham</h1>" in html
    assert "318,583" in html  # population, the sum of its LSOAs
    assert 'role="region"' in html and "data-area-map" in html
    assert f'data-geojson="{reverse("areas:area_geojson", args=["lad", "E06000018"])}"' in html
    assert "The 179 small areas in Nottingham" in html  # the table alternative to the map
    assert "app-decile-1" in html and "most deprived" in html
    assert reverse("areas:area", args=["pfa", "E23000019"]) in html  # parent link
    assert "/static/vendor/leaflet/leaflet.js" in html and "/static/areas/map.js" in html
    assert_strict_csp_markup(html)


def test_lsoa_page_links_its_parents(analyst):
    from soclocal.areas.models import Area

    client, _ = analyst
    lsoa = Area.objects.get(type="lsoa21", code="E01013810")
    html = client.get(reverse("areas:area", args=["lsoa21", "e01013810"])).content.decode()
    for parent in (lsoa.ward, lsoa.lad, lsoa.pfa):
        assert reverse("areas:area", args=[parent.type, parent.code]) in html


def test_unknown_area_is_not_found(analyst):
    client, _ = analyst
    assert client.get(reverse("areas:area", args=["lad", "E06999999"])).status_code == 404


def test_geojson_view(analyst):
    client, _ = analyst
    data = client.get(reverse("areas:area_geojson", args=["ward", "E05012287"])).json()
    assert len(data["features"]) == 11


def test_drawing_a_neighbourhood_without_javascript(analyst):
    client, user = analyst
    url = reverse("areas:neighbourhood_create")
    page = client.get(url, {"within": "lad/E06000018"}).content.decode()
    assert page.count('name="members"') == 179 and 'data-pick-input="members"' in page
    assert_strict_csp_markup(page)
    response = client.post(url, {"within": "lad/E06000018", "name": "Sneinton",
                                 "members": ["E01013810", "E01013811"],
                                 "codes": "E01013812", "description": "By the market"})
    hood = Neighbourhood.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("areas:area", args=["neighbourhood", hood.area.code])
    assert sorted(hood.members.values_list("code", flat=True)) == [
        "E01013810", "E01013811", "E01013812"]
    assert hood.owning_agency == user.agency

    detail = client.get(response["Location"]).content.decode()
    assert "Sneinton" in detail and "Change this neighbourhood" in detail
    listing = client.get(reverse("areas:neighbourhoods")).content.decode()
    assert "Sneinton" in listing and reverse("areas:neighbourhood_edit", args=[hood.area.code]) in listing

    edit = reverse("areas:neighbourhood_edit", args=[hood.area.code])
    form = client.get(edit).content.decode()
    assert 'value="E01013810" checked' in form
    response = client.post(edit, {"within": "lad/E06000018", "name": "Sneinton",
                                  "members": ["E01013810"]})
    assert response.status_code == 302 and hood.members.count() == 1


def test_form_errors_are_shown(analyst):
    client, _ = analyst
    response = client.post(reverse("areas:neighbourhood_create"),
                           {"name": "", "codes": "E09999999"})
    html = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in html
    assert "Enter a name" in html or "This field is required" in html
    response = client.post(reverse("areas:neighbourhood_create"),
                           {"name": "Nowhere", "codes": "E09999999"})
    assert "E09999999" in response.content.decode() and not Neighbourhood.objects.exists()


def test_practitioner_may_look_but_not_draw(make_user, login):
    client = login(make_user(Role.PRACTITIONER))
    assert client.get(reverse("areas:explorer")).status_code == 200
    assert client.get(reverse("areas:neighbourhood_create")).status_code == 403


def test_another_agencys_neighbourhood_cannot_be_changed(make_user, login):
    from soclocal.areas.services import create_neighbourhood

    owner = make_user(Role.ANALYST, agency="police")
    hood = create_neighbourhood(owner, name="Beat 1", member_codes=["E01013810"])
    client = login(make_user(Role.ANALYST, agency="youth"))
    url = reverse("areas:neighbourhood_edit", args=[hood.area.code])
    assert client.get(url).status_code == 404
    assert client.post(url, {"name": "Mine", "members": ["E01013810"]}).status_code == 404
    hood.area.refresh_from_db()
    assert hood.area.name == "Beat 1"
    page = client.get(reverse("areas:area", args=["neighbourhood", hood.area.code])).content
    assert b"Change this neighbourhood" not in page


def test_a_neighbourhood_drawn_by_no_one_names_the_system_as_its_author(analyst, org):
    from soclocal.areas.demo import load_demo_geography

    client, _ = analyst
    load_demo_geography(owning_agency=org["youth"])
    hood = Neighbourhood.objects.filter(created_by__isnull=True).select_related("area").first()
    assert hood is not None
    page = client.get(reverse("areas:area", args=["neighbourhood", hood.area.code]))
    assert page.status_code == 200 and "The system" in page.content.decode()
