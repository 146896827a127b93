"""Properties of the services behind the case forms, for anything the forms can send (and
what a caller of the service may pass): each call does all it says, read back through the
selectors, or refuses with a message keyed to a field of the form and writes nothing."""

from datetime import date, timedelta
from itertools import count

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from soclocal.accounts.models import Agency
from soclocal.cases import forms, selectors, services, star
from soclocal.cases.models import (
    Assignment,
    Case,
    Closure,
    Contact,
    Goal,
    OutreachAttempt,
    Plan,
    PlanAction,
    Referral,
    StarArea,
    StarInstrument,
    StarReading,
    StarScore,
    Transfer,
    YoungPerson,
)
from soclocal.core.access import Role
from soclocal.core.models import AuditEvent, Share
from tests.cases.conftest import person_data, referral_data
from tests.properties import (
    PAGE,
    PROPERTY,
    dates,
    post_is_handled,
    posts,
    purposes,
    read_is_handled,
    text,
    typed,
    written,
)

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


# Triage -------------------------------------------------------------------------------------

def _new_referral(people):
    """A referral of a new young person, waiting for triage."""
    return services.record_referral(people["practitioner"], person=person_data(),
                                    **referral_data())


@PROPERTY
@given(decision=st.sampled_from(Referral.Decision.values * 3 + ["", "maybe", "ACCEPT"]),
       reason=typed(), signposted_to=st.one_of(st.just(""), typed(200)))
def test_a_triage_decision_is_kept_as_given_or_refused_with_the_referral_still_waiting(
        people, decision, reason, signposted_to):
    referral = _new_referral(people)
    before = written(Referral, Case)
    try:
        services.triage(people["manager"], referral, decision=decision, reason=reason,
                        signposted_to=signposted_to)
    except ValidationError as refusal:
        keyed_to(refusal, forms.TriageForm())
        assert written(Referral, Case) == before
        saved = Referral.objects.get(pk=referral.pk)
        assert saved.decision == "" and saved.case.status == Case.Status.AWAITING_TRIAGE
        return
    saved = Referral.objects.get(pk=referral.pk)
    assert (saved.decision, saved.decision_reason, saved.signposted_to) == (
        decision, reason, signposted_to)
    assert decision in Referral.Decision.values
    assert decision == Referral.Decision.ACCEPT or reason.strip()
    assert decision != Referral.Decision.SIGNPOST or signposted_to.strip()
    assert saved.case.status == {"accept": Case.Status.OPEN, "signpost": Case.Status.SIGNPOSTED,
                                 "decline": Case.Status.DECLINED}[decision]
    assert written(Referral, Case) == before[:2] + (before[2] + 1,)


# Allocation ---------------------------------------------------------------------------------

@pytest.fixture
def staff(people, make_user):
    """The case workers, with a practitioner and a peer mentor who have left (inactive)."""
    left = {"leaver": make_user(Role.PRACTITIONER), "left_mentor": make_user(Role.PEER_MENTOR)}
    for user in left.values():
        user.is_active = False
        user.save(update_fields=["is_active"])
    return {**people, **left}


# Mostly people who may take the role, then anyone else (or someone who has left).
WHO = ["mentor", "analyst", "board", "leaver", "left_mentor", None]
WORKER = st.sampled_from(["practitioner", "manager", "police_practitioner"] * 2 + WHO)
MENTOR = st.sampled_from(["mentor"] * 4 + WHO + ["practitioner"])


@PROPERTY
@given(practitioner=WORKER, peer_mentor=MENTOR,
       reason=st.one_of(st.just("Moved teams"), typed(300)))
def test_an_allocation_is_kept_as_given_or_refused_with_the_case_as_it_was(
        staff, open_case, practitioner, peer_mentor, reason):
    case = Case.objects.get(pk=open_case.pk)
    was = (case.practitioner_id, case.peer_mentor_id)
    worker, mentor = staff.get(practitioner), staff.get(peer_mentor)
    before = written(Assignment)
    try:
        services.allocate(staff["manager"], case, practitioner=worker, peer_mentor=mentor,
                          reason=reason)
    except ValidationError as refusal:
        keyed_to(refusal, forms.AllocationForm())
        assert written(Assignment) == before
        case.refresh_from_db()
        assert (case.practitioner_id, case.peer_mentor_id) == was
        return
    case.refresh_from_db()
    assert case.practitioner == worker and case.peer_mentor == mentor
    offered = forms.AllocationForm()
    for user, field in ((worker, "practitioner"), (mentor, "peer_mentor")):
        assert user is None or offered.fields[field].queryset.filter(pk=user.pk).exists()
    assert not was[0] or was[0] == getattr(worker, "pk", None) or reason.strip()
    # Only the owning agency's practitioners, or those of an agency the case is shared with.
    assert (worker is None or worker.pk == was[0]
            or worker.agency_id in services.agencies_working_on(case))
    assert case.assignments.order_by("-pk").first().reason == reason
    assert written(Assignment) == (before[0] + 1, before[1] + 1)


# Sharing, ending a share and answering a transfer --------------------------------------------

@pytest.fixture
def agreements(people, org):
    """An agreement in force between every agency (one of them no longer active) and a draft."""
    from soclocal.accounts import services as accounts
    from soclocal.partnership import services as partnership

    closed = accounts.create_agency(None, name="Closed Trust", kind=Agency.Kind.HEALTH)
    closed.active = False
    closed.save(update_fields=["active"])
    terms = dict(purposes="Joint work with young people", lawful_bases="UK GDPR Article 6(1)(e)",
                 data_categories="Case records", retention_terms="Six years after closure",
                 review_on=date(2099, 1, 1), signatories="A. Signatory\nB. Signatory")
    parties = list(Agency.objects.all())
    return {"in force": partnership.create_agreement(None, parties=parties, status="active",
                                                     title="In force", **terms),
            "draft": partnership.create_agreement(None, parties=parties, status="draft",
                                                  title="Draft", **terms),
            "closed": closed, None: None}


def _unshare():
    """Put the case back as it was for the next example: shared with no one."""
    Transfer.objects.all().delete()
    Share.objects.all().delete()


@pytest.fixture
def unconsented_case(people):
    """A case open with no consent to share recorded: only a manager's reason lets it out."""
    referral = services.record_referral(
        people["practitioner"], person=person_data(), **referral_data(
            young_person_consents_to_sharing=False, caregiver_consents_to_sharing=False))
    services.triage(people["manager"], referral, decision="accept")
    return Case.objects.get(pk=referral.case_id)


@PROPERTY
@given(mode=st.sampled_from(["refer", "transfer"]),
       agency=st.sampled_from(["police"] * 4 + ["youth", "closed"]), purpose=typed(200),
       agreement=st.sampled_from(["in force"] * 4 + ["draft", None]),
       consent=st.booleans(), by=st.sampled_from(["practitioner", "manager"]),
       override_reason=st.one_of(st.just("Risk of serious harm tonight"), typed()))
def test_a_share_is_kept_as_given_or_refused_with_nothing_shared(
        people, org, open_case, unconsented_case, agreements, mode, agency, purpose, agreement,
        consent, by, override_reason):
    case = open_case if consent else unconsented_case
    to = agreements["closed"] if agency == "closed" else org[agency]
    before = written(Share, Transfer)
    kwargs = {"agency": to, "agreement": agreements[agreement],
              "override_reason": override_reason}
    try:
        if mode == "transfer":
            services.offer_transfer(people[by], case, reason=purpose, **kwargs)
        else:
            services.share_case(people[by], case, purpose=purpose, **kwargs)
    except ValidationError as refusal:
        keyed_to(refusal, forms.ShareForm(case=case))
        assert written(Share, Transfer) == before
        # Whatever the form takes is shared when the agency and the agreement are right, and
        # consent to share is recorded or a manager gives a reason.
        fields = forms.ShareForm.base_fields
        most = fields["purpose"].max_length if mode == "refer" else services.TRANSFER_REASON_MAX
        basis = consent or (by == "manager" and override_reason.strip() and len(
            override_reason) <= fields["override_reason"].max_length)
        assert not (agency == "police" and agreement == "in force" and purpose.strip()
                    and len(purpose) <= most and basis), refusal.messages
        return
    try:
        share = Share.objects.get()
        assert share.agency == to and to.active and to != case.owning_agency
        assert share.agreement == agreements["in force"] and purpose.strip()
        assert consent or (by == "manager" and share.lawful_basis.endswith(
            override_reason.strip()))
        if mode == "transfer":
            transfer = Transfer.objects.get()
            assert (transfer.share, transfer.to_agency, transfer.reason) == (share, to, purpose)
            assert share.purpose == services.TRANSFER_PREFIX + purpose
        else:
            assert share.purpose == purpose and not Transfer.objects.exists()
        assert written(Share, Transfer)[:2] == (before[0] + 1, before[1] + (mode == "transfer"))
    finally:
        _unshare()


@PROPERTY
@given(reason=typed(), by=st.sampled_from(["practitioner", "manager"]))
def test_ending_a_share_keeps_the_reason_given_or_leaves_the_share_in_place(
        people, org, open_case, agreements, reason, by):
    share = services.share_case(people["practitioner"], open_case, agency=org["police"],
                                purpose="Joint safety plan", agreement=agreements["in force"])
    before = written(Share)
    try:
        services.revoke_share(people[by], share, reason=reason)
    except ValidationError as refusal:
        keyed_to(refusal, forms.ReasonForm())
        assert written(Share) == before
        assert Share.objects.get(pk=share.pk).revoked_at is None
        assert not (reason.strip() and len(reason) <= forms.ReasonForm.base_fields[
            "reason"].max_length), refusal.messages
        return
    finally:
        saved = Share.objects.get(pk=share.pk)
        _unshare()
    assert saved.revoked_at and saved.revoked_reason == reason and reason.strip()
    assert written(Share)[-1] == before[-1] + 1


def _offered_transfer(people, org, agreement):
    """A new case, accepted and offered to the police, waiting for their answer."""
    referral = _new_referral(people)
    services.triage(people["manager"], referral, decision="accept")
    return services.offer_transfer(people["practitioner"], referral.case, agency=org["police"],
                                   reason="Moved into the police's diversion scheme",
                                   agreement=agreement)


@PROPERTY
@given(answer=st.sampled_from(["accept", "reject"]), reason=typed())
def test_a_transfer_answer_is_kept_as_given_or_refused_with_the_transfer_still_waiting(
        people, org, agreements, answer, reason):
    transfer = _offered_transfer(people, org, agreements["in force"])
    before = written(Transfer, Share, Case)
    try:
        services.respond_to_transfer(people["police_manager"], transfer,
                                     accept=answer == "accept", reason=reason)
    except ValidationError as refusal:
        keyed_to(refusal, forms.TransferAnswerForm())
        assert written(Transfer, Share, Case) == before
        saved = Transfer.objects.get(pk=transfer.pk)
        assert saved.status == Transfer.Status.PENDING and saved.share.revoked_at is None
        assert saved.case.owning_agency == org["youth"]
        assert answer == "reject", refusal.messages
        assert not (reason.strip() and len(reason) <= forms.TransferAnswerForm.base_fields[
            "reason"].max_length), refusal.messages
        return
    saved = Transfer.objects.get(pk=transfer.pk)
    assert saved.status == ("accepted" if answer == "accept" else "rejected")
    assert saved.share.revoked_at is not None
    assert saved.case.owning_agency == (org["police"] if answer == "accept" else org["youth"])
    if answer == "reject":
        assert reason.strip() and saved.share.revoked_reason.endswith(reason)
    assert AuditEvent.objects.filter(action=f"cases.transfer.{saved.status}").latest(
        "seq").detail["reason"] == reason


# The outcomes star's shape and the words for its stages -------------------------------------

NUMBER = st.one_of(st.integers(-2, 22), st.sampled_from([None, "", "ten", 1.5, float("nan")]))
NAMES = count()


@st.composite
def star_shapes(draw):
    """A star as a caller may describe it: mostly a whole scale cut into stages, then perhaps
    broken in one place (a word for a number, a gap, a blank or long name, too many rows)."""
    low = draw(st.integers(0, 3))
    high = draw(st.integers(low + 1, min(low + 12, star.MAX_SCALE)))
    cuts = sorted(draw(st.sets(st.integers(low, high - 1), max_size=min(6, high - low))))
    bounds = [low - 1] + cuts + [high]
    stages = [{"name": draw(st.sampled_from(["Stuck", "Trying", "Ready", "Steady", "Free",
                                             "Growing", "Settled"])) + f" {i}",
               "from": bounds[i] + 1, "to": bounds[i + 1]} for i in range(len(bounds) - 1)]
    areas = draw(st.lists(st.sampled_from(["Home", "School", "Friends", "Feelings", "Health",
                                           "Money"]), unique=True, min_size=1, max_size=6))
    shape = {"name": f"Star {next(NAMES)}", "scale_min": low, "scale_max": high,
             "stages": stages, "areas": areas,
             "reassess_every_days": draw(st.integers(7, 365))}
    broken = draw(st.sampled_from(["", "", "name", "scale_min", "scale_max", "reassess",
                                   "stage", "stage name", "area", "more areas", "more stages"]))
    if broken == "name":
        shape["name"] = draw(typed(100))
    elif broken in ("scale_min", "scale_max"):
        shape[broken] = draw(NUMBER)
    elif broken == "reassess":
        shape["reassess_every_days"] = draw(NUMBER)
    elif broken == "stage":
        row = draw(st.sampled_from(stages))
        row[draw(st.sampled_from(["from", "to"]))] = draw(NUMBER)
    elif broken == "stage name":
        draw(st.sampled_from(stages))["name"] = draw(typed(60))
    elif broken == "area":
        areas[draw(st.integers(0, len(areas) - 1))] = draw(typed(100))
    elif broken == "more areas":
        shape["areas"] = areas + [f"Area {i}" for i in range(star.MAX_AREAS)]
    elif broken == "more stages":
        shape["stages"] = stages + [{"name": f"Extra {i}", "from": high + 1 + i,
                                     "to": high + 1 + i} for i in range(star.MAX_STAGES)]
    return shape


@PROPERTY
@given(shape=star_shapes(), change=st.booleans())
def test_a_star_is_kept_as_described_or_refused_beside_the_row_that_is_wrong(
        people, shape, change):
    actor = people["manager"]
    existing = None
    if change:
        existing = services.create_instrument(
            actor, name=f"Old star {next(NAMES)}", scale_min=1, scale_max=10,
            stages=star.DEFAULT_STAGES, areas=["Home", "School"])
    before = written(StarInstrument, StarArea)
    try:
        if existing is None:
            made = services.create_instrument(actor, **shape)
        else:
            made = services.update_instrument(actor, existing, **shape)
    except ValidationError as refusal:
        keyed_to(refusal, forms.InstrumentForm())
        assert written(StarInstrument, StarArea) == before
        return
    made = StarInstrument.objects.get(pk=made.pk)
    assert made.name == shape["name"].strip()
    assert (made.scale_min, made.scale_max, made.reassess_every_days) == (
        shape["scale_min"], shape["scale_max"], shape["reassess_every_days"])
    assert made.stages == [{"name": s["name"].strip(), "from": s["from"], "to": s["to"]}
                           for s in shape["stages"]]
    assert [a.name for a in made.areas.order_by("position")] == [
        a.strip() for a in shape["areas"]]
    # What it promises: every score of the scale falls in exactly one stage.
    for score in range(made.scale_min, made.scale_max + 1):
        assert sum(s["from"] <= score <= s["to"] for s in made.stages) == 1
    assert written()[-1] == before[-1] + 1


@PROPERTY
@given(texts=st.lists(st.one_of(st.just(""), text(80)), min_size=15, max_size=15),
       odd=typed(500), at=st.integers(0, 14),
       unknown=st.sampled_from([{}, {"No such stage": "Text"}]))
def test_the_words_for_each_stage_are_kept_as_given_or_refused_beside_their_box(
        people, texts, odd, at, unknown):
    texts[at] = odd  # one box as anyone may fill it: blank, huge, any script
    instrument = star.default_instrument()
    areas = list(instrument.areas.order_by("position")[:3])
    stages = [s["name"] for s in instrument.stages]
    given_ = {a.pk: {**{stage: texts[i * 5 + j] for j, stage in enumerate(stages)}, **unknown}
              for i, a in enumerate(areas)}
    previous = {a.pk: a.stage_descriptors for a in instrument.areas.all()}
    before = written(StarArea)
    try:
        services.set_stage_descriptors(people["manager"], instrument, given_)
    except ValidationError as refusal:
        keyed_to(refusal, forms.StageDescriptorForm(instrument=instrument))
        assert written(StarArea) == before
        assert {a.pk: a.stage_descriptors for a in instrument.areas.all()} == previous
        return
    kept = {a.pk: a.stage_descriptors for a in instrument.areas.all()}
    for area in areas:
        assert kept[area.pk] == {st_: t.strip() for st_, t in given_[area.pk].items()
                                 if st_ in stages and t.strip()}
        assert all(len(t) <= 500 for t in kept[area.pk].values())
    assert written()[-1] == before[-1] + (kept != previous)


# Merging two records of one young person ----------------------------------------------------

@PROPERTY
@given(pair=st.sampled_from([("first", "second")] * 3 + [
           ("second", "first"), ("first", "first"), ("first", "merged"), ("merged", "second")]),
       reason=typed())
def test_a_merge_is_done_whole_or_refused_with_both_records_as_they_were(people, pair, reason):
    keep, duplicate = pair
    records = {name: _new_referral(people).case.young_person
               for name in ("first", "second", "merged")}
    other = _new_referral(people).case.young_person
    services.merge_young_people(people["manager"], keep=other, duplicate=records["merged"],
                                reason="Same person")
    state = {p.pk: (p.merged_into_id, sorted(p.cases.values_list("pk", flat=True)))
             for p in YoungPerson.objects.all()}
    kept, dup = records[keep], records[duplicate]
    kept.refresh_from_db(), dup.refresh_from_db()
    before = written(YoungPerson, Case)
    form = forms.MergeChoiceForm(first=records["first"], second=records["second"])
    try:
        services.merge_young_people(people["manager"], keep=kept, duplicate=dup, reason=reason)
    except ValidationError as refusal:
        keyed_to(refusal, form)
        assert written(YoungPerson, Case) == before
        assert {p.pk: (p.merged_into_id, sorted(p.cases.values_list("pk", flat=True)))
                for p in YoungPerson.objects.all()} == state
        return
    dup.refresh_from_db()
    assert kept.pk != dup.pk and dup.merged_into_id == kept.pk
    assert "merged" not in (keep, duplicate) and reason.strip()
    assert set(kept.cases.values_list("pk", flat=True)) == set(state[kept.pk][1]) | set(
        state[dup.pk][1])
    event = AuditEvent.objects.filter(action="cases.young_person.merged").latest("seq")
    assert event.detail["reason"] == reason
    assert written(YoungPerson, Case) == before[:2] + (before[2] + 1,)


# The pages of these forms -------------------------------------------------------------------

@PAGE
@given(data=st.data())
def test_posting_anything_to_the_triage_page_decides_or_shows_it_again(people, client, data):
    case = _new_referral(people).case
    client.force_login(people["manager"])
    post_is_handled(client, reverse("cases:triage", args=[case.pk]),
                    data.draw(posts(forms.TriageForm())), models=(Referral, AuditEvent))


@PAGE
@given(data=st.data())
def test_posting_anything_to_the_allocation_page_allocates_or_shows_it_again(
        staff, open_case, client, data):
    client.force_login(staff["manager"])
    post_is_handled(client, reverse("cases:allocate", args=[open_case.pk]),
                    data.draw(posts(forms.AllocationForm())), models=(Assignment, AuditEvent))


@PAGE
@given(data=st.data())
def test_posting_anything_to_the_share_page_shares_or_shows_it_again(
        people, open_case, agreements, client, data):
    client.force_login(people["manager"])
    try:
        post_is_handled(client, reverse("cases:share", args=[open_case.pk]),
                        data.draw(posts(forms.ShareForm(case=open_case))),
                        models=(Share, Transfer, AuditEvent))
    finally:
        _unshare()


@PAGE
@given(data=st.data())
def test_posting_anything_to_the_stop_sharing_page_ends_it_or_shows_it_again(
        people, org, open_case, agreements, client, data):
    share = services.share_case(people["practitioner"], open_case, agency=org["police"],
                                purpose="Joint safety plan", agreement=agreements["in force"])
    client.force_login(people["practitioner"])
    try:
        post_is_handled(client, reverse("cases:share_revoke", args=[open_case.pk, share.pk]),
                        data.draw(posts(forms.ReasonForm())), models=(Share, AuditEvent))
    finally:
        _unshare()


@PAGE
@given(data=st.data())
def test_posting_anything_to_the_transfer_page_answers_or_shows_it_again(
        people, org, agreements, client, data):
    transfer = _offered_transfer(people, org, agreements["in force"])
    client.force_login(people["police_manager"])
    post_is_handled(client, reverse("cases:transfer_answer",
                                    args=[transfer.case_id, transfer.pk]),
                    data.draw(posts(forms.TransferAnswerForm())),
                    models=(Transfer, Share, AuditEvent))


@PAGE
@given(data=st.data(), change=st.booleans())
def test_posting_anything_to_the_star_pages_saves_it_or_shows_it_again(people, client, data,
                                                                       change):
    client.force_login(people["manager"])
    form = forms.InstrumentForm()
    post = data.draw(posts(form, fixed={"name": f"Star {next(NAMES)}"}
                           if data.draw(st.booleans()) else None))
    if change:
        existing = services.create_instrument(
            people["manager"], name=f"Old star {next(NAMES)}", scale_min=1, scale_max=10,
            stages=star.DEFAULT_STAGES, areas=["Home", "School"])
        url = reverse("cases:star_edit", args=[existing.pk])
    else:
        url = reverse("cases:star_new")
    post_is_handled(client, url, post, models=(StarInstrument, StarArea, AuditEvent))


@PAGE
@given(data=st.data())
def test_posting_anything_to_the_stage_words_page_saves_it_or_shows_it_again(people, client,
                                                                             data):
    client.force_login(people["manager"])
    instrument = star.default_instrument()
    post_is_handled(client, reverse("cases:star_descriptors", args=[instrument.pk]),
                    data.draw(posts(forms.StageDescriptorForm(instrument=instrument))),
                    models=(StarArea, AuditEvent))


@PAGE
@given(data=st.data())
def test_posting_anything_to_the_merge_page_merges_or_shows_it_again(people, client, data):
    first, second = (_new_referral(people).case.young_person for _ in range(2))
    client.force_login(people["manager"])
    response, merged = post_is_handled(
        client, f"{reverse('cases:merge_compare')}?a={first.pk}&b={second.pk}",
        data.draw(posts(forms.MergeChoiceForm(first=first, second=second))),
        models=(YoungPerson, Case))
    assert YoungPerson.objects.filter(pk__in=[first.pk, second.pk],
                                      merged_into__isnull=False).count() == merged


def test_a_wrong_stage_is_refused_beside_its_own_row_when_a_row_above_is_blank(people, client):
    client.force_login(people["manager"])
    response = client.post(reverse("cases:star_new"), {
        "name": "Youth star", "scale_min": "1", "scale_max": "6", "reassess_every_days": "90",
        "stage_0_name": "Low", "stage_0_from": "1", "stage_0_to": "3",
        "stage_2_name": "High", "stage_2_from": "5", "stage_2_to": "6", "area_1": "Home"})
    assert response.status_code == 200 and not StarInstrument.objects.filter(
        name="Youth star").exists()
    errors = response.context["form"].errors
    assert list(errors) == ["stage_2_from"] and "should start at 4" in errors["stage_2_from"][0]


def test_a_transfer_whose_reason_leaves_no_room_in_the_share_is_refused_beside_it(
        people, org, open_case, agreements, client):
    client.force_login(people["manager"])
    response = client.post(reverse("cases:share", args=[open_case.pk]), {
        "mode": "transfer", "agency": org["police"].pk, "purpose": "p" * 200,
        "agreement": agreements["in force"].pk})
    assert response.status_code == 200 and not Share.objects.exists()
    errors = response.context["form"].errors
    assert list(errors) == ["purpose"] and f"{services.TRANSFER_REASON_MAX} characters" in \
        errors["purpose"][0]


def test_a_transfer_with_no_reason_is_refused(people, org, open_case, agreements):
    with pytest.raises(ValidationError) as refusal:
        services.offer_transfer(people["manager"], open_case, agency=org["police"], reason="  ",
                                agreement=agreements["in force"])
    assert list(refusal.value.message_dict) == ["purpose"]
    assert not Share.objects.exists() and not Transfer.objects.exists()


def test_a_case_is_not_allocated_to_someone_who_has_left(staff, open_case):
    with pytest.raises(ValidationError) as refusal:
        services.allocate(staff["manager"], open_case, practitioner=staff["leaver"],
                          reason="Cover while away")
    assert list(refusal.value.message_dict) == ["practitioner"]
    open_case.refresh_from_db()
    assert open_case.practitioner == staff["practitioner"]


def test_a_case_goes_to_another_agencys_practitioner_only_once_it_is_shared_with_them(
        staff, open_case, org, agreements):
    police = staff["police_practitioner"]
    with pytest.raises(ValidationError) as refusal:
        services.allocate(staff["manager"], open_case, practitioner=police, reason="Joint work")
    assert list(refusal.value.message_dict) == ["practitioner"]
    assert not forms.AllocationForm(case=open_case).fields["practitioner"].queryset.filter(
        pk=police.pk).exists()
    services.share_case(staff["manager"], open_case, agency=org["police"],
                        purpose="Joint safety plan", agreement=agreements["in force"])
    assert forms.AllocationForm(case=open_case).fields["practitioner"].queryset.filter(
        pk=police.pk).exists()
    services.allocate(staff["manager"], open_case, practitioner=police, reason="Joint work")
    open_case.refresh_from_db()
    assert open_case.practitioner == police


def test_a_reason_to_share_without_consent_too_long_to_record_is_refused_beside_its_box(
        people, org, unconsented_case, agreements):
    with pytest.raises(ValidationError) as refusal:
        services.share_case(people["manager"], unconsented_case, agency=org["police"],
                            purpose="Joint safety plan", agreement=agreements["in force"],
                            override_reason="r" * (services.OVERRIDE_REASON_MAX + 1))
    assert list(refusal.value.message_dict) == ["override_reason"]
    assert not Share.objects.exists()


# Why a case is opened ------------------------------------------------------------------------

@PAGE
@given(purpose=purposes(dict(forms.PURPOSES)))
def test_a_case_opens_with_the_purpose_stated_or_asks_again(people, open_case, client,
                                                             purpose):
    client.force_login(people["practitioner"])
    read_is_handled(client, reverse("cases:case", args=[open_case.pk]), purpose,
                    labels=dict(forms.PURPOSES), default="direct_work",
                    action="cases.case.viewed", shows="Testerby")


def test_a_case_opened_for_a_purpose_not_offered_shows_and_records_nothing(people, open_case,
                                                                          client):
    client.force_login(people["practitioner"])
    response = client.get(reverse("cases:case", args=[open_case.pk]), {"purpose": "curious"})
    assert response.status_code == 400 and b"Testerby" not in response.content
    assert not AuditEvent.objects.filter(action="cases.case.viewed").exists()
