"""The profile reads the geography in SQL: the same similar areas as the record-by-record way
it replaced, a fixed number of database queries whatever the number of small areas, and a
snapshot that follows every change to the geography."""

from collections import defaultdict

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from soclocal.profiles.analytics import SIMILAR_AREAS, compute_profile

from .test_analytics import raw_rows

MONTHS = ("2024-11", "2024-12")


def similar_by_records(area, with_crime, n=SIMILAR_AREAS):
    """The method the SQL replaced: every LSOA and reading through the ORM, in Python."""
    from soclocal.areas.models import Area, AreaType, Deprivation
    from soclocal.areas.selectors import primary_index

    lsoas = Area.objects.filter(type=AreaType.LSOA21).values_list(
        "pk", "code", "population", "ward_id", "lad_id", "pfa_id")
    scores = {d.area_id: d.score for d in Deprivation.objects.filter(
        index=primary_index(Area(type=AreaType.LSOA21)), score__isnull=False)}
    groups = defaultdict(list)
    if area.type == AreaType.NEIGHBOURHOOD:
        for hood in Area.objects.filter(type=AreaType.NEIGHBOURHOOD):
            for m in hood.neighbourhood.members.all():
                groups[hood.pk].append((m.pk, m.code, m.population))
    else:
        column = {AreaType.LSOA21: 0, AreaType.WARD: 3, AreaType.LAD: 4, AreaType.PFA: 5}[
            area.type]
        for row in lsoas:
            key = row[0] if column == 0 else row[column]
            if key:
                groups[key].append((row[0], row[1], row[2]))
    candidates = []
    for key, members in groups.items():
        if not any(code in with_crime for _pk, code, _pop in members):
            continue
        scored = [(scores[pk], pop) for pk, _code, pop in members if pk in scores and pop]
        people = sum(pop for _s, pop in scored)
        if people:
            candidates.append((key, sum(s * p for s, p in scored) / people))
    mine = dict(candidates).get(area.pk)
    if mine is None:
        return []
    nearest = sorted((abs(score - mine), key) for key, score in candidates if key != area.pk)
    return [(Area.objects.get(pk=key).code, round(dict(candidates)[key], 2))
            for _d, key in nearest[:n]]


@pytest.fixture
def with_crime():
    return {r["LSOA code"] for r in raw_rows(set(MONTHS)) if r["LSOA code"]}


@pytest.fixture
def hoods(geography):
    from soclocal.accounts import services
    from soclocal.accounts.models import Agency
    from soclocal.areas.demo import _demo_neighbourhoods

    services.get_or_create_partnership("Nottingham")
    agency = services.create_agency(None, name="Nottingham Community Safety Partnership",
                                    kind=Agency.Kind.COMMUNITY_SAFETY)
    _demo_neighbourhoods(agency, None)


@pytest.mark.parametrize("kind, code", [("lad", "E06000018"), ("lad", "E07000170"),
                                        ("ward", "E05012287"), ("lsoa21", "E01033400"),
                                        ("neighbourhood", None)])
def test_similar_areas_from_sql_are_those_of_the_record_by_record_method(
        hoods, crime_store, with_crime, kind, code):
    from soclocal.areas.models import Area

    areas = Area.objects.filter(type=kind)
    area = areas.get(code=code) if code else areas.order_by("name").first()
    expected = similar_by_records(area, with_crime)
    profile = compute_profile(area, *MONTHS)
    found = [(c["code"], c["imd_score"]) for c in profile["comparison"]
             if c["role"] == "similar"]
    assert found == expected
    assert len(found) == (1 if kind == "neighbourhood" else SIMILAR_AREAS)


def test_a_profile_makes_the_same_few_queries_however_many_small_areas(geography,
                                                                        crime_store):
    from soclocal.areas.models import Area
    from soclocal.areas.selectors import lsoas_of

    counts = {}
    for kind, code in (("lsoa21", "E01033400"), ("lad", "E06000018"), ("pfa", "E23000019")):
        area = Area.objects.get(type=kind, code=code)
        compute_profile(area, *MONTHS)  # the geography snapshot is written once, first
        with CaptureQueriesContext(connection) as queries:
            profile = compute_profile(area, *MONTHS)
        counts[kind] = len(queries)
        assert profile["area"]["lsoas"] == lsoas_of(area).count()
    assert counts["pfa"] <= counts["lad"] <= 10
    assert Area.objects.get(code="E23000019").pfa_lsoas.count() > 500


def test_the_snapshot_follows_a_change_to_the_geography(geography, crime_store):
    from soclocal.areas.models import Area, Deprivation

    area = Area.objects.get(type="lad", code="E06000018")
    before = compute_profile(area, *MONTHS)
    lsoa = Area.objects.filter(lad=area).order_by("code").first()
    lsoa.population += 1000
    lsoa.save()
    reading = Deprivation.objects.get(area=lsoa, index="imd2025")
    reading.decile = 1 if reading.decile != 1 else 2
    reading.save()
    after = compute_profile(area, *MONTHS)
    assert after["area"]["population"] == before["area"]["population"] + 1000
    row = next(r for r in after["lsoas"] if r["code"] == lsoa.code)
    assert row["imd_decile"] == reading.decile
