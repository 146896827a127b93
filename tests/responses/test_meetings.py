"""Tasking meetings: the agenda generated from the records, minutes, the PDF, the invitation."""

from datetime import datetime, time, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from soclocal.core.models import Notification
from soclocal.intelligence.models import Requirement
from soclocal.priorities import services as priorities
from soclocal.priorities.models import Threat
from soclocal.responses import ics, services
from soclocal.responses.minutes import minutes_html
from soclocal.responses.models import Meeting
from tests.priorities.conftest import crime_store, geography, ward_profile  # noqa: F401


def at(day, hour=10):
    return timezone.make_aware(datetime.combine(day, time(hour)))


@pytest.fixture
def loop(people, partners):
    """A shared threat decided on with a plan, a police-only one, and three actions."""
    p, today = people, timezone.localdate()
    threat = priorities.raise_threat(p["police_analyst"], kind=Threat.Kind.PLACE,
                                     title="Drug market by the flats")
    hidden = priorities.raise_threat(p["intel"], kind=Threat.Kind.PERSON,
                                     title="Named nominal", police_only=True)
    priorities.decide(p["admin"], threat, outcome="respond", reasons="High harm",
                      owner=p["council_analyst"], review_date=today + timedelta(days=20))
    plan = services.create_plan(p["admin"], threat, title="Close the market", framework="4ds",
                                objectives="Fewer young people drawn in")
    hidden_plan = services.create_plan(p["admin"], hidden, title="Nominal plan",
                                       framework="4ps", objectives="o")
    stairwell = services.add_action(p["admin"], plan, strand="develop",
                                    title="Secure the stairwell",
                                    owning_agency=partners["housing"], owner=p["housing"],
                                    due_date=today + timedelta(days=30))
    services.update_action(p["housing"], stairwell, status="at_risk", note="Contractor delayed")
    late = services.add_action(p["admin"], plan, strand="divert", title="Youth offer",
                               owning_agency=partners["youth"],
                               due_date=today + timedelta(days=5))
    services.add_action(p["admin"], hidden_plan, strand="pursue", title="Warrant",
                        owning_agency=partners["police"], due_date=today + timedelta(days=5))
    services.add_action(p["admin"], plan, strand="deter", title="Patrols",
                        owning_agency=partners["police"], due_date=today + timedelta(days=60))
    return {"threat": threat, "hidden": hidden, "plan": plan, "stairwell": stairwell,
            "late": late}


def schedule(people, partners, day, title="Tasking group"):
    return services.schedule_meeting(people["admin"], title=title, starts_at=at(day),
                                     location="Loxley House",
                                     agencies=[partners["housing"], partners["youth"],
                                               partners["police"]])


def test_the_agenda_lists_what_is_due_as_on_the_meeting_date(loop, people, partners):
    today = timezone.localdate()
    meeting = schedule(people, partners, today + timedelta(days=21))
    added = services.generate_agenda(people["admin"], meeting)
    items = {(i.kind, i.title) for i in meeting.items.all()}
    assert ("at_risk", "Secure the stairwell (Test Housing Association)") in items
    # Due in 5 days, so overdue by the meeting three weeks away; the patrols are not.
    assert ("overdue", "Youth offer (Test Youth Service)") in items
    assert not any("Patrols" in t for _, t in items)
    assert ("review_due", "Review: Drug market by the flats") in items
    assert ("decision", "Decided: respond to Drug market by the flats") in items
    warrant = meeting.items.get(title__startswith="Warrant")
    assert warrant.kind == "overdue" and warrant.police_only
    # Generating again adds nothing and keeps the minutes.
    item = meeting.items.get(kind="at_risk")
    services.record_minutes(people["admin"], item, minutes="Housing to report back.")
    assert services.generate_agenda(people["admin"], meeting) == 0
    assert meeting.items.count() == added
    item.refresh_from_db()
    assert item.minutes == "Housing to report back."


def test_a_meeting_before_the_due_date_does_not_call_an_action_overdue(loop, people, partners):
    meeting = schedule(people, partners, timezone.localdate() + timedelta(days=2))
    services.generate_agenda(people["admin"], meeting)
    kinds = dict(meeting.items.values_list("title", "kind"))
    assert "Youth offer (Test Youth Service)" not in kinds
    assert "Review: Drug market by the flats" not in kinds  # review not due until day 20


def test_new_decisions_are_only_those_since_the_previous_meeting(loop, people, partners):
    today = timezone.localdate()
    earlier = schedule(people, partners, today + timedelta(days=7), "Last month")
    Meeting.objects.filter(pk=earlier.pk).update(starts_at=timezone.now() + timedelta(minutes=1))
    meeting = schedule(people, partners, today + timedelta(days=21))
    services.generate_agenda(people["admin"], meeting)
    assert not meeting.items.filter(kind="decision").exists()


def test_new_profiles_come_onto_the_agenda(ward_profile, people, partners):  # noqa: F811
    meeting = schedule(people, partners, timezone.localdate() + timedelta(days=3))
    services.generate_agenda(people["admin"], meeting)
    item = meeting.items.get(kind="profile")
    assert item.url == reverse("profiles:profile", args=[ward_profile.pk])


def test_open_requirements_tasked_to_invited_agencies_are_for_the_police_only(
        loop, people, partners):
    from soclocal.intelligence import services as intelligence

    today = timezone.localdate()
    asked = intelligence.set_requirement(people["intel"], question="Who lives at flat 4?",
                                         tasked_agency=partners["housing"],
                                         due_on=today + timedelta(days=10))
    intelligence.set_requirement(people["intel"], question="Answered elsewhere?",
                                 tasked_agency=partners["housing"], due_on=today)
    intelligence.close_requirement(people["intel"], Requirement.objects.get(
        question="Answered elsewhere?"))
    meeting = schedule(people, partners, today + timedelta(days=3))
    services.generate_agenda(people["admin"], meeting)
    items = list(meeting.items.filter(kind="requirement"))
    assert [(i.title, i.police_only) for i in items] == [
        (f"{asked.reference}: Who lives at flat 4?", True)]


def test_minutes_record_the_decision_and_the_new_action(loop, people, partners, client):
    p, today = people, timezone.localdate()
    meeting = schedule(people, partners, today)
    warrant = loop["hidden"].plans.get().actions.get()
    services.update_action(p["intel"], warrant, status="at_risk", note="Awaiting court")
    services.generate_agenda(p["admin"], meeting)
    services.record_minutes(p["admin"], meeting.items.get(kind="at_risk", police_only=False),
                            minutes="The contractor starts next week.")
    services.decide_in_meeting(p["admin"], meeting, loop["threat"], outcome="monitor",
                               reasons="Market displaced, watch the estate", owner=p["admin"],
                               review_date=today + timedelta(days=30))
    services.action_in_meeting(p["admin"], meeting, loop["plan"], strand="deter",
                               title="Extra lighting survey", owning_agency=partners["housing"],
                               due_date=today + timedelta(days=14))
    services.record_attendance(p["admin"], meeting, {p["housing"]: "present",
                                                     p["youth_practitioner"]: "apologies"})
    html = minutes_html(p["housing"], meeting)
    assert "The contractor starts next week." in html
    for text in ("The contractor starts next week.", "Market displaced, watch the estate",
                 "Monitor", "Extra lighting survey", "Sent apologies"):
        assert text in html
    assert "Warrant" not in html  # police-only item, not for housing
    assert "Warrant" in minutes_html(p["intel"], meeting)
    client.force_login(p["housing"])
    response = client.get(reverse("responses:meeting_minutes_pdf", args=[meeting.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and len(response.content) > 2000
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Extra lighting survey" in page and "Warrant" not in page
    # The new action says where it came from.
    action = loop["plan"].actions.get(title="Extra lighting survey")
    assert meeting.title in client.get(action.get_absolute_url()).content.decode()


def test_invitations_go_once_and_only_invitees_see_the_meeting(loop, people, partners, client,
                                                               make_user,
                                                               django_capture_on_commit_callbacks):
    from soclocal.core import notifications

    p = people
    p["housing"].email = "housing@example.org"
    p["housing"].save()
    with django_capture_on_commit_callbacks(execute=True):
        meeting = services.schedule_meeting(p["admin"], title="Tasking group",
                                            starts_at=at(timezone.localdate() + timedelta(days=9)),
                                            agencies=[partners["housing"]])
    with django_capture_on_commit_callbacks(execute=True):
        notifications.send_due()
        notifications.send_due()
    invited = Notification.objects.filter(kind="meeting.invited")
    assert [n.recipient for n in invited] == [p["housing"]]
    assert [m.subject for m in mail.outbox].count("Invitation: Tasking group") == 1
    client.force_login(p["housing"])
    assert client.get(meeting.get_absolute_url()).status_code == 200
    client.force_login(p["youth_practitioner"])  # youth service not invited
    assert client.get(meeting.get_absolute_url()).status_code == 404
    client.force_login(p["board"])
    assert client.get(reverse("responses:meetings")).status_code == 403


def unfold(text: str) -> list[str]:
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    return text[:-2].replace("\r\n ", "").split("\r\n")


def test_the_invitation_is_well_formed_icalendar(loop, people, partners, client):
    meeting = schedule(people, partners, timezone.localdate() + timedelta(days=9),
                       "Tasking group; Nottingham, city centre")
    client.force_login(people["housing"])
    response = client.get(reverse("responses:meeting_ics", args=[meeting.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    text = response.content.decode()
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    lines = unfold(text)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    props = dict(line.split(":", 1) for line in lines)
    assert props["VERSION"] == "2.0" and props["METHOD"] == "REQUEST"
    assert props["UID"] == meeting.uid
    assert props["SUMMARY"] == r"Tasking group\; Nottingham\, city centre"
    start = datetime.strptime(props["DTSTART"], "%Y%m%dT%H%M%SZ")
    end = datetime.strptime(props["DTEND"], "%Y%m%dT%H%M%SZ")
    assert end - start == timedelta(minutes=120)
    assert lines.index("BEGIN:VEVENT") < lines.index("END:VEVENT")


@given(st.text(min_size=0, max_size=300))
def test_folding_keeps_every_line_short_and_unfolds_to_the_original(text):
    line = "SUMMARY:" + ics._escape(text)
    folded = ics._fold(line)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line
    assert "\n" not in line
