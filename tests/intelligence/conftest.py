import pytest

from soclocal.core.access import Role


@pytest.fixture
def people(make_user, org):
    """Two intelligence officers at the force, a housing officer and their manager at a
    housing association, and a practitioner at the youth service."""
    from soclocal.accounts import services
    from soclocal.accounts.models import Agency

    housing = services.create_agency(None, name="Test Housing", kind=Agency.Kind.HOUSING)
    org["housing"] = housing
    org["housing_team"] = services.create_team(None, agency=housing, name="Tenancy")
    return {
        "intel": make_user(Role.INTELLIGENCE_OFFICER, agency="police", username="intel"),
        "intel2": make_user(Role.INTELLIGENCE_OFFICER, agency="police", username="intel2"),
        "housing": make_user(Role.PRACTITIONER, agency="housing", username="housing"),
        "housing_manager": make_user(Role.MANAGER, agency="housing", username="hmanager"),
        "youth": make_user(Role.PRACTITIONER, agency="youth", username="youthworker"),
        "youth_manager": make_user(Role.MANAGER, agency="youth", username="ymanager"),
        "board": make_user(Role.BOARD_MEMBER, agency="youth", username="boardmember"),
    }


GRADE = {"source_type": "partner", "source_grade": "2", "intelligence_grade": "B",
         "handling": "C", "handling_conditions": "Share only with named tenancy staff"}


@pytest.fixture
def report(people):
    from soclocal.intelligence import services

    return services.create_report(people["intel"], title="Flat 4 callers",
                                  text="Tenant's neighbour Mrs Example says cars call at night",
                                  **GRADE)
