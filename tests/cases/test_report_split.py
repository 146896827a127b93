"""The service report split by month, quarter or year and by home area, with small numbers
hidden cell by cell in the sharing version."""

import csv
import io
from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from soclocal.areas.models import Area, AreaType
from soclocal.cases import report, services
from soclocal.cases.models import Case, Referral
from soclocal.core.disclosure import MARK

from .conftest import person_data, referral_data


def at(day: date):
    return timezone.make_aware(datetime(day.year, day.month, day.day, 10, 0))


@given(kind=st.sampled_from(["month", "quarter", "year"]),
       start=st.dates(date(2015, 1, 1), date(2030, 1, 1)), days=st.integers(0, 1200))
def test_periods_cover_every_day_once_and_stay_in_one_calendar_unit(kind, start, days):
    end = start + timedelta(days=days)
    spans = report.periods(kind, start, end)
    assert spans[0].start == start and spans[-1].end == end
    for a, b in zip(spans, spans[1:], strict=False):
        assert b.start == a.end + timedelta(days=1)
    for span in spans:
        assert span.start <= span.end
        assert span.start.year == span.end.year
        if kind == "month":
            assert span.start.month == span.end.month
        if kind == "quarter":
            assert (span.start.month - 1) // 3 == (span.end.month - 1) // 3
    assert len({s.label for s in spans}) == len(spans)


@pytest.fixture
def wards(db):
    lad = Area.objects.create(type=AreaType.LAD, code="E08000001", name="Testborough")
    north = Area.objects.create(type=AreaType.WARD, code="E05000001", name="North ward")
    south = Area.objects.create(type=AreaType.WARD, code="E05000002", name="South ward")
    lsoas = {
        "n1": Area.objects.create(type=AreaType.LSOA21, code="E01000001", name="North 1",
                                  ward=north, lad=lad),
        "n2": Area.objects.create(type=AreaType.LSOA21, code="E01000002", name="North 2",
                                  ward=north, lad=lad),
        "s1": Area.objects.create(type=AreaType.LSOA21, code="E01000003", name="South 1",
                                  ward=south, lad=lad),
    }
    return {"lad": lad, "north": north, "south": south, **lsoas}


def refer(people, i, day, *, source="police", home=None, accept=True):
    person = person_data(first_name=f"Young{i}", last_name=f"Person{i}")
    if home is not None:
        person["home_area"] = home
    r = services.record_referral(people["practitioner"], person=person, received_at=at(day),
                                 **referral_data(source=source))
    if accept:
        services.triage(people["manager"], r, decision="accept")
    return r


def plan(people, wards):
    """Referrals over three months of last year in two wards and with no home area."""
    year = timezone.localdate().year - 1
    placed = [("n1", 1, 3, "police"), ("n2", 1, 20, "police"), ("s1", 1, 21, "school"),
              ("n1", 2, 2, "police"), ("s1", 2, 10, "police"), ("s1", 2, 11, "school"),
              ("s1", 2, 12, "school"), (None, 3, 5, "health"), ("n2", 3, 30, "police")]
    for i, (home, month, day, source) in enumerate(placed):
        refer(people, i, date(year, month, day), source=source,
              home=wards[home] if home else None)
    return year


@pytest.mark.django_db
def test_counts_per_month_equal_the_referrals_received_in_it(people, wards):
    year = plan(people, wards)
    split = report.split_report(Case.objects.all(), period="month",
                                date_from=date(year, 1, 1), date_to=date(year, 4, 30))
    assert [r["period"] for r in split["rows"]] == [f"{m} {year}" for m in
                                                     ("Jan", "Feb", "Mar", "Apr")]
    for row in split["rows"]:
        received = Referral.objects.filter(received_at__date__gte=row["start"],
                                           received_at__date__lte=row["end"])
        assert row["figures"]["referrals"] == received.count()
        assert row["figures"]["by_source"]["Police"] == received.filter(source="police").count()
        assert row["figures"]["young_people"] == received.values("case__young_person").distinct(
        ).count()
    assert sum(r["figures"]["referrals"] for r in split["rows"]) == Referral.objects.count()
    quarters = report.split_report(Case.objects.all(), period="quarter",
                                   date_from=date(year, 1, 1), date_to=date(year, 12, 31))
    assert [r["figures"]["referrals"] for r in quarters["rows"]] == [9, 0, 0, 0]


@pytest.mark.django_db
def test_counts_per_ward_and_local_authority_follow_the_home_area(people, wards):
    year = plan(people, wards)
    split = report.split_report(Case.objects.all(), period="quarter", area_level="ward")
    rows = {(r["period"], r["area"]): r["figures"]["referrals"] for r in split["rows"]}
    q1 = f"Jan to Mar {year}"
    for ward in (wards["north"], wards["south"]):
        independent = Referral.objects.filter(case__young_person__home_area__ward=ward).count()
        assert rows[(q1, str(ward))] == independent
    assert rows[(q1, report.NOT_KNOWN)] == Referral.objects.filter(
        case__young_person__home_area__isnull=True).count() == 1
    by_lad = report.split_report(Case.objects.all(), area_level="lad")
    assert {r["area"]: r["figures"]["referrals"] for r in by_lad["rows"]} == {
        str(wards["lad"]): 8, report.NOT_KNOWN: 1}


@pytest.mark.django_db
def test_sharing_hides_small_cells_and_the_cells_that_would_reveal_them(people, wards):
    year = plan(people, wards)
    split = report.split_report(Case.objects.all(), period="month",
                                date_from=date(year, 1, 1), date_to=date(year, 3, 31))
    shared, also_hide = report.split_for_sharing(split)
    for row, out in zip(split["rows"], shared["rows"], strict=True):
        for name in report.SERIES:
            for category, value in row["figures"][name].items():
                shown = out["figures"][name][category]
                assert shown == value or shown == MARK
                if 0 < value < 5:
                    assert shown == MARK
        for name in ("referrals", "young_people", "contacts", "open_cases"):
            value = row["figures"][name]
            if 0 < value < 5:
                assert out["figures"][name] == MARK
    # January: 2 police and 1 school, so every non-zero source is hidden, and with them the
    # month's referrals; the zero sources stay (a zero says nothing about anyone).
    january = shared["rows"][0]["figures"]
    assert january["by_source"]["Police"] == MARK and january["by_source"]["School"] == MARK
    assert january["by_source"]["Family"] == 0
    # Totals the split tables had to hide are hidden in the summary too; the police total (5)
    # stays, as the three hidden monthly police counts (2, 2, 1) cannot be worked out from it.
    summary = report.hide_in_summary(report.for_sharing(report.service_report(
        Case.objects.all())), also_hide)
    assert also_hide == {("by_source", "School"), ("by_source", "Health")}
    assert summary["by_source"]["School"] == summary["by_source"]["Health"] == MARK
    assert summary["by_source"]["Police"] == 5
    assert [r["figures"]["by_source"]["Police"] for r in shared["rows"]] == [MARK] * 3


@given(counts=st.lists(st.lists(st.integers(0, 12), min_size=3, max_size=3), min_size=1,
                       max_size=5), star_people=st.lists(st.integers(0, 12), min_size=5,
                                                         max_size=5))
def test_no_published_cell_is_a_small_count_whatever_the_figures(counts, star_people):
    categories = ["A", "B", "C"]
    zero = {k: 0 for k in ("young_people", "contacts", "out_of_hours_contacts", "rereferrals",
                           "open_cases", "practitioners_with_cases", "triaged",
                           "first_contacts")}
    rows = [{"period": str(i), "area": "", "figures": {
        **zero, "by_source": dict(zip(categories, c, strict=True)), "by_reason": {},
        "engagement": {}, "by_closure": {}, "star_people": star_people[i],
        "star_change": {"Accommodation": 1.5 if star_people[i] else None}}}
        for i, c in enumerate(counts)]
    shared, _ = report.split_for_sharing({"period": "month", "area_level": None, "rows": rows})
    for row, out in zip(rows, shared["rows"], strict=True):
        for value in out["figures"]["by_source"].values():
            assert value == MARK or not 0 < value < 5
        assert out["figures"]["referrals"] == MARK or not 0 < out["figures"]["referrals"] < 5
        people = row["figures"]["star_people"]
        assert out["figures"]["star_people"] == (MARK if 0 < people < 5 else people)
        assert out["figures"]["star_change"]["Accommodation"] == (
            MARK if people < 5 else 1.5)


@pytest.mark.django_db
def test_the_page_and_the_csv_show_each_figure_per_period(client, people, wards):
    year = plan(people, wards)
    client.force_login(people["manager"])
    query = {"split": "month", "area_level": "ward", "date_from": f"{year}-01-01",
             "date_to": f"{year}-02-28"}
    page = client.get(reverse("cases:report"), query).content.decode()
    assert "Figures per period" in page and f"Feb {year}" in page and "South ward" in page
    response = client.get(reverse("cases:report_csv"), query)
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert set(rows[0]) == {"measure", "category", "period", "area", "value"}
    cell = [r for r in rows if r["measure"] == "referrals" and r["period"] == f"Feb {year}"
            and r["area"] == "South ward (E05000002)"]
    assert cell[0]["value"] == "3"
    in_range = Referral.objects.filter(received_at__date__lte=date(year, 2, 28)).count()
    assert any(r["period"] == "All" and r["measure"] == "referrals"
               and r["value"] == str(in_range) for r in rows)
    # The sharing version of the same CSV hides the small cells.
    shared = list(csv.DictReader(io.StringIO(client.get(
        reverse("cases:report_csv"), {**query, "version": "sharing"}).content.decode())))
    cell = [r for r in shared if r["measure"] == "referrals" and r["period"] == f"Feb {year}"
            and r["area"] == "South ward (E05000002)"]
    assert cell[0]["value"] == MARK


@pytest.mark.django_db
def test_bad_choices_are_explained_on_the_page(client, people, wards):
    plan(people, wards)
    client.force_login(people["manager"])
    text = client.get(reverse("cases:report"), {"split": "month", "date_from": "2000-01-01",
                                                "date_to": "2020-12-31"}).content.decode()
    assert "That would make 252 rows; the most is 120" in text
    text = client.get(reverse("cases:report"), {"date_from": "2020-02-01",
                                                "date_to": "2020-01-01"}).content.decode()
    assert "The end date must be the same as or after the start date" in text
    assert 'value="2020-02-01"' in text
    response = client.get(reverse("cases:report_csv"), {"split": "fortnight"})
    assert response.status_code == 302 and "split=fortnight" in response["Location"]
