"""NRM referrals: working-day deadlines over bank holidays, access, audit, the work queue."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from soclocal.core.access import Role
from soclocal.core.models import AuditEvent
from soclocal.safeguarding import calendar
from soclocal.safeguarding.models import NrmReferral

EW, SCOT = "england-and-wales", "scotland"


@pytest.mark.parametrize("referred, jurisdiction, due", [
    # A plain week: Monday 3 March 2025 + 5 working days = Monday 10 March.
    (date(2025, 3, 3), EW, date(2025, 3, 10)),
    # Over a weekend: Friday 7 March -> Friday 14 March.
    (date(2025, 3, 7), EW, date(2025, 3, 14)),
    # Easter 2025: Good Friday 18 April everywhere, Easter Monday 21 April not in Scotland.
    (date(2025, 4, 17), EW, date(2025, 4, 28)),
    (date(2025, 4, 17), SCOT, date(2025, 4, 25)),
    # Christmas 2026: 25 December (Friday) and Boxing Day moved to Monday 28th; in Scotland
    # also 2 January 2027... which is a Saturday, so Monday 4 January is the holiday.
    (date(2026, 12, 23), EW, date(2027, 1, 4)),
    (date(2026, 12, 23), SCOT, date(2027, 1, 5)),
    # St Andrew's Day 2025 (a Sunday) moves to Monday 1 December, in Scotland only.
    (date(2025, 11, 27), EW, date(2025, 12, 4)),
    (date(2025, 11, 27), SCOT, date(2025, 12, 5)),
    # August: the first Monday in Scotland, the last in England and Wales (2024).
    (date(2024, 8, 2), SCOT, date(2024, 8, 12)),
    (date(2024, 8, 2), EW, date(2024, 8, 9)),
    (date(2024, 8, 23), EW, date(2024, 9, 2)),
])
def test_reasonable_grounds_due_in_five_working_days(referred, jurisdiction, due):
    assert calendar.reasonable_grounds_due(referred, jurisdiction) == due


def test_dates_outside_the_known_years_are_refused():
    with pytest.raises(calendar.OutsideKnownYears):
        calendar.reasonable_grounds_due(date(2027, 12, 29), EW)
    with pytest.raises(calendar.OutsideKnownYears):
        calendar.reasonable_grounds_due(date(2023, 6, 1), SCOT)


@given(st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 1)),
       st.sampled_from([EW, SCOT]))
def test_the_deadline_is_a_working_day_five_working_days_on(referred, jurisdiction):
    due = calendar.reasonable_grounds_due(referred, jurisdiction)
    assert calendar.is_working_day(due, jurisdiction)
    between = [referred + timedelta(days=n) for n in range(1, (due - referred).days + 1)]
    assert sum(calendar.is_working_day(d, jurisdiction) for d in between) == 5


def test_every_listed_holiday_is_a_weekday_and_each_year_has_its_own():
    for jurisdiction, days in calendar.BANK_HOLIDAYS.items():
        assert all(d.weekday() < 5 for d in days), jurisdiction
        for year in range(calendar.FIRST_YEAR, calendar.LAST_YEAR + 1):
            assert len([d for d in days if d.year == year]) == (8 if jurisdiction == EW else 9)


@pytest.fixture
def people(make_user):
    return {
        "youth_practitioner": make_user(Role.PRACTITIONER, agency="youth"),
        "youth_manager": make_user(Role.MANAGER, agency="youth"),
        "police_practitioner": make_user(Role.PRACTITIONER, agency="police"),
        "intel": make_user(Role.INTELLIGENCE_OFFICER, agency="police"),
        "analyst": make_user(Role.ANALYST, agency="youth"),
    }


def _refer(client, user, **extra):
    client.force_login(user)
    data = {"reference": "NRM-T-1", "case_reference": "", "jurisdiction": EW,
            "exploitation_type": "criminal", "age_band": "16-17", "referral_date": "2025-04-17",
            "support_offered": "", "area_code": "", **extra}
    return client.post("/vulnerability/nrm/new/", data)


def test_recording_a_referral_sets_the_deadline(client, people):
    response = _refer(client, people["youth_practitioner"])
    assert response.status_code == 302
    referral = NrmReferral.objects.get(reference="NRM-T-1")
    assert referral.reasonable_grounds_due == date(2025, 4, 28)
    assert referral.first_responder_agency == people["youth_practitioner"].agency


def test_a_bad_form_keeps_what_was_typed(client, people):
    response = _refer(client, people["youth_practitioner"], area_code="NOWHERE",
                      referral_date="2031-01-06")
    page = response.content.decode()
    assert response.status_code == 200 and "NOWHERE" in page
    assert "There is no LSOA or data zone" in page
    response = _refer(client, people["youth_practitioner"], referral_date="2031-01-06")
    assert "bank holidays are known only for 2024 to 2027" in response.content.decode()
    assert not NrmReferral.objects.exists()


def test_another_agencys_practitioner_gets_404_and_it_is_audited(client, people):
    _refer(client, people["youth_practitioner"])
    referral = NrmReferral.objects.get()
    client.force_login(people["police_practitioner"])
    assert client.get(f"/vulnerability/nrm/{referral.pk}/").status_code == 404
    assert AuditEvent.objects.filter(action="access.denied",
                                     actor_id=people["police_practitioner"].pk,
                                     object_id=str(referral.pk)).exists()
    assert referral not in client.get("/vulnerability/nrm/").context["referrals"]
    # The owning agency's manager and the intelligence officer may read it.
    for who in ("youth_manager", "intel"):
        client.force_login(people[who])
        assert client.get(f"/vulnerability/nrm/{referral.pk}/").status_code == 200
    # An analyst holds no NRM record access at all.
    client.force_login(people["analyst"])
    assert client.get(f"/vulnerability/nrm/{referral.pk}/").status_code == 403


def test_every_read_is_audited_with_its_purpose(client, people):
    _refer(client, people["youth_practitioner"])
    referral = NrmReferral.objects.get()
    client.get(f"/vulnerability/nrm/{referral.pk}/?purpose=multi_agency")
    event = AuditEvent.objects.filter(action="nrm.referral.viewed").last()
    assert event.object_id == str(referral.pk) and event.purpose == "Multi-agency meeting"
    assert event.actor_id == people["youth_practitioner"].pk


def test_decisions_follow_in_order(client, people):
    _refer(client, people["youth_practitioner"])
    referral = NrmReferral.objects.get()
    response = client.post(f"/vulnerability/nrm/{referral.pk}/decisions/", {
        "reasonable_grounds": "pending", "conclusive_grounds": "positive",
        "conclusive_grounds_date": "2025-09-01", "support_offered": ""})
    assert "follows a positive reasonable-grounds decision" in response.content.decode()
    response = client.post(f"/vulnerability/nrm/{referral.pk}/decisions/", {
        "reasonable_grounds": "positive", "reasonable_grounds_date": "2025-04-24",
        "conclusive_grounds": "pending", "support_offered": "Safe house and a youth worker"})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.stage == "Waiting for the conclusive-grounds decision"


def test_overdue_decisions_are_urgent_on_the_work_queue(client, people):
    from soclocal.core import work

    _refer(client, people["youth_practitioner"])  # due 28 April 2025, long past
    items = [i for i in work.for_user(people["youth_practitioner"])
             if i.heading == "NRM decisions overdue"]
    assert len(items) == 1 and items[0].urgent and items[0].due == date(2025, 4, 28)
    assert not [i for i in work.for_user(people["police_practitioner"])
                if i.heading.startswith("NRM")]


def test_counts_by_type_age_and_area_hide_small_numbers(client, people, make_user):
    from soclocal.safeguarding.services import record_referral

    for n in range(7):
        record_referral(people["youth_practitioner"], reference=f"R{n}",
                        exploitation_type="criminal" if n < 5 else "sexual",
                        age_band="16-17" if n < 6 else "under-16",
                        referral_date=date(2025, 2, 3))
    board = make_user(Role.BOARD_MEMBER)
    client.force_login(board)
    tables = dict(client.get("/vulnerability/nrm/report/").context["tables"])
    by_type = tables["exploitation type"]
    assert by_type["rows"]["Sexual"].suppressed == "primary"
    # 7 = 5 + 2: the total and the 5 would give the 2 away, so the 5 is hidden too.
    assert by_type["rows"]["Criminal (including county lines)"].suppressed == "secondary"
    assert by_type["total"].value == 7
    assert tables["age"]["rows"]["Under 16"].suppressed
