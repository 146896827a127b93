"""The board's dashboard: every figure equals the records it counts, with counts from 1 to 4
(and those that would reveal them) hidden, dated, and nothing personal. Checked from outside,
through the page a board member opens and the PDF they download."""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from soclocal.accounts.models import Agency
from soclocal.cases import services as cases_services
from soclocal.core.access import Role
from soclocal.dashboards import headlines
from soclocal.engagement.models import Event
from soclocal.priorities import services as priorities
from soclocal.priorities.models import Threat
from soclocal.responses import services as responses
from soclocal.safeguarding.models import NrmReferral
from tests.cases.conftest import person_data, referral_data
from tests.profiles.conftest import crime_store, geography  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

MARK = "[c]"


def figures(page: str) -> dict:
    return {k: v.strip() for k, v in re.findall(
        r'data-figure="([^"]+)">\s*([^<]*?)\s*<', page)}


@pytest.fixture
def people(make_user):
    return {"board": make_user(Role.BOARD_MEMBER), "admin": make_user(Role.PARTNERSHIP_ADMIN),
            "practitioner": make_user(Role.PRACTITIONER), "manager": make_user(Role.MANAGER),
            "analyst": make_user(Role.ANALYST, agency="police")}


@pytest.fixture
def records(people, org):
    """Seven referrals this year (six accepted), one last year; NRM referrals of three kinds;
    two events; a plan with actions in three strands."""
    today = timezone.localdate()
    accepted = []
    for n in range(7):
        referral = cases_services.record_referral(
            people["practitioner"], person=person_data(first_name=f"Zephyrine{n}"),
            **referral_data())
        if n < 6:
            accepted.append(cases_services.triage(people["manager"], referral,
                                                  decision="accept"))
    old = cases_services.record_referral(people["practitioner"],
                                         person=person_data(first_name="Olderby"),
                                         **referral_data())
    type(old).objects.filter(pk=old.pk).update(received_at=timezone.now() - timedelta(days=500))
    youth = org["youth"]
    for kind, n in (("criminal", 6), ("sexual", 2), ("labour", 5)):
        for i in range(n):
            NrmReferral.objects.create(reference=f"NRM-{kind}-{i}", first_responder_agency=youth,
                                       exploitation_type=kind, age_band="16-17",
                                       referral_date=today, reasonable_grounds_due=today)
    Event.objects.create(kind=Event.Kind.WORLD_CAFE, title="Café", date=today,
                         community_representatives=12)
    Event.objects.create(kind=Event.Kind.CO_INQUIRY, title="Session", date=today,
                         community_representatives=3)
    Event.objects.create(kind=Event.Kind.WORLD_CAFE, title="Long ago", date=today.replace(
        year=today.year - 3), community_representatives=40)
    threat = priorities.raise_threat(people["analyst"], kind=Threat.Kind.PLACE,
                                     title="Drug market by the flats")
    plan = responses.create_plan(people["admin"], threat, title="Close the market",
                                 framework="4ds", objectives="Fewer young people drawn in")
    for strand, n in (("disrupt", 9), ("deter", 6), ("divert", 2)):
        for i in range(n):
            responses.add_action(people["admin"], plan, strand=strand, title=f"{strand} {i}",
                                 owning_agency=org["police"] if strand == "disrupt" else youth,
                                 due_date=today + timedelta(days=30))
    return {"today": today}


def test_the_dashboards_figures_equal_the_records_with_small_counts_hidden(people, records,
                                                                           client):
    """Acceptance: a board member's dashboard counts what is recorded, hides counts from 1 to
    4 and the counts that would reveal them from a published total."""
    client.force_login(people["board"])
    page = client.get("/board/").content.decode()
    shown = figures(page)
    # The early-intervention service: 7 referrals received in the last twelve months (the
    # one from 500 days ago is outside), 7 young people, 6 accepted and none engaged yet.
    assert shown["cases.referrals"] == "7"
    assert shown["cases.young_people"] == "7"
    assert shown["cases.engagement.Not yet engaged"] == "6"
    assert shown["cases.contacts"] == "0"
    # NRM by kind: 6 criminal shown; 2 sexual hidden, and 5 labour hidden with it so that
    # the 2 cannot be worked out from the total of 13.
    assert shown["nrm.Criminal (including county lines)"] == "6"
    assert shown["nrm.Sexual"] == MARK
    assert shown["nrm.Labour"] == MARK
    assert shown["nrm.total"] == "13"
    # Engagement in the last twelve months: 12 at the café; 3 at the co-inquiry is hidden.
    assert shown["engagement.cafe"] == "12"
    assert shown["engagement.inquiry"] == MARK
    # Plan progress, every action not started: 9 disrupt, 6 deter and 2 divert. The 2 is
    # hidden, and the 6 with it, since the column's total would otherwise give the 2 away.
    # By agency nothing is small: 9 for the police, 8 for the youth service.
    assert shown["progress.strand.Disrupt"] == "9"
    assert shown["progress.strand.Deter"] == MARK
    assert shown["progress.strand.Divert"] == MARK
    assert shown["progress.strand.all"] == "17"
    assert shown["progress.agency.Test Police"] == "9"
    assert shown["progress.agency.Test Youth Service"] == "8"
    assert shown["progress.agency.all"] == "17"
    # Nothing personal: no young person's name reaches the board.
    assert "Zephyrine" not in page and "Olderby" not in page
    # Every section says what date or period its figures describe.
    for section in ("priorities", "progress", "cases", "engagement", "nrm"):
        assert f'data-dated="{section}"' in page
    start = records["today"].replace(day=1) - timedelta(days=364)
    assert f"from {start:%-d %B %Y} to {records['today']:%-d %B %Y}" in page


def test_the_dashboard_downloads_as_a_pdf_with_the_same_figures(people, records, client):
    client.force_login(people["admin"])
    response = client.get("/board/board.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert f"board-dashboard-{records['today']:%Y-%m-%d}.pdf" in response["Content-Disposition"]
    from django.template.loader import render_to_string

    from soclocal.dashboards import selectors

    html = render_to_string("dashboards/board_file.html", selectors.board(people["admin"]))
    assert figures(html)["cases.referrals"] == "7" and "Zephyrine" not in html


def test_only_board_members_and_partnership_admins_see_it(people, client):
    for who, code in (("board", 200), ("admin", 200), ("practitioner", 403),
                      ("manager", 403), ("analyst", 403)):
        client.force_login(people[who])
        assert client.get("/board/").status_code == code, who


def test_an_evaluation_headline_shows_once_a_context_registers_one(people, client):
    client.force_login(people["board"])
    assert "data-headline" not in client.get("/board/").content.decode()

    def evaluation(user):
        return headlines.Headline(title="Outcomes for young people the service worked with",
                                  dated="Referrals from July 2025 to June 2026",
                                  figures=[("Young people arrested, before and after", MARK)])

    headlines.register(evaluation)
    try:
        page = client.get("/board/").content.decode()
    finally:
        headlines.unregister(evaluation)
    assert "data-headline" in page and "Outcomes for young people the service" in page
    assert "Referrals from July 2025 to June 2026" in page


def test_an_empty_partnership_gets_a_dashboard_that_says_so(people, client):
    client.force_login(people["board"])
    page = client.get("/board/").content.decode()
    assert "No profile has been built yet" in page
    assert "No plan has actions yet" in page
    assert figures(page)["cases.referrals"] == "0"
    assert Agency.objects.exists() and date.today()


@pytest.mark.usefixtures("geography", "crime_store")
def test_crime_and_harm_are_the_partnerships_area_even_when_a_ward_was_profiled_last(
        people, client, make_user):
    """The headline is the widest area profiled (the local authority), not whichever profile
    was built last, and its figures are that profile's."""
    from soclocal.areas.models import Area
    from soclocal.profiles import services as profiles

    analyst = make_user(Role.ANALYST)
    city = Area.objects.get(type="lad", name="Nottingham")
    whole = profiles.build_profile(analyst, city, "2024-12", "2024-12")
    ward = Area.objects.get(type="ward", code="E05012287")
    part = profiles.build_profile(analyst, ward, "2024-12", "2024-12")
    assert part.built_at >= whole.built_at and part.figures["total"] < whole.figures["total"]
    client.force_login(people["board"])
    page = client.get("/board/").content.decode()
    assert figures(page)["profile.total"] == str(whole.figures["total"])
    assert f"{whole.title} (version 1)" in page
