"""What people said by theme and kind of area: counts, quotes behind them, filters, the shared
CSV with small counts hidden."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from soclocal.areas.models import Area, AreaType, Deprivation, DeprivationIndex
from soclocal.core.access import Role
from soclocal.core.models import AuditEvent
from soclocal.engagement import kinds, selectors, services
from soclocal.engagement.models import Code, Event, Insight

ORDER = [kinds.LITTLE, kinds.POCKETS, kinds.CONCENTRATED]


@given(st.floats(min_value=0, max_value=100), st.floats(min_value=0, max_value=100))
def test_more_people_in_the_most_deprived_fifth_never_makes_a_less_deprived_kind(a, b):
    low, high = sorted([a, b])
    assert ORDER.index(kinds.classify(low)) <= ORDER.index(kinds.classify(high))


@given(st.floats(min_value=0, max_value=100))
def test_kind_boundaries(share):
    kind = kinds.classify(share)
    assert (kind == kinds.CONCENTRATED) == (share >= 50)
    assert (kind == kinds.LITTLE) == (share == 0)
    assert kinds.classify(None) == kinds.UNKNOWN


def ward(code, name, lsoas):
    """A ward made of LSOAs given as (decile, population)."""
    area = Area.objects.create(type=AreaType.WARD, code=code, name=name)
    for n, (decile, population) in enumerate(lsoas):
        lsoa = Area.objects.create(type=AreaType.LSOA21, code=f"{code[:3]}{code[-3:]}{n:03}",
                                   name=f"{name} {n}", population=population, ward=area)
        Deprivation.objects.create(area=lsoa, index=DeprivationIndex.IMD2025, decile=decile,
                                   rank=1000 * decile)
    return area


@pytest.fixture
def facilitator(make_user):
    return make_user(Role.COMMUNITY_FACILITATOR)


@pytest.fixture
def world(facilitator):
    """Three wards of different kinds, and an event with no area; insights coded by hand."""
    areas = {
        # 1,500 of 2,000 people in deciles 1-2: concentrated.
        kinds.CONCENTRATED: ward("E05000101", "Meadows", [(1, 800), (2, 700), (5, 500)]),
        # 300 of 2,000: pockets.
        kinds.POCKETS: ward("E05000102", "Wollaton", [(2, 300), (7, 900), (9, 800)]),
        kinds.LITTLE: ward("E05000103", "Park", [(8, 1000), (10, 1000)]),
        kinds.UNKNOWN: None,
    }
    events = {}
    for n, (kind, area) in enumerate(areas.items()):
        events[kind] = services.create_event(
            facilitator, kind=Event.Kind.WORLD_CAFE, title=f"Café {kind}", area=area,
            date=datetime.date(2024 + n % 2, 3, 1 + n), community_representatives=10)
    housing = Code.objects.get(frame__name="Seven findings", label="Housing")
    drugs = Code.objects.get(frame__name="Seven findings", label="Drug use")
    frame = housing.frame
    # (kind, code, how many insights)
    plan = [(kinds.CONCENTRATED, housing, 6), (kinds.CONCENTRATED, drugs, 2),
            (kinds.POCKETS, housing, 1), (kinds.POCKETS, drugs, 7), (kinds.LITTLE, drugs, 5),
            (kinds.UNKNOWN, housing, 3)]
    for kind, code, count in plan:
        made = services.harvest(facilitator, events[kind], text="\n".join(
            f"{code.label} remark {i} at {kind}" for i in range(count)))
        for insight in made:
            services.code_insight(facilitator, insight, code)
    return {"areas": areas, "events": events, "frame": frame, "housing": housing,
            "drugs": drugs}


def independent_count(code, event):
    return Insight.objects.filter(event=event, codes=code).count()


def test_counts_by_theme_and_kind_equal_the_coded_insights(facilitator, world):
    report = selectors.report_across_events(facilitator, world["frame"])
    keys = [k["key"] for k in report["kinds"]]
    for row in report["rows"]:
        for kind, event in world["events"].items():
            assert row["by_kind"][keys.index(kind)] == independent_count(row["code"], event)
        assert row["total"] == Insight.objects.filter(codes=row["code"]).count()
    assert report["total"] == sum(r["total"] for r in report["rows"]) == 24


def test_the_event_report_names_its_kind_of_area(client, facilitator, world):
    client.force_login(facilitator)
    page = client.get(reverse("engagement:event",
                              args=[world["events"][kinds.POCKETS].pk])).content.decode()
    assert "Kind of area: <strong>Pockets of deprivation</strong>" in page


def test_filters_by_period_and_area(client, facilitator, world):
    frame = world["frame"]
    in_2024 = selectors.report_across_events(facilitator, frame,
                                             date_from=datetime.date(2024, 1, 1),
                                             date_to=datetime.date(2024, 12, 31))
    expected = Insight.objects.filter(event__date__year=2024, codes__frame=frame).count()
    assert in_2024["total"] == expected and 0 < expected < 24
    park = world["areas"][kinds.LITTLE]
    only_park = selectors.report_across_events(facilitator, frame, area=park)
    assert only_park["areas"] == ["Park"] and only_park["total"] == 5
    client.force_login(facilitator)
    page = client.get(reverse("engagement:report"), {"frame": frame.pk, "area": park.pk})
    text = page.content.decode()
    assert page.status_code == 200 and "Drug use remark 0 at little" in text
    assert "Housing remark" not in text and "at pockets" not in text


def test_each_figure_links_to_the_quotes_behind_it(client, facilitator, world):
    client.force_login(facilitator)
    frame, drugs = world["frame"], world["drugs"]
    page = client.get(reverse("engagement:report"), {"frame": frame.pk}).content.decode()
    link = (f'{reverse("engagement:report_quotes")}?frame={frame.pk}&amp;code={drugs.pk}'
            f'&amp;kind={kinds.POCKETS}')
    assert link in page
    quotes = client.get(link.replace("&amp;", "&")).content.decode()
    for i in range(7):
        assert f"Drug use remark {i} at pockets" in quotes
    assert "at concentrated" not in quotes and "Housing remark" not in quotes


def test_a_bad_quotes_link_says_what_is_wrong(client, facilitator, world):
    client.force_login(facilitator)
    response = client.get(reverse("engagement:report_quotes"),
                          {"frame": world["frame"].pk, "code": world["drugs"].pk,
                           "kind": "sprawling"})
    assert response.status_code == 400
    assert "does not name a kind of area" in response.content.decode()


@pytest.mark.parametrize("code", ["²", "abc", "99999999999999999999"])
def test_a_quotes_link_with_a_mangled_theme_is_explained(client, facilitator, world, code):
    # "²" counts as a digit to str.isdigit() but is not a number.
    client.force_login(facilitator)
    response = client.get(reverse("engagement:report_quotes"),
                          {"frame": world["frame"].pk, "code": code, "kind": kinds.POCKETS})
    assert response.status_code == 400
    assert "does not name a theme of the frame" in response.content.decode()


def test_bad_filters_are_explained_and_kept(client, facilitator, world):
    client.force_login(facilitator)
    page = client.get(reverse("engagement:report"), {
        "frame": world["frame"].pk, "date_from": "2025-06-01", "date_to": "2025-01-01"})
    text = page.content.decode()
    assert page.status_code == 200
    assert "The end date must be the same as or after the start date" in text
    assert 'value="2025-06-01"' in text and "Correct the filters" in text
    text = client.get(reverse("engagement:report"), {"date_from": "1 March"}).content.decode()
    assert "Enter the start date as YYYY-MM-DD" in text and 'value="1 March"' in text


def test_the_shared_csv_hides_small_counts_and_what_reveals_them(client, facilitator, world):
    client.force_login(facilitator)
    response = client.get(reverse("engagement:report_csv"), {"frame": world["frame"].pk})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    header = rows[1]
    table = {r[0]: dict(zip(header[1:], r[1:], strict=False)) for r in rows[2:] if len(r) > 1}
    concentrated, pockets = "Concentrated deprivation", "Pockets of deprivation"
    assert table["Housing"][concentrated] == "6"
    assert table["Drug use"][concentrated] == "[c]"  # 2
    assert table["Housing"][pockets] == "[c]"  # 1
    assert table["Housing"]["Deprivation not known"] == "[c]"  # 3
    # No hidden figure can be worked out from the others and the totals.
    for theme, cells in table.items():
        hidden = [k for k, v in cells.items() if v == "[c]"]
        assert len(hidden) != 1, theme
    assert AuditEvent.objects.filter(action="engagement.report_exported").exists()


def test_the_report_opens_on_a_frame_that_has_been_used(client, facilitator, world):
    client.force_login(facilitator)
    page = client.get(reverse("engagement:report")).content.decode()
    assert f'<option value="{world["frame"].pk}" selected>' in page
    assert "Nothing has been coded with this frame yet" not in page
    assert "Drug use" in page
