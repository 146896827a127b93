"""Properties of the services behind the response-plan and tasking-meeting forms, for
anything the forms can send: each call does all it says or refuses with a message keyed to
a field of the form, writing nothing and auditing nothing."""

from datetime import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from soclocal.core.models import Origin
from soclocal.priorities import services as priorities
from soclocal.priorities.forms import DecisionForm
from soclocal.priorities.models import Decision, Threat
from soclocal.responses import forms, selectors, services
from soclocal.responses.models import (
    FRAMEWORKS,
    Action,
    ActionUpdate,
    AgendaItem,
    Attendance,
    Meeting,
    Plan,
)
from tests.properties import PAGE, PROPERTY, dates, post_is_handled, posts, typed, written

pytestmark = pytest.mark.django_db


def keyed_to(refusal, form):
    keys = set(refusal.message_dict) if hasattr(refusal, "error_dict") else {None}
    assert keys <= set(form.fields) | {"__all__", None}, keys
    assert refusal.messages and all(m.strip() for m in refusal.messages)


@pytest.fixture
def threat(people):
    return priorities.raise_threat(people["police_analyst"], kind=Threat.Kind.PLACE,
                                   title="Drug market by the flats")


@pytest.fixture
def plan(people, threat):
    return services.create_plan(people["admin"], threat, title="Close the market",
                                framework="4ds", objectives="Fewer young people drawn in")


@PROPERTY
@given(title=typed(200), framework=st.sampled_from(list(FRAMEWORKS) + ["", "5ps"]),
       objectives=typed())
def test_a_plan_is_started_as_given_or_refused(people, threat, title, framework, objectives):
    before = written(Plan)
    try:
        made = services.create_plan(people["admin"], threat, title=title, framework=framework,
                                    objectives=objectives)
    except ValidationError as refusal:
        keyed_to(refusal, forms.PlanForm())
        assert written(Plan)[0] == before[0]
        return
    assert framework in FRAMEWORKS and title.strip() and objectives.strip()
    saved = selectors.get_plan(people["admin"], made.pk)
    assert (saved.title, saved.framework, saved.objectives) == (title.strip(), framework,
                                                                objectives.strip())


@PROPERTY
@given(title=typed(200), strand=st.sampled_from(["disrupt", "divert", "develop", "deter", "",
                                                 "pursue", "dance"]),
       agency=st.sampled_from(["police", "housing", None]),
       owner=st.sampled_from(["housing", "intel", None]), due=st.one_of(st.none(), dates()))
def test_an_action_is_added_to_its_plan_as_given_or_refused(people, partners, plan, title,
                                                           strand, agency, owner, due):
    before = written(Action)
    try:
        action = services.add_action(people["admin"], plan, strand=strand, title=title,
                                     owning_agency=partners.get(agency),
                                     owner=people.get(owner), due_date=due)
    except ValidationError as refusal:
        keyed_to(refusal, forms.ActionForm(plan=plan))
        assert written(Action) == before
        return
    assert strand in dict(plan.strands) and title.strip() and agency and due
    saved = selectors.get_action(people["admin"], action.pk)
    assert (saved.title, saved.strand, saved.owning_agency, saved.due_date) == (
        title.strip(), strand, partners[agency], due)
    assert owner is None or saved.owner.agency == partners[agency]


@PROPERTY
@given(status=st.sampled_from(Action.Status.values + ["", "finished"]), note=typed(),
       outcome=typed())
def test_an_action_update_is_kept_or_refused_with_the_action_unchanged(people, partners, plan,
                                                                      status, note, outcome):
    action = services.add_action(people["admin"], plan, strand="disrupt", title="Warrants",
                                 owning_agency=partners["youth"],
                                 due_date=timezone.localdate())
    before = written(ActionUpdate)
    try:
        services.update_action(people["admin"], action, status=status, note=note,
                               outcome=outcome)
    except ValidationError as refusal:
        keyed_to(refusal, forms.UpdateForm())
        assert written(ActionUpdate) == before
        assert Action.objects.get(pk=action.pk).status == action.status
        return
    saved = Action.objects.get(pk=action.pk)
    assert saved.status == status and saved.updates.get().note == note.strip()


@PROPERTY
@given(title=typed(200), day=dates(), minutes=st.integers(15, 600), location=typed(200),
       agencies=st.lists(st.sampled_from(["police", "youth", "housing"]), unique=True))
def test_a_meeting_is_scheduled_as_given_or_refused(people, partners, title, day, minutes,
                                                    location, agencies):
    before = written(Meeting)
    starts_at = timezone.make_aware(datetime.combine(day, datetime.min.time().replace(hour=10)))
    try:
        meeting = services.schedule_meeting(people["admin"], title=title, starts_at=starts_at,
                                            duration_minutes=minutes, location=location,
                                            agencies=[partners[a] for a in agencies])
    except ValidationError as refusal:
        keyed_to(refusal, forms.MeetingForm())
        assert written(Meeting) == before
        return
    assert title.strip() and agencies
    saved = Meeting.objects.get(pk=meeting.pk)
    assert (saved.title, saved.starts_at, saved.location) == (title.strip(), starts_at,
                                                              location.strip())
    assert {a.pk for a in saved.invited_agencies.all()} == {partners[a].pk for a in agencies}


@PROPERTY
@given(status=st.sampled_from(Attendance.Status.values + ["", "asleep"]))
def test_attendance_is_kept_or_refused_beside_the_person(people, partners, status):
    meeting = services.schedule_meeting(people["admin"], title="Tasking",
                                        starts_at=timezone.now(), agencies=[partners["youth"]])
    invitees = list(selectors.invitees(meeting))
    before = written(Attendance)
    try:
        services.record_attendance(people["admin"], meeting, {invitees[0]: status})
    except ValidationError as refusal:
        keyed_to(refusal, forms.AttendanceForm(people=invitees, current={}))
        assert written(Attendance) == before
        return
    assert meeting.attendance.get(person=invitees[0]).status == status


@PAGE
@given(data=st.data())
def test_posting_anything_as_a_new_action_adds_it_or_shows_it_again(people, plan, client,
                                                                    data):
    client.force_login(people["admin"])
    post_is_handled(client, reverse("responses:action_new", args=[plan.pk]),
                    data.draw(posts(forms.ActionForm(plan=plan))), models=(Action,))


def test_an_action_with_no_title_agency_or_due_date_is_refused_beside_each(people, plan):
    with pytest.raises(ValidationError) as refusal:
        services.add_action(people["admin"], plan, strand="disrupt", title="  ",
                            owning_agency=None, owner=people["housing"], due_date=None)
    assert {"title", "owning_agency", "due_date"} <= set(refusal.value.message_dict)
    assert not plan.actions.exists()


def test_a_plan_with_no_title_or_objectives_is_refused_beside_each(people, threat):
    with pytest.raises(ValidationError) as refusal:
        services.create_plan(people["admin"], threat, title=" ", framework="4ps",
                             objectives="\n")
    assert set(refusal.value.message_dict) == {"title", "objectives"}
    assert not Plan.objects.exists()


def test_an_attendance_not_offered_is_refused_beside_that_person(people, partners):
    meeting = services.schedule_meeting(people["admin"], title="Tasking",
                                        starts_at=timezone.now(), agencies=[partners["youth"]])
    person = selectors.invitees(meeting)[0]
    with pytest.raises(ValidationError) as refusal:
        services.record_attendance(people["admin"], meeting, {person: "asleep"})
    assert list(refusal.value.message_dict) == [f"p{person.pk}"]


@pytest.fixture
def meeting(people, partners):
    return services.schedule_meeting(people["admin"], title="Tasking", starts_at=timezone.now(),
                                     agencies=[partners["youth"]])


@PROPERTY
@given(title=st.one_of(typed(300), st.sampled_from([None, 3])),
       detail=st.one_of(typed(), st.sampled_from([None, 3])))
def test_an_agenda_item_is_added_as_given_or_refused_beside_the_box(people, meeting, title,
                                                                    detail):
    before = written(AgendaItem)
    try:
        item = services.add_item(people["admin"], meeting, title=title, detail=detail)
    except ValidationError as refusal:
        keyed_to(refusal, forms.ItemForm())
        assert written(AgendaItem) == before
        return
    saved = AgendaItem.objects.get(pk=item.pk)
    assert (saved.title, saved.detail) == (title.strip(), (detail or "").strip())


@PROPERTY
@given(minutes=st.one_of(typed(), st.sampled_from([None, 3])))
def test_minutes_are_kept_as_given_or_refused_with_the_item_unchanged(people, meeting, minutes):
    item = AgendaItem.objects.filter(meeting=meeting).first() or services.add_item(
        people["admin"], meeting, title="Market by the flats")
    item.refresh_from_db()
    before = (item.minutes, written(AgendaItem))
    try:
        services.record_minutes(people["admin"], item, minutes=minutes)
    except ValidationError as refusal:
        keyed_to(refusal, forms.MinutesForm())
        item.refresh_from_db()
        assert (item.minutes, written(AgendaItem)) == before
        return
    assert AgendaItem.objects.get(pk=item.pk).minutes == minutes.strip()


def test_an_item_title_too_long_is_refused_not_cut_short(people, meeting):
    with pytest.raises(ValidationError) as refusal:
        services.add_item(people["admin"], meeting, title="t" * 301)
    assert list(refusal.value.message_dict) == ["title"]
    assert not AgendaItem.objects.exists()


@PROPERTY
@given(has_threat=st.booleans(),
       outcome=st.sampled_from(Decision.Outcome.values + ["", "ignore"]), reasons=typed(),
       owner=st.booleans(), review=st.one_of(st.none(), dates()))
def test_a_decision_in_a_meeting_is_recorded_and_linked_or_refused(people, meeting, threat,
                                                                  has_threat, outcome, reasons,
                                                                  owner, review):
    before = written(Decision, Origin)
    try:
        made = services.decide_in_meeting(
            people["admin"], meeting, threat if has_threat else None, outcome=outcome,
            reasons=reasons, owner=people["police_analyst"] if owner else None,
            review_date=review)
    except ValidationError as refusal:
        keyed_to(refusal, _Fields(forms.MeetingDecisionForm(threats=Threat.objects.all()),
                                  DecisionForm()))
        assert written(Decision, Origin) == before
        return
    saved = Decision.objects.get(pk=made.pk)
    assert (saved.threat, saved.outcome, saved.reasons) == (threat, outcome, reasons.strip())
    assert Origin.objects.filter(target_id=str(made.pk)).count() == 1


@PROPERTY
@given(has_plan=st.booleans(), title=typed(200),
       strand=st.sampled_from(["disrupt", "divert", "", "dance"]),
       agency=st.sampled_from(["police", None]), due=st.one_of(st.none(), dates()))
def test_an_action_agreed_in_a_meeting_is_added_and_linked_or_refused(people, partners, meeting,
                                                                     plan, has_plan, title,
                                                                     strand, agency, due):
    before = written(Action, Origin)
    try:
        action = services.action_in_meeting(
            people["admin"], meeting, plan if has_plan else None, strand=strand, title=title,
            owning_agency=partners.get(agency), owner=None, due_date=due)
    except ValidationError as refusal:
        keyed_to(refusal, forms.MeetingActionForm(plans=Plan.objects.all()))
        assert written(Action, Origin) == before
        return
    saved = Action.objects.get(pk=action.pk)
    assert (saved.plan, saved.title, saved.strand, saved.due_date) == (plan, title.strip(),
                                                                       strand, due)
    assert Origin.objects.filter(target_id=str(action.pk)).count() == 1


def test_a_meeting_decision_or_action_with_nothing_chosen_is_refused_beside_the_box(people,
                                                                                   meeting):
    with pytest.raises(ValidationError) as refusal:
        services.decide_in_meeting(people["admin"], meeting, None, outcome="accept",
                                   reasons="Why", owner=people["admin"], review_date=None)
    assert list(refusal.value.message_dict) == ["threat"]
    with pytest.raises(ValidationError) as refusal:
        services.action_in_meeting(people["admin"], meeting, None, strand="disrupt", title="Act",
                                   owning_agency=None, owner=None, due_date=None)
    assert list(refusal.value.message_dict) == ["plan_choice"]


class _Fields:
    """The fields of the two forms a meeting decision page posts together."""

    def __init__(self, *forms_):
        self.fields = {name: f for form in forms_ for name, f in form.fields.items()}
