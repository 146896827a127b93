"""Properties of the services behind the case forms, for anything the forms can send (and
what a caller of the service may pass): each call does all it says, read back through the
selectors, or refuses with a message keyed to a field of the form and writes nothing."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from soclocal.cases import forms, selectors, services, star
from soclocal.cases.models import (
    Closure,
    Contact,
    Goal,
    OutreachAttempt,
    Plan,
    PlanAction,
    StarReading,
    StarScore,
)
from tests.properties import PAGE, PROPERTY, dates, post_is_handled, posts, text, typed, written

pytestmark = pytest.mark.django_db

FOR = st.sampled_from(["young_person", "family", "", "nobody"])
KIND = st.sampled_from(PlanAction.Kind.values + ["", "not-a-kind"])


def keyed_to(refusal, form):
    """Every message of a refusal is beside a field of `form`, or about the whole form."""
    keys = set(refusal.message_dict) if hasattr(refusal, "error_dict") else {None}
    assert keys <= set(form.fields) | {"__all__", None}, keys
    assert refusal.messages and all(m.strip() for m in refusal.messages)


# A plan -------------------------------------------------------------------------------------

@PROPERTY
@given(goal_texts=st.lists(typed(300), min_size=0, max_size=4),
       rows=st.lists(st.fixed_dictionaries({
           "for": FOR, "kind": KIND, "description": text(300), "owner": typed(200),
           "due_on": st.one_of(st.none(), dates()), "goal": st.integers(-1, 5)}), max_size=5))
def test_a_plan_is_saved_whole_or_refused_beside_the_boxes_of_the_form(people, open_case,
                                                                       goal_texts, rows):
    areas = list(star.default_instrument().areas.all())
    data = {"action_rows": str(max(1, len(rows)))}
    for area, goal in zip(areas, goal_texts, strict=False):
        data[f"goal_{area.pk}"] = goal
    for i, row in enumerate(rows):
        goal = areas[row["goal"]].pk if 0 <= row["goal"] < len(areas) else ""
        data.update({f"action_{i}_for": row["for"], f"action_{i}_kind": row["kind"],
                     f"action_{i}_description": row["description"],
                     f"action_{i}_owner": row["owner"], f"action_{i}_goal": str(goal),
                     f"action_{i}_due_on": row["due_on"].isoformat() if row["due_on"] else ""})
    form = forms.PlanForm(data, areas=areas)
    if not form.is_valid():
        return  # the form itself says what is wrong; the page test below covers that
    before = written(Plan, Goal, PlanAction)
    try:
        plan = services.save_plan(people["practitioner"], open_case, goals=form.goals(),
                                  actions=form.actions())
    except ValidationError as refusal:
        keyed_to(refusal, form)
        assert written(Plan, Goal, PlanAction) == before
        return
    goals = [g.strip() for _a, g in form.goals() if g.strip()]
    assert [g.description for g in plan.goals.order_by("pk")] == goals
    actions = form.actions()
    saved = list(plan.actions.order_by("pk"))
    assert [(a.description, a.owner.strip() != "", a.kind, a.for_whom) for a in saved] == [
        (a["description"], True, a["kind"], a["for_whom"]) for a in actions]
    for action in saved:
        allowed = (PlanAction.FAMILY_KINDS if action.for_whom == PlanAction.For.FAMILY
                   else PlanAction.YOUNG_PERSON_KINDS)
        assert action.kind in allowed
    assert written(Plan, Goal, PlanAction) == (before[0] + 1, before[1] + len(goals),
                                               before[2] + len(actions), before[3] + 1)
    assert selectors.plan_initial(open_case)[f"goal_{areas[0].pk}"] == dict(
        (a.pk, g.strip()) for a, g in form.goals()).get(areas[0].pk, "")


@PROPERTY
@given(for_whom=st.sampled_from(["young_person", "family", "", "nobody", None]),
       kind=st.sampled_from(PlanAction.Kind.values + ["", None, "not-a-kind"]),
       owner=st.sampled_from(["", " ", "Key worker", None]),
       status=st.sampled_from([None, "", "done", "not-a-status"]))
def test_a_plan_never_holds_an_action_for_no_one_or_in_no_state(people, open_case, for_whom,
                                                                kind, owner, status):
    area = star.default_instrument().areas.first()
    before = written(Plan, PlanAction)
    action = {"description": "Weekly boxing", "for_whom": for_whom, "kind": kind,
              "owner": owner, "status": status}
    try:
        plan = services.save_plan(people["practitioner"], open_case,
                                  goals=[(area, "Stay safe")], actions=[action])
    except ValidationError as refusal:
        assert refusal.messages and all(refusal.messages)
        assert written(Plan, PlanAction) == before
        return
    [saved] = plan.actions.all()
    assert saved.for_whom in PlanAction.For.values and saved.kind in PlanAction.Kind.values
    assert saved.status in PlanAction.Status.values and saved.owner.strip()


# A contact and an outreach attempt ----------------------------------------------------------

@PROPERTY
@given(happened_on=dates(), minutes=st.one_of(st.none(), st.integers(-10, 24 * 60 + 10)),
       kind=st.sampled_from(Contact.Kind.values + ["", "visit"]), place=typed(200),
       notes=text(300))
def test_a_contact_is_recorded_as_given_or_refused_with_nothing_kept(
        people, open_case, happened_on, minutes, kind, place, notes):
    before = written(Contact)
    try:
        contact = services.record_contact(people["practitioner"], open_case,
                                          happened_on=happened_on, duration_minutes=minutes,
                                          kind=kind, place=place[:200], notes=notes)
    except ValidationError as refusal:
        keyed_to(refusal, forms.ContactForm())
        assert written(Contact) == before
        return
    assert happened_on <= timezone.localdate() and minutes and minutes > 0
    assert kind in Contact.Kind.values
    saved = open_case.contacts.get(pk=contact.pk)
    assert (saved.happened_on, saved.duration_minutes, saved.kind, saved.notes) == (
        happened_on, minutes, kind, notes)
    assert written(Contact) == (before[0] + 1, before[1] + 1)


@PROPERTY
@given(attempted_on=dates(), method=st.sampled_from(OutreachAttempt.Method.values
                                                    + ["", "pigeon"]),
       engaged=st.booleans(), notes=text(300))
def test_an_outreach_attempt_is_recorded_as_given_or_refused_with_nothing_kept(
        people, open_case, attempted_on, method, engaged, notes):
    before = written(OutreachAttempt)
    try:
        attempt = services.record_outreach(people["practitioner"], open_case,
                                           attempted_on=attempted_on, method=method,
                                           engaged=engaged, notes=notes)
    except ValidationError as refusal:
        keyed_to(refusal, forms.OutreachForm())
        assert written(OutreachAttempt) == before
        return
    assert attempted_on <= timezone.localdate() and method in OutreachAttempt.Method.values
    saved = OutreachAttempt.objects.get(pk=attempt.pk)
    assert (saved.attempted_on, saved.method, saved.engaged, saved.notes) == (
        attempted_on, method, engaged, notes)
    assert written(OutreachAttempt) == (before[0] + 1, before[1] + 1)


# A star reading -----------------------------------------------------------------------------

SCORE = st.one_of(st.none(), st.integers(-2, 12), st.sampled_from(["", "5", "ten", "3.5", " 4"]))


@PROPERTY
@given(taken_on=dates(), score=SCORE, other=SCORE, plan=text(200))
def test_a_reading_is_kept_whole_or_refused_beside_the_area_it_is_about(
        people, open_case, taken_on, score, other, plan):
    instrument = star.active_instrument()
    areas = list(instrument.areas.all())
    scores = {a.pk: 5 for a in areas}
    scores[areas[0].pk] = score
    others = {areas[-1].pk: other}
    before = written(StarReading, StarScore)
    try:
        reading = services.record_reading(people["practitioner"], open_case, taken_on=taken_on,
                                          scores=scores, other_views=others, action_plan=plan,
                                          instrument=instrument)
    except ValidationError as refusal:
        keyed_to(refusal, forms.ReadingForm(instrument=instrument))
        assert written(StarReading, StarScore) == before
        return
    assert taken_on <= timezone.localdate()
    saved = {s.area_id: s for s in reading.scores.all()}
    assert len(saved) == len(areas)
    assert saved[areas[0].pk].score == int(score)
    assert instrument.scale_min <= int(score) <= instrument.scale_max
    assert written(StarReading, StarScore) == (before[0] + 1, before[1] + len(areas),
                                               before[2] + 1)


# A plan review and a closure ----------------------------------------------------------------

@PROPERTY
@given(reason=st.sampled_from(Closure.Reason.values + ["", "bored"]), summary=typed())
def test_a_closure_request_is_kept_or_refused_with_the_case_left_open(people, open_case,
                                                                      reason, summary):
    before = written(Closure)
    try:
        services.request_closure(people["practitioner"], open_case, reason=reason,
                                 summary=summary)
    except ValidationError as refusal:
        keyed_to(refusal, forms.ClosureForm())
        assert written(Closure) == before
        open_case.refresh_from_db()
        assert open_case.status == "open"
        return
    assert reason in Closure.Reason.values and summary.strip()
    open_case.refresh_from_db()
    assert open_case.status == "closure_requested"
    assert open_case.closures.get().summary == summary
    # Put it back for the next example.
    open_case.closures.all().delete()
    open_case.status = "open"
    open_case.save(update_fields=["status"])


@PROPERTY
@given(reviewed_on=dates(), notes=typed())
def test_a_plan_review_is_kept_or_refused_with_nothing_kept(people, open_case, reviewed_on,
                                                            notes):
    area = star.default_instrument().areas.first()
    if not open_case.plans.exists():
        services.save_plan(people["practitioner"], open_case, goals=[(area, "Stay safe")],
                           actions=[])
    plan = open_case.plans.get()
    before = (plan.reviews.count(), written()[-1])
    try:
        services.review_plan(people["practitioner"], plan, reviewed_on=reviewed_on, notes=notes)
    except ValidationError as refusal:
        keyed_to(refusal, forms.ReviewForm())
        assert (plan.reviews.count(), written()[-1]) == before
        return
    assert reviewed_on <= timezone.localdate() and notes.strip()
    assert plan.reviews.count() == before[0] + 1


# Through the pages --------------------------------------------------------------------------

def _plan_form_posts():
    areas = list(star.default_instrument().areas.all())
    return posts(forms.PlanForm(areas=areas), fixed={"action_rows": "3"})


@settings(PAGE, max_examples=6)
@given(data=st.data())
def test_posting_anything_to_the_plan_page_saves_it_or_shows_it_again(people, open_case,
                                                                      client, data):
    client.force_login(people["practitioner"])
    post = data.draw(_plan_form_posts())
    post_is_handled(client, reverse("cases:plan", args=[open_case.pk]), post,
                    models=(Plan, Goal, PlanAction))


@PAGE
@given(data=st.data())
def test_posting_anything_to_the_contact_page_saves_it_or_shows_it_again(people, open_case,
                                                                         client, data):
    client.force_login(people["practitioner"])
    post = data.draw(posts(forms.ContactForm()))
    post_is_handled(client, reverse("cases:contact", args=[open_case.pk]), post,
                    models=(Contact,))


# Regressions --------------------------------------------------------------------------------

def test_a_plan_action_without_an_owner_is_refused_beside_its_own_row(people, open_case,
                                                                      client):
    areas = list(star.default_instrument().areas.all())
    client.force_login(people["practitioner"])
    response = client.post(reverse("cases:plan", args=[open_case.pk]), {
        "action_rows": "3", f"goal_{areas[0].pk}": "Stay safe",
        "action_0_kind": "health", "action_0_description": "GP visit",
        "action_0_owner": "Key worker",
        "action_2_kind": "health", "action_2_description": "Dentist", "action_2_owner": ""})
    assert response.status_code == 200 and open_case.plans.count() == 0
    form = response.context["form"]
    assert list(form.errors) == ["action_2_owner"]
    assert "Action 3" in form.errors["action_2_owner"][0]


def test_a_plan_with_no_goal_is_refused_beside_the_first_goal_box(people, open_case, client):
    areas = list(star.default_instrument().areas.all())
    client.force_login(people["practitioner"])
    response = client.post(reverse("cases:plan", args=[open_case.pk]), {
        "action_rows": "1", "action_0_kind": "health", "action_0_description": "GP visit",
        "action_0_owner": "Key worker"})
    assert response.status_code == 200
    assert list(response.context["form"].errors) == [f"goal_{areas[0].pk}"]


def test_a_reading_with_a_score_that_is_not_a_number_is_refused_beside_its_area(people,
                                                                               open_case):
    instrument = star.active_instrument()
    areas = list(instrument.areas.all())
    scores = {a.pk: 5 for a in areas} | {areas[1].pk: "ten"}
    with pytest.raises(ValidationError) as refusal:
        services.record_reading(people["practitioner"], open_case,
                                taken_on=timezone.localdate() - timedelta(days=1),
                                scores=scores, instrument=instrument)
    assert list(refusal.value.message_dict) == [f"area_{areas[1].pk}"]


def test_an_outreach_or_contact_of_a_kind_not_offered_is_refused(people, open_case):
    day = timezone.localdate()
    with pytest.raises(ValidationError) as refusal:
        services.record_outreach(people["practitioner"], open_case, attempted_on=day,
                                 method="pigeon")
    assert "method" in refusal.value.message_dict
    with pytest.raises(ValidationError) as refusal:
        services.record_contact(people["practitioner"], open_case, happened_on=day,
                                duration_minutes=30, kind="visit")
    assert "kind" in refusal.value.message_dict
    assert not open_case.outreach.exists() and not open_case.contacts.exists()
