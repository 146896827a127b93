"""Star change per period and home area in the split service report: each row's figures
against a computation made here straight from the readings, and hidden when small in the
sharing version."""

import csv
import io
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from soclocal.areas.models import Area, AreaType
from soclocal.cases import report, services, star
from soclocal.cases.models import Case, StarReading
from soclocal.core.disclosure import MARK

from .test_report_split import refer

PRACTITIONER = "practitioner"


@pytest.fixture
def wards(db):
    """One local authority with two wards: North (two small areas) and South (one)."""
    lad = Area.objects.create(type=AreaType.LAD, code="E08000001", name="Testborough")
    north = Area.objects.create(type=AreaType.WARD, code="E05000001", name="North ward")
    south = Area.objects.create(type=AreaType.WARD, code="E05000002", name="South ward")
    small = {key: Area.objects.create(type=AreaType.LSOA21, code=code, name=key, ward=ward,
                                      lad=lad)
             for key, code, ward in (("n1", "E01000001", north), ("n2", "E01000002", north),
                                     ("s1", "E01000003", south))}
    return {"lad": lad, "north": north, "south": south, **small}


def read(people, case, day, score_of, *, instrument=None, approve=True):
    instrument = instrument or star.active_instrument()
    areas = list(instrument.areas.all())
    reading = services.record_reading(people[PRACTITIONER], case, taken_on=day,
                                      scores={a.pk: score_of(i) for i, a in enumerate(areas)},
                                      instrument=instrument)
    if approve:
        services.approve_reading(people[PRACTITIONER], reading)
    return reading


def plan(people, wards):
    """Young people referred in January of last year, with star readings through to June:
    seven in North ward, three in South ward, one with no home area. Returns the year and
    the cases by name."""
    year = timezone.localdate().year - 1
    homes = ["n1"] * 4 + ["n2"] * 3 + ["s1"] * 3 + [None]
    cases = {}
    for i, home in enumerate(homes):
        r = refer(people, i, date(year, 1, 2 + i), home=wards[home] if home else None)
        cases[i] = r.case
    # Every young person: a first reading in January, another in March, some in May too,
    # scores differing by person and by area so the averages are not all the same.
    for i, case in cases.items():
        read(people, case, date(year, 1, 20), lambda a, i=i: 1 + (i + a) % 4)
        read(people, case, date(year, 3, 10 + i), lambda a, i=i: 3 + (i * a) % 6)
        if i % 2 == 0:
            read(people, case, date(year, 5, 5), lambda a, i=i: 2 + (i + 2 * a) % 8)
    # A reading not yet approved counts nowhere.
    read(people, cases[1], date(year, 5, 6), lambda a: 10, approve=False)
    # Young person 3 moves to a new version of the star in May and again in June: May has
    # only one reading on it (no change yet), June has two.
    newer = services.new_instrument_version(people["manager"], star.active_instrument())
    read(people, cases[3], date(year, 5, 20), lambda a: 4, instrument=newer)
    read(people, cases[3], date(year, 6, 2), lambda a: 7 + a % 2, instrument=newer)
    return year, cases


def expected(case_ids, start, end):
    """The row's figures worked out one case at a time from the stored readings."""
    changes = []
    for case_id in case_ids:
        upto = list(StarReading.objects.filter(case_id=case_id, approved_at__isnull=False,
                                               taken_on__lte=end).order_by("taken_on", "pk"))
        if not any(start <= r.taken_on <= end for r in upto):
            continue
        on_star = [r for r in upto if r.instrument_id == upto[-1].instrument_id]
        if len(on_star) < 2:
            continue
        first = {s.area.name: s.score for s in on_star[0].scores.all()}
        latest = {s.area.name: s.score for s in on_star[-1].scores.all()}
        changes.append({a: latest[a] - first[a] for a in first})
    means = {}
    for area in star.DEFAULT_AREAS:
        values = [c[area] for c in changes]
        means[area] = round(sum(values) / len(values), 2) if values else None
    return len(changes), means


def cases_in(key):
    if key == report.NOT_KNOWN:
        return Case.objects.filter(young_person__home_area__isnull=True)
    return Case.objects.filter(young_person__home_area__ward__name=key.split(" (")[0])


@pytest.mark.django_db
def test_star_change_per_month_and_ward_equals_the_readings(people, wards):
    year, _cases = plan(people, wards)
    split = report.split_report(Case.objects.all(), period="month", area_level="ward",
                                date_from=date(year, 1, 1), date_to=date(year, 6, 30))
    seen = set()
    for row in split["rows"]:
        ids = cases_in(row["area"]).values_list("pk", flat=True)
        people_n, means = expected(ids, row["start"], row["end"])
        assert row["figures"]["star_people"] == people_n, row["period"] + row["area"]
        assert row["figures"]["star_change"] == means
        seen.add((row["period"], row["area"], people_n))
    # January has only first readings; March has everyone's second; in May the even-numbered
    # young people read again (0, 2 in North 1; 4, 6 in North 2; 8 in South; 10 not placed),
    # and young person 3's single reading on the new star does not count; in June it does.
    north, south = "North ward (E05000001)", "South ward (E05000002)"
    assert {(p, a, n) for p, a, n in seen if p == f"Jan {year}"} == {
        (f"Jan {year}", north, 0), (f"Jan {year}", south, 0),
        (f"Jan {year}", report.NOT_KNOWN, 0)}
    assert (f"Mar {year}", north, 7) in seen and (f"Mar {year}", south, 3) in seen
    assert (f"May {year}", north, 4) in seen and (f"May {year}", south, 1) in seen
    assert (f"Jun {year}", north, 1) in seen and (f"Apr {year}", north, 0) in seen


@pytest.mark.django_db
def test_a_hand_worked_row(people, wards):
    year, cases = plan(people, wards)
    split = report.split_report(Case.objects.all(), period="month", area_level="ward",
                                date_from=date(year, 6, 1), date_to=date(year, 6, 30))
    (north,) = [r for r in split["rows"] if r["area"].startswith("North")]
    # Young person 3 only: June's reading (7 or 8) less May's on the same new star (4).
    assert north["figures"]["star_people"] == 1
    changes = north["figures"]["star_change"]
    assert [changes[a] for a in star.DEFAULT_AREAS] == [3, 4] * 5


@pytest.mark.django_db
def test_star_change_per_quarter_and_local_authority(people, wards):
    year, _cases = plan(people, wards)
    split = report.split_report(Case.objects.all(), period="quarter", area_level="lad",
                                date_from=date(year, 1, 1), date_to=date(year, 6, 30))
    for row in split["rows"]:
        ids = (Case.objects.filter(young_person__home_area__isnull=True)
               if row["area"] == report.NOT_KNOWN
               else Case.objects.filter(young_person__home_area__lad=wards["lad"]))
        assert (row["figures"]["star_people"], row["figures"]["star_change"]) == expected(
            ids.values_list("pk", flat=True), row["start"], row["end"])
    # Without dates the periods run on to the latest reading (June), past the last referral.
    open_ended = report.split_report(Case.objects.all(), period="month")
    assert open_ended["rows"][-1]["period"] == f"Jun {year}"
    assert open_ended["rows"][-1]["figures"]["star_people"] == 1


@pytest.mark.django_db
def test_sharing_hides_the_star_change_of_rows_under_five_young_people(people, wards):
    year, _cases = plan(people, wards)
    split = report.split_report(Case.objects.all(), period="month", area_level="ward",
                                date_from=date(year, 1, 1), date_to=date(year, 6, 30))
    shared, _also_hide = report.split_for_sharing(split)
    shown = 0
    for row, out in zip(split["rows"], shared["rows"], strict=True):
        n = row["figures"]["star_people"]
        if n < 5:
            assert set(out["figures"]["star_change"].values()) <= {MARK}
            assert out["figures"]["star_people"] == (MARK if n else 0)
        else:
            assert out["figures"]["star_change"] == row["figures"]["star_change"]
            assert out["figures"]["star_people"] == n
            shown += 1
    assert shown == 1  # North ward in March, with seven young people


@pytest.mark.django_db
def test_reading_queries_do_not_grow_with_the_young_people(people, wards):
    year, cases = plan(people, wards)

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            report.split_report(Case.objects.all(), period="month", area_level="ward",
                                date_from=date(year, 1, 1), date_to=date(year, 6, 30))
        return len(ctx.captured_queries)

    before = queries()
    for i in range(20, 26):
        case = refer(people, i, date(year, 1, 15), home=wards["n1"]).case
        read(people, case, date(year, 2, 1), lambda a: 2)
        read(people, case, date(year, 4, 1), lambda a: 5)
    assert queries() == before


@pytest.mark.django_db
def test_the_page_and_the_csv_give_the_star_change_per_row(client, people, wards):
    year, _cases = plan(people, wards)
    query = {"split": "month", "area_level": "ward", "date_from": f"{year}-01-01",
             "date_to": f"{year}-06-30"}
    client.force_login(people["manager"])
    page = client.get(reverse("cases:report"), query).content.decode()
    assert 'data-split="star"' in page and report.STAR_SPLIT_TITLE in page
    rows = list(csv.DictReader(io.StringIO(client.get(reverse("cases:report_csv"),
                                                      query).content.decode())))
    north = "North ward (E05000001)"
    march = {r["category"]: r["value"] for r in rows if r["measure"] == "star_change"
             and r["period"] == f"Mar {year}" and r["area"] == north}
    people_n, means = expected(cases_in(north).values_list("pk", flat=True),
                               date(year, 3, 1), date(year, 3, 31))
    assert march == {a: str(v) for a, v in means.items()}
    assert [r["value"] for r in rows if r["measure"] == "star_people"
            and r["period"] == f"Mar {year}" and r["area"] == north] == [str(people_n)]
    shared = list(csv.DictReader(io.StringIO(client.get(
        reverse("cases:report_csv"), {**query, "version": "sharing"}).content.decode())))
    south_march = [r["value"] for r in shared if r["measure"] in ("star_change", "star_people")
                   and r["period"] == f"Mar {year}" and r["area"].startswith("South")]
    assert south_march and set(south_march) == {MARK}


@given(counts=st.lists(st.lists(st.integers(0, 12), min_size=3, max_size=3), min_size=1,
                       max_size=4))
def test_no_hidden_star_row_can_be_worked_out_from_its_period(counts):
    """Areas split a period's young people, so their counts add up to the period's: one hidden
    area among shown ones would be given away by subtraction."""
    rows = [{"period": f"P{p}", "area": f"A{a}", "figures": {
        "star_people": n, "star_change": {"Accommodation": 1.0 if n else None},
        **{k: 0 for k in ("young_people", "contacts", "out_of_hours_contacts", "rereferrals",
                          "open_cases", "practitioners_with_cases", "triaged",
                          "first_contacts")},
        "by_source": {}, "by_reason": {}, "engagement": {}, "by_closure": {}}}
        for p, period in enumerate(counts) for a, n in enumerate(period)]
    shared, _ = report.split_for_sharing({"period": "month", "area_level": "ward",
                                          "rows": rows})
    for p, period in enumerate(counts):
        out = [r["figures"] for r in shared["rows"] if r["period"] == f"P{p}"]
        hidden = [n for n, f in zip(period, out, strict=True) if f["star_people"] == MARK]
        for n, f in zip(period, out, strict=True):
            assert f["star_people"] in (n, MARK) and not (0 < n < 5 and f["star_people"] != MARK)
            count_hidden = f["star_people"] == MARK
            assert (f["star_change"]["Accommodation"] == MARK) == (n < 5 or count_hidden)
        # Either two or more areas are hidden, or the period's total is small enough to be
        # hidden wherever it appears.
        assert len(hidden) != 1 or sum(period) < 5
