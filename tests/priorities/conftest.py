import pytest

from soclocal.core.access import Role
from tests.profiles.conftest import crime_store, geography  # noqa: F401  (fixtures)


@pytest.fixture
def partners(org):
    """The test partnership plus a housing association, as make_user's agency "housing"."""
    from soclocal.accounts import services
    from soclocal.accounts.models import Agency

    housing = services.create_agency(None, name="Test Housing Association",
                                     kind=Agency.Kind.HOUSING)
    org["housing"] = housing
    org["housing_team"] = services.create_team(None, agency=housing, name="Tenancy")
    return org


@pytest.fixture
def people(partners, make_user):
    return {
        "police_analyst": make_user(Role.ANALYST, agency="police"),
        "intel": make_user(Role.INTELLIGENCE_OFFICER, agency="police"),
        "council_analyst": make_user(Role.ANALYST, agency="youth"),
        "admin": make_user(Role.PARTNERSHIP_ADMIN, agency="youth"),
        "board": make_user(Role.BOARD_MEMBER, agency="youth"),
        "housing": make_user(Role.PRACTITIONER, agency="housing"),
        "youth_practitioner": make_user(Role.PRACTITIONER, agency="youth"),
    }


@pytest.fixture
def ward_profile(crime_store, geography, people):  # noqa: F811
    from soclocal.areas.models import Area
    from soclocal.profiles.services import build_profile

    return build_profile(people["police_analyst"], Area.objects.get(type="ward", code="E05012287"),
                         "2024-11", "2024-12")
