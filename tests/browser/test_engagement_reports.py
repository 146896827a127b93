"""Engagement reports in a real browser: the key facts filtered, the report by kind of area,
one click to the quotes behind a figure, the group's bids; every page accessible."""

import datetime
from decimal import Decimal

import pytest

from soclocal.core.access import Role
from tests.browser.conftest import axe_violations, sign_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reports_by_area_kind_and_period(page, make_user):
    from soclocal.areas.models import Area, AreaType, Deprivation, DeprivationIndex
    from soclocal.budgeting import services as pb
    from soclocal.budgeting.models import Bid, Process
    from soclocal.engagement import services
    from soclocal.engagement.models import Code, Event

    facilitator = make_user(Role.COMMUNITY_FACILITATOR, username="facilitator")
    ward = Area.objects.create(type=AreaType.WARD, code="E05000201", name="Meadows")
    lsoa = Area.objects.create(type=AreaType.LSOA21, code="E01000201", name="Meadows 1",
                               population=1500, ward=ward)
    Deprivation.objects.create(area=lsoa, index=DeprivationIndex.IMD2025, decile=1, rank=10)
    event = services.create_event(facilitator, kind=Event.Kind.WORLD_CAFE, title="Spring café",
                                  date=datetime.date(2025, 4, 2), area=ward,
                                  community_representatives=30)
    housing = Code.objects.get(frame__name="Seven findings", label="Housing")
    for insight in services.harvest(facilitator, event,
                                    text="Damp flats\nOvercrowded homes\nNo repairs"):
        services.code_insight(facilitator, insight, housing)
    group = services.create_group(facilitator, name="Meadows voice")
    process = Process.objects.create(name="Youth fund", slug="youth-fund", budget=Decimal(5000),
                                     area=ward, residents_who_planned=12,
                                     voting_close=datetime.date(2025, 6, 1))
    bid = Bid.objects.create(process=process, reference="1", title="Garden", cost=Decimal(900))
    pb.moderate_bid(facilitator, bid, decision="accept", community_group=group)

    sign_in(page, "facilitator", PASSWORD)
    page.goto("/engagement/")
    page.get_by_label("Year").fill("2025")
    page.get_by_label("From (YYYY-MM-DD)").fill("2025-01-01")
    page.get_by_role("button", name="Show").click()
    assert page.locator(".govuk-error-summary").is_visible()
    assert axe_violations(page) == []
    page.get_by_label("From (YYYY-MM-DD)").fill("")
    page.get_by_label("Area").select_option(label="Meadows (E05000201)")
    page.get_by_role("button", name="Show").click()
    assert page.get_by_role("cell", name="12", exact=True).first.is_visible()  # residents who planned
    assert axe_violations(page) == []

    page.goto(f"/engagement/report/?frame={housing.frame.pk}")
    assert axe_violations(page) == []
    page.get_by_role("link", name="3 said about Housing, concentrated deprivation").click()
    for quote in ("Damp flats", "Overcrowded homes", "No repairs"):
        assert page.get_by_text(f"“{quote}”").is_visible()
    assert axe_violations(page) == []

    page.goto(f"/engagement/groups/{group.pk}/")
    assert page.get_by_role("cell", name="Garden").is_visible()
    assert axe_violations(page) == []
