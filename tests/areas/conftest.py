from pathlib import Path

import pytest

from soclocal.areas.demo import DEMO_DATA, load_demo_geography

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "areas"


@pytest.fixture
def demo_geography(db):
    """Nottingham and Nottinghamshire, imported from the demo extract."""
    load_demo_geography()


@pytest.fixture
def demo_file():
    return lambda name: DEMO_DATA / name


@pytest.fixture
def fixture_file():
    return lambda name: FIXTURES / name


def snapshot():
    """Everything the area imports write, to prove a failed import changed nothing."""
    from soclocal.areas.models import Area, Deprivation, LsoaLookup, Neighbourhood
    from soclocal.core.models import AuditEvent

    return {
        "areas": list(Area.objects.order_by("type", "code").values_list(
            "type", "code", "name", "population", "ward_id", "lad_id", "pfa_id", "geometry")),
        "deprivation": list(Deprivation.objects.order_by("area_id", "index").values_list(
            "area_id", "index", "decile", "rank", "score", "domains")),
        "lookups": list(LsoaLookup.objects.order_by("lsoa11_code", "lsoa21_code").values_list(
            "lsoa11_code", "lsoa21_code", "change")),
        "neighbourhoods": Neighbourhood.objects.count(),
        "audit": AuditEvent.objects.count(),
    }
