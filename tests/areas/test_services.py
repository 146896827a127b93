"""Custom neighbourhoods: who may draw and change them, and what is checked and audited."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from soclocal.areas import selectors, services
from soclocal.areas.models import Area, Neighbourhood
from soclocal.core.access import Role
from soclocal.core.models import AuditEvent

pytestmark = pytest.mark.usefixtures("demo_geography")

ST_ANNS = ["E01013810", "E01013811"]


def lsoa_codes(ward_code):
    return list(Area.objects.filter(type="lsoa21", ward__code=ward_code)
                .values_list("code", flat=True))


def test_analyst_draws_a_neighbourhood_for_their_agency(make_user):
    analyst = make_user(Role.ANALYST)
    codes = lsoa_codes("E05012287")
    hood = services.create_neighbourhood(analyst, name="St Ann's estate", member_codes=codes,
                                         description="The estate")
    assert hood.owning_agency == analyst.agency and hood.created_by == analyst
    assert hood.area.type == "neighbourhood" and hood.area.code == "N00001"
    assert hood.area.population == sum(a.population for a in hood.members.all())
    assert '"type":"Polygon"' in hood.area.geometry  # the union of its LSOAs
    assert sorted(a.code for a in selectors.lsoas_of(hood.area)) == sorted(codes)
    event = AuditEvent.objects.get(action="neighbourhood.created")
    assert event.actor_id == analyst.pk and event.detail["members"] == sorted(codes)


def test_only_the_owning_agency_or_an_admin_may_change_it(make_user):
    analyst = make_user(Role.ANALYST, agency="youth")
    other = make_user(Role.ANALYST, agency="police")
    admin = make_user(Role.PARTNERSHIP_ADMIN, agency="police")
    hood = services.create_neighbourhood(analyst, name="Estate", member_codes=ST_ANNS)

    with pytest.raises(PermissionDenied):
        services.update_neighbourhood(other, hood, name="Taken", member_codes=ST_ANNS)
    assert AuditEvent.objects.filter(action="access.denied", actor_id=other.pk).exists()
    hood.refresh_from_db()
    assert hood.area.name == "Estate"

    services.update_neighbourhood(admin, hood, name="Estate and park",
                                  member_codes=ST_ANNS[:1])
    hood.refresh_from_db()
    assert hood.area.name == "Estate and park" and hood.members.count() == 1
    event = AuditEvent.objects.get(action="neighbourhood.changed")
    assert event.detail["before"]["members"] == sorted(ST_ANNS)
    assert event.detail["after"]["members"] == ST_ANNS[:1]


def test_roles_without_the_capability_are_refused(make_user, org):
    practitioner = make_user(Role.PRACTITIONER)
    with pytest.raises(PermissionDenied):
        services.create_neighbourhood(practitioner, name="X", member_codes=ST_ANNS)
    # An analyst cannot give a neighbourhood to another agency; an admin can.
    analyst = make_user(Role.ANALYST, agency="youth")
    with pytest.raises(PermissionDenied):
        services.create_neighbourhood(analyst, name="X", member_codes=ST_ANNS,
                                      owning_agency=org["police"])
    admin = make_user(Role.PARTNERSHIP_ADMIN, agency="youth")
    hood = services.create_neighbourhood(admin, name="X", member_codes=ST_ANNS,
                                         owning_agency=org["police"])
    assert hood.owning_agency == org["police"]
    assert AuditEvent.objects.filter(action="access.denied").count() == 2
    assert Neighbourhood.objects.count() == 1


@pytest.mark.parametrize("fields,field,words", [
    ({"name": "", "member_codes": ST_ANNS}, "name", "Enter a name"),
    ({"name": "A", "member_codes": []}, "members", "at least one"),
    ({"name": "A", "member_codes": ["E01013810", "E09999999"]}, "members", "E09999999"),
    ({"name": "A", "member_codes": ["E06000018"]}, "members", "not LSOA 2021"),
])
def test_validation(make_user, fields, field, words):
    with pytest.raises(ValidationError) as invalid:
        services.create_neighbourhood(make_user(Role.ANALYST), **fields)
    assert words in " ".join(invalid.value.message_dict[field])
    assert Neighbourhood.objects.count() == 0


def test_names_are_unique_and_lsoas_and_data_zones_do_not_mix(make_user):
    analyst = make_user(Role.ANALYST)
    services.create_neighbourhood(analyst, name="Estate", member_codes=ST_ANNS)
    with pytest.raises(ValidationError, match="already a neighbourhood"):
        services.create_neighbourhood(analyst, name="estate", member_codes=ST_ANNS)
    Area.objects.create(type="dz11", code="S01006506", name="Culter - 01")
    with pytest.raises(ValidationError, match="not both"):
        services.create_neighbourhood(analyst, name="Mixed",
                                      member_codes=["S01006506", "E01013810"])


def test_codes_typed_in_a_box():
    assert services.parse_codes("e01013810, E01013811\nE01013812 ;") == [
        "E01013810", "E01013811", "E01013812"]


def test_demo_neighbourhoods(org):
    from soclocal.areas.demo import load_demo_geography

    load_demo_geography(owning_agency=org["youth"])
    load_demo_geography(owning_agency=org["youth"])  # again: updated, not duplicated
    hoods = {n.area.name: n for n in Neighbourhood.objects.all()}
    assert set(hoods) == {"St Ann's and Sneinton", "Bulwell"}
    assert hoods["Bulwell"].members.count() == 20
    assert hoods["Bulwell"].area.population > 0
