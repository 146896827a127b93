import pytest

from soclocal.core.access import Role


@pytest.fixture
def small_world(db):
    """Two wards: W1 holds LSOAs A (1,000 people) and B (2,000); W2 holds C (1,000)."""
    from soclocal.areas.models import Area

    w1 = Area.objects.create(type="ward", code="E05900001", name="Ward One")
    w2 = Area.objects.create(type="ward", code="E05900002", name="Ward Two")
    lad = Area.objects.create(type="lad", code="E06900001", name="Testborough")
    make = Area.objects.create
    return {
        "A": make(type="lsoa21", code="E01900001", name="Testborough 001A", population=1000,
                  ward=w1, lad=lad),
        "B": make(type="lsoa21", code="E01900002", name="Testborough 001B", population=2000,
                  ward=w1, lad=lad),
        "C": make(type="lsoa21", code="E01900003", name="Testborough 002A", population=1000,
                  ward=w2, lad=lad),
        "W1": w1, "W2": w2, "lad": lad,
    }


@pytest.fixture
def indicators(small_world):
    """Crisis grants (weight 2, hide below 5) and school exclusions (weight 0.5, hide below 5)."""
    from soclocal.safeguarding.models import Indicator

    return {
        "crisis": Indicator.objects.create(code="crisis_grants", name="Crisis grants", weight=2,
                                           source="Council welfare assistance",
                                           counts="Awards of crisis grants"),
        "exclusions": Indicator.objects.create(code="exclusions", name="School exclusions",
                                               weight=0.5, suppression_threshold=5),
    }


HAND_WORKED = (
    "area_code,period,indicator,count,denominator\n"
    "E01900001,2025,crisis_grants,10,\n"
    "E01900002,2025,crisis_grants,40,\n"
    "E01900003,2025,crisis_grants,30,\n"
    "E01900001,2025,exclusions,6,200\n"
    "E01900002,2025,exclusions,5,500\n"
    "E01900003,2025,exclusions,4,200\n"
)


@pytest.fixture
def analyst(make_user):
    return make_user(Role.ANALYST, agency="youth")


@pytest.fixture
def loaded(indicators, analyst, tmp_path):
    from soclocal.safeguarding.imports import import_indicators

    path = tmp_path / "partner.csv"
    path.write_text(HAND_WORKED)
    import_indicators(path, actor=analyst)
    return indicators
