"""The directory of services: kept by agencies, searched by practitioners."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from soclocal.areas.models import Area, AreaType
from soclocal.partnership import selectors, services
from soclocal.partnership.models import Service

pytestmark = pytest.mark.django_db


@pytest.fixture
def places(db):
    city = Area.objects.create(type=AreaType.LAD, code="E06099001", name="Test City")
    meadows = Area.objects.create(type=AreaType.WARD, code="E05099001", name="Meadows")
    sneinton = Area.objects.create(type=AreaType.WARD, code="E05099002", name="Sneinton")
    Area.objects.create(type=AreaType.LSOA21, code="E01099001", name="Test 001A", ward=meadows,
                        lad=city)
    Area.objects.create(type=AreaType.LSOA21, code="E01099002", name="Test 002A",
                        ward=sneinton, lad=city)
    return {"city": city, "meadows": meadows, "sneinton": sneinton}


def add(agency, name, **extra):
    data = {"description": f"{name} for young people", "how_to_refer": "Email the team",
            "contact_email": "team@example.org"}
    data.update(extra)
    return services.create_service(None, agency=agency, name=name, **data)


@pytest.fixture
def directory(org, places):
    return {
        "boxing": add(org["youth"], "Friday boxing club", age_from=11, age_to=19,
                      needs=["activities"], areas=[places["meadows"]]),
        "mentoring": add(org["youth"], "Peer mentoring", age_from=12, age_to=21,
                         needs=["mentoring", "exploitation"], areas=[places["city"]]),
        "drugs": add(org["police"], "Substance misuse service", age_from=10, age_to=21,
                     needs=["drugs_alcohol"], whole_area=True),
        "debt": add(org["police"], "Debt advice", needs=["money"], areas=[places["sneinton"]]),
        "closed": add(org["youth"], "Closed project", needs=["activities"], whole_area=True,
                      active=False),
    }


def names(found):
    return sorted(s.name for s in found)


def test_search_by_words_area_need_and_age(people, directory, places):
    user = people["practitioner"]
    assert names(selectors.directory(user, text="boxing")) == ["Friday boxing club"]
    assert names(selectors.directory(user, text="YOUNG people mentoring")) == ["Peer mentoring"]
    # A ward finds its own services, those covering the city it is in, and those covering
    # the whole partnership area; never a service elsewhere, nor one not taking referrals.
    assert names(selectors.directory(user, area=places["meadows"])) == [
        "Friday boxing club", "Peer mentoring", "Substance misuse service"]
    assert names(selectors.directory(user, area=places["sneinton"])) == [
        "Debt advice", "Peer mentoring", "Substance misuse service"]
    assert names(selectors.directory(user, need="exploitation")) == ["Peer mentoring"]
    assert names(selectors.directory(user, age=20)) == [
        "Debt advice", "Peer mentoring", "Substance misuse service"]
    assert names(selectors.directory(user, area=places["meadows"], need="activities",
                                     age=15)) == ["Friday boxing club"]
    assert names(selectors.directory(user, text="nothing like this")) == []


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(age=st.integers(min_value=0, max_value=30))
def test_every_service_found_for_an_age_takes_that_age(people, directory, age):
    for s in selectors.directory(people["practitioner"], age=age):
        assert (s.age_from is None or s.age_from <= age) and (s.age_to is None or age <= s.age_to)
    found = {s.pk for s in selectors.directory(people["practitioner"], age=age)}
    for s in Service.objects.filter(active=True):
        if (s.age_from is None or s.age_from <= age) and (s.age_to is None or age <= s.age_to):
            assert s.pk in found


def test_the_directory_page_searches_and_shows_how_to_refer(people, directory, places, client):
    client.force_login(people["practitioner"])
    page = client.get("/partnership/services/", {"area": places["meadows"].pk,
                                                 "need": "activities"}).content.decode()
    assert "1 service found" in page and "Friday boxing club" in page
    assert "Peer mentoring" not in page
    one = client.get(f"/partnership/services/{directory['boxing'].pk}/").content.decode()
    assert "Email the team" in one and "team@example.org" in one and "11 to 19" in one
    bad = client.get("/partnership/services/", {"age": "old"})
    assert bad.status_code == 200 and "Enter a whole number" in bad.content.decode()


def test_the_api_searches_the_directory(people, directory, places, client):
    client.force_login(people["board"])
    found = client.get("/api/v1/partnership/services", {"area": "E05099001",
                                                        "need": "activities"}).json()
    assert [s["name"] for s in found] == ["Friday boxing club"]
    assert found[0]["areas"] == ["E05099001"] and found[0]["how_to_refer"] == "Email the team"
    assert client.get("/api/v1/partnership/services", {"area": "NOPE"}).status_code == 404
    assert client.get("/api/v1/partnership/services", {"need": "nope"}).status_code == 422
    one = client.get(f"/api/v1/partnership/services/{directory['drugs'].pk}").json()
    assert one["whole_area"] is True and one["agency"] == "Test Police"


def test_a_manager_keeps_only_their_own_agencys_services(people, org, directory, client):
    manager = people["manager"]  # the youth service's
    services.update_service(manager, directory["boxing"], name="Friday boxing and youth club",
                            description="Boxing", how_to_refer="Drop in",
                            contact_phone="0115 496 0000", needs=["activities"])
    with pytest.raises(PermissionDenied):
        services.update_service(manager, directory["drugs"], name="Taken over",
                                description="x", how_to_refer="x", contact_email="a@b.org")
    with pytest.raises(PermissionDenied):
        services.create_service(manager, agency=org["police"], name="Not ours",
                                description="x", how_to_refer="x", contact_email="a@b.org")
    with pytest.raises(PermissionDenied):
        services.create_service(people["practitioner"], agency=org["youth"], name="No",
                                description="x", how_to_refer="x", contact_email="a@b.org")
    client.force_login(manager)
    assert client.get(f"/partnership/services/{directory['drugs'].pk}/edit/").status_code == 404
    page = client.get(f"/partnership/services/{directory['boxing'].pk}/").content.decode()
    assert "Change the service" in page


def test_a_service_needs_a_way_to_contact_it_and_sensible_ages(org):
    with pytest.raises(ValidationError) as e:
        services.create_service(None, agency=org["youth"], name="Quiet", description="x",
                                how_to_refer="x", age_from=18, age_to=11)
    assert set(e.value.message_dict) == {"contact_email", "age_to"}


def test_adding_a_service_on_the_page_keeps_what_was_typed(people, org, client):
    client.force_login(people["admin"])
    response = client.post("/partnership/services/new/", {
        "agency": org["youth"].pk, "name": "New club", "description": "Football",
        "how_to_refer": "", "needs": ["activities"], "active": "on"})
    page = response.content.decode()
    assert response.status_code == 200 and "New club" in page
    assert "Say how to refer to the service" in page
    response = client.post("/partnership/services/new/", {
        "agency": org["youth"].pk, "name": "New club", "description": "Football",
        "how_to_refer": "Phone us", "contact_phone": "0115 496 0999", "needs": ["activities"],
        "whole_area": "on", "active": "on"})
    item = Service.objects.get(name="New club")
    assert response["Location"] == f"/partnership/services/{item.pk}/"


def test_the_referral_and_plan_action_forms_link_to_the_directory(people, client):
    from soclocal.priorities import services as priorities
    from soclocal.priorities.models import Threat
    from soclocal.responses import services as responses

    client.force_login(people["practitioner"])
    assert "data-directory-link" in client.get("/cases/refer/").content.decode()
    threat = priorities.raise_threat(people["analyst"], kind=Threat.Kind.PLACE,
                                     title="Drug market")
    plan = responses.create_plan(people["admin"], threat, title="Close the market",
                                 framework="4ds", objectives="Fewer young people drawn in")
    client.force_login(people["admin"])
    page = client.get(f"/plans/{plan.pk}/actions/new/").content.decode()
    assert "data-directory-link" in page and "/partnership/services/" in page


def test_a_manager_changes_their_service_on_its_page(people, org, directory, client):
    client.force_login(people["manager"])
    item = directory["boxing"]
    form = client.get(f"/partnership/services/{item.pk}/edit/").content.decode()
    assert "Friday boxing club" in form
    response = client.post(f"/partnership/services/{item.pk}/edit/", {
        "agency": org["youth"].pk, "name": "Friday boxing club", "description": "Boxing",
        "how_to_refer": "Drop in on Fridays", "contact_email": "team@example.org",
        "age_from": 11, "age_to": 19, "needs": ["activities", "mentoring"], "active": "on"})
    assert response.status_code == 302 and response["Location"] == item.get_absolute_url()
    item.refresh_from_db()
    assert item.how_to_refer == "Drop in on Fridays" and item.needs == ["activities",
                                                                        "mentoring"]


def test_subject_access_finds_the_services_that_name_a_contact(org, directory):
    from soclocal.core import subject_access as sar

    add(org["youth"], "Detached youth work", contact_email="sam.contact@example.org")
    report = sar.gather("Sam.Contact@example.org")
    refs = {ref for part in report.parts for ref in part.refs}
    named = Service.objects.get(name="Detached youth work")
    assert ("partnership.service", str(named.pk)) in refs
    assert not any(ref[0] == "partnership.service" and ref[1] != str(named.pk) for ref in refs)
