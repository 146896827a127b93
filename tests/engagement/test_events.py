"""Events: harvest typed quickly, coded with a click, suggestions confirmed, reports."""

import datetime

import pytest
from django.urls import reverse

from soclocal.core.access import Role
from soclocal.core.models import AuditEvent
from soclocal.engagement import selectors, services
from soclocal.engagement.models import Code, Event, Insight
from soclocal.engagement.suggest import suggest


@pytest.fixture
def facilitator(make_user):
    return make_user(Role.COMMUNITY_FACILITATOR)


@pytest.fixture
def cafe(facilitator):
    return services.create_event(
        facilitator, kind=Event.Kind.WORLD_CAFE, title="Spring café",
        date=datetime.date(2025, 4, 2), tables=4, rounds=3,
        questions="What would keep young people safe?\nWho do you trust?",
        community_representatives=14, agency_participants=5, justice_partners=1)


def test_harvest_one_insight_a_line_and_code_with_a_click(client, facilitator, cafe):
    client.force_login(facilitator)
    url = reverse("engagement:event", args=[cafe.pk])
    response = client.post(url, {"question": "Who do you trust?", "table": "2", "round": "1",
                                 "text": "- Youth workers who stay\n\n- Not the police, yet\n"})
    assert response.status_code == 302
    assert list(cafe.insights.values_list("text", flat=True)) == [
        "Youth workers who stay", "Not the police, yet"]
    insight = cafe.insights.first()
    code = Code.objects.get(label="Leisure, recreation and youth work")
    client.post(reverse("engagement:insight_code", args=[cafe.pk, insight.pk]),
                {"code": code.pk})
    assert list(insight.codes.all()) == [code]
    page = client.get(url).content.decode()
    assert "Leisure, recreation and youth work (1)" in page and "“Youth workers who stay”" in page
    assert AuditEvent.objects.filter(action="engagement.insight_coded").exists()


def test_coding_with_a_code_that_is_not_a_number_is_refused_plainly(client, facilitator,
                                                                     cafe):
    insight = services.harvest(facilitator, cafe, text="Youth workers who stay")[0]
    client.force_login(facilitator)
    response = client.post(reverse("engagement:insight_code", args=[cafe.pk, insight.pk]),
                           {"code": "²"}, follow=True)
    assert response.status_code == 200
    assert "That insight or code does not exist." in response.content.decode()
    assert not insight.codes.exists()


def test_suggestions_learn_from_the_facilitators_coding(facilitator, cafe):
    frame = Code.objects.get(label="Housing").frame
    services.harvest(facilitator, cafe, text="Damp council flats and overcrowding\n"
                                             "Nowhere to go at night, the youth club shut")
    flats, club = cafe.insights.all()
    services.code_insight(facilitator, flats, Code.objects.get(frame=frame, label="Housing"))
    services.code_insight(facilitator, club, Code.objects.get(
        frame=frame, label="Leisure, recreation and youth work"))
    texts = selectors.code_texts(frame)
    assert suggest("The flats are overcrowding families", texts)[0][0].label == "Housing"
    assert suggest("The youth club should open at night", texts)[0][0].label.startswith("Leisure")
    assert suggest("", texts) == []


def test_report_across_events_counts_by_code_and_area(client, facilitator, cafe):
    from soclocal.areas.models import Area, AreaType

    cafe.area = Area.objects.create(type=AreaType.WARD, code="E05000009", name="Meadows")
    cafe.save()
    services.harvest(facilitator, cafe, text="Dealers recruit at the shop\nCounty lines")
    code = Code.objects.get(label="Vulnerable people and how they are exploited")
    for insight in Insight.objects.all():
        services.code_insight(facilitator, insight, code)
    report = selectors.report_across_events(facilitator, code.frame)
    assert report["areas"] == ["Meadows"]
    assert report["rows"][0]["counts"] == [2] and "County lines" in report["rows"][0]["quotes"]
    client.force_login(facilitator)
    page = client.get(reverse("engagement:report") + f"?frame={code.frame.pk}").content.decode()
    assert "Dealers recruit at the shop" in page


def test_seating_plan_and_theme_output(client, facilitator, cafe):
    client.force_login(facilitator)
    page = client.get(reverse("engagement:event_seating", args=[cafe.pk])).content.decode()
    assert page.count("<caption") == 3
    theme = Code.objects.get(label="Wider disadvantage")
    client.post(reverse("engagement:theme_output", args=[cafe.pk]),
                {"theme": theme.pk, "resonance": "4", "more_of": "Youth work"})
    assert cafe.theme_outputs.get().resonance == 4


def test_own_coding_frame(facilitator):
    frame = services.create_frame(facilitator, name="Our priorities",
                                  labels=["Lighting", "Lighting", "Buses", ""])
    assert list(frame.codes.values_list("label", flat=True)) == ["Lighting", "Buses"]
