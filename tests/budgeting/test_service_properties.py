"""Properties of the services behind the participatory-budgeting coordinator's forms
(moderation, voting events, voter codes, project updates), for anything the forms can send:
each call does all it says or refuses with a message keyed to a field of the form, writing
nothing and auditing nothing. The bid and ballot forms are in tests/core."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from soclocal.budgeting import forms, services
from soclocal.budgeting.models import (
    RULES,
    BallotKind,
    Bid,
    ContactCheck,
    Override,
    Process,
    ProjectUpdate,
    Result,
    VoterCode,
    VotingEvent,
)
from soclocal.budgeting.services import MOST_PLANNERS
from tests.properties import PAGE, PROPERTY, dates, post_is_handled, posts, typed, written

pytestmark = pytest.mark.django_db


def keyed_to(refusal, form):
    keys = set(refusal.message_dict) if hasattr(refusal, "error_dict") else {None}
    assert keys <= set(form.fields) | {"__all__", None}, keys
    assert refusal.messages and all(m.strip() for m in refusal.messages)


@pytest.fixture
def bidding(db):
    process = Process.objects.create(name="Fund", slug="fund", budget=Decimal(10000),
                                     status=Process.Status.BIDDING)
    bid = Bid.objects.create(process=process, reference="1", title="Garden",
                             cost=Decimal(4000), status=Bid.Status.SUBMITTED)
    return process, bid


@PROPERTY
@given(decision=st.sampled_from(list(services.DECISIONS) + ["", "maybe"]), reason=typed())
def test_a_bid_is_moderated_as_decided_or_refused_unchanged(facilitator, bidding, decision,
                                                            reason):
    _process, bid = bidding
    bid.refresh_from_db()
    was = (bid.status, bid.moderation_reason)
    audits = written()[-1]
    try:
        services.moderate_bid(facilitator, bid, decision=decision, reason=reason)
    except ValidationError as refusal:
        keyed_to(refusal, forms.ModerateForm())
        bid.refresh_from_db()
        assert (bid.status, bid.moderation_reason) == was and written()[-1] == audits
        return
    bid.refresh_from_db()
    assert bid.status == services.DECISIONS[decision]
    assert bid.moderation_reason == ("" if decision == "accept" else reason.strip())


@PROPERTY
@given(name=typed(200), kind=st.sampled_from(VotingEvent.Kind.values + ["", "seance"]),
       place=typed(200), day=st.one_of(st.none(), dates()))
def test_a_voting_event_is_added_as_given_or_refused(facilitator, bidding, name, kind, place,
                                                     day):
    process, _bid = bidding
    before = written(VotingEvent)
    try:
        event = services.add_event(facilitator, process, name=name, kind=kind, place=place,
                                   date=day)
    except ValidationError as refusal:
        keyed_to(refusal, forms.EventForm())
        assert written(VotingEvent) == before
        return
    assert name.strip() and kind in VotingEvent.Kind.values
    saved = VotingEvent.objects.get(pk=event.pk)
    assert (saved.name, saved.kind, saved.place, saved.date) == (name.strip(), kind,
                                                                 place.strip(), day)


@PROPERTY
@given(count=st.one_of(st.integers(-2, 60), st.sampled_from([5000, 5001, 10**9])))
def test_voter_codes_are_issued_in_the_number_asked_or_refused(facilitator, bidding, count):
    process, _bid = bidding
    before = written(VoterCode)
    try:
        made = services.issue_voter_codes(facilitator, process, count)
    except ValidationError as refusal:
        keyed_to(refusal, forms.CodesForm(process=process))
        assert written(VoterCode) == before
        return
    assert 1 <= count <= 5000 and len(made) == len(set(made)) == count
    assert VoterCode.objects.filter(process=process).count() == before[0] + count


SPEND = st.one_of(st.decimals(-100, 10**6, places=2, allow_nan=False),
                  st.sampled_from([Decimal("999999999999.99"), Decimal("1000000000000"),
                                   Decimal("1e20"), Decimal("0.001")]))


@PROPERTY
@given(text=typed(), spend=SPEND, outputs=typed())
def test_a_project_update_is_kept_as_given_or_refused(facilitator, bidding, text, spend,
                                                      outputs):
    _process, bid = bidding
    before = written(ProjectUpdate)
    try:
        update = services.add_update(facilitator, bid, text=text, spend=spend, outputs=outputs)
    except ValidationError as refusal:
        keyed_to(refusal, forms.UpdateForm())
        assert written(ProjectUpdate) == before
        return
    assert text.strip() and spend >= 0
    saved = ProjectUpdate.objects.get(pk=update.pk)
    assert (saved.text, saved.spend, saved.outputs) == (text.strip(), spend, outputs.strip())


@PAGE
@given(data=st.data())
def test_posting_anything_as_a_moderation_records_it_or_shows_it_again(facilitator, bidding,
                                                                       client, data):
    process, bid = bidding
    client.force_login(facilitator)
    post_is_handled(client, reverse("budgeting:bid_moderate", args=[process.pk, bid.pk]),
                    data.draw(posts(forms.ModerateForm())), models=())


def test_an_event_or_update_with_nothing_said_is_refused_beside_the_box(facilitator,
                                                                       bidding):
    process, bid = bidding
    with pytest.raises(ValidationError) as refusal:
        services.add_event(facilitator, process, name=" ", kind="seance")
    assert set(refusal.value.message_dict) == {"name", "kind"}
    with pytest.raises(ValidationError) as refusal:
        services.add_update(facilitator, bid, text="", spend=Decimal("1e20"))
    assert set(refusal.value.message_dict) == {"text", "spend"}
    with pytest.raises(ValidationError) as refusal:
        services.moderate_bid(facilitator, bid, decision="reject", reason="")
    assert list(refusal.value.message_dict) == ["reason"]
    assert not process.events.exists() and not bid.updates.exists()


@pytest.fixture
def result(bidding):
    process, bid = bidding
    Bid.objects.filter(pk=bid.pk).update(status=Bid.Status.ACCEPTED)
    other = Bid.objects.create(process=process, reference="2", title="Bench", cost=Decimal(50),
                               status=Bid.Status.REJECTED)
    return Result.objects.create(process=process, rule="greedy", ballots=0, funded=["1"],
                                 support={"1": "0"}, reasons={"1": "Funded"}), other


@PROPERTY
@given(which=st.sampled_from(["accepted", "rejected"]),
       funded=st.sampled_from([True, False, None, "yes"]),
       reason=st.one_of(typed(), st.sampled_from([None, 5])))
def test_a_result_is_overridden_as_given_or_refused_beside_the_box(facilitator, result, which,
                                                                   funded, reason):
    result, rejected = result
    bid = result.process.bids.get(reference="1") if which == "accepted" else rejected
    before = written(Override)
    try:
        override = services.override_result(facilitator, result, bid, funded=funded,
                                            reason=reason)
    except ValidationError as refusal:
        keyed_to(refusal, forms.OverrideForm())
        assert written(Override) == before
        return
    override = Override.objects.get(pk=override.pk)
    assert (override.bid, override.funded, override.reason) == (bid, funded, reason.strip())
    assert bid.status == Bid.Status.ACCEPTED and override.reason


@PROPERTY
@given(channel=st.sampled_from(["email", "sms", "", "fax", None]),
       address=st.one_of(typed(320), st.sampled_from(
           [None, "someone@example.com", " Someone@Example.COM ", "07700 900123",
            "+44 (0)7700 900123", "a" * 250 + "@example.com", "not-an-address"])))
def test_a_bid_code_is_sent_to_the_address_given_or_refused_beside_its_box(db, mailoutbox,
                                                                          channel, address):
    before = written(ContactCheck)
    try:
        check = services.send_code(channel, address)
    except ValidationError as refusal:
        keyed_to(refusal, forms.ContactForm())
        assert written(ContactCheck) == before
        return
    check = ContactCheck.objects.get(pk=check.pk)
    assert check.channel == channel
    if channel == "email":
        assert check.address == address.strip().lower() and "@" in check.address
    else:
        assert check.address.startswith("+447") and len(check.address) == 13


def test_an_override_or_a_code_refused_is_refused_beside_its_box(facilitator, result):
    result, rejected = result
    with pytest.raises(ValidationError) as refusal:
        services.override_result(facilitator, result, rejected, funded=True, reason="Asked")
    assert list(refusal.value.message_dict) == ["bid"]
    with pytest.raises(ValidationError) as refusal:
        services.override_result(facilitator, result, result.process.bids.get(reference="1"),
                                 funded=True, reason=None)
    assert list(refusal.value.message_dict) == ["reason"]
    for channel, address, box in (("fax", "x", "channel"), ("email", "nobody", "email"),
                                  ("email", "a" * 250 + "@example.com", "email"),
                                  ("sms", "12345", "mobile")):
        with pytest.raises(ValidationError) as refusal:
            services.send_code(channel, address)
        assert list(refusal.value.message_dict) == [box]
    assert not Override.objects.exists() and not ContactCheck.objects.exists()


# Setting up a process -----------------------------------------------------------------------

AMOUNT = st.one_of(st.decimals(-100, 10**6, places=2, allow_nan=False),
                   st.sampled_from([Decimal(0), Decimal("0.01"), Decimal("999999999999.99"),
                                    Decimal("1e20"), Decimal("NaN"), Decimal("Infinity")]))
COUNT = st.one_of(st.integers(-2, 12), st.sampled_from([MOST_PLANNERS, MOST_PLANNERS + 1,
                                                        2**31, 2**63]))
PROCESS = {
    "name": st.one_of(typed(200), st.just(None)),
    "currency": st.sampled_from(["GBP", "gbp", " EUR ", "", "£", "GB", "GBPX", "😀", "12"]),
    "budget": AMOUNT, "max_bid": st.one_of(st.none(), AMOUNT),
    "themes": st.sampled_from(["", "Housing\nParks"]),
    "bids_open": st.one_of(st.none(), dates()), "bids_close": st.one_of(st.none(), dates()),
    "voting_open": st.one_of(st.none(), dates()), "voting_close": st.one_of(st.none(), dates()),
    "ballot_kind": st.sampled_from(BallotKind.values + ["", "lottery"]),
    "min_choices": COUNT, "max_choices": st.one_of(st.none(), COUNT),
    "max_points": st.one_of(st.none(), COUNT),
    "rule": st.sampled_from(list(RULES) + ["", "coin"]),
    "category_limits": st.sampled_from([{}, {"Housing": 5000}, {"Housing": 0, "Parks": 10},
                                        {"Housing": -1}, {"Housing": "lots"}, {"": 5},
                                        {"Parks": 2.5}, [5000], "Housing = 5000", None]),
    "residents_who_planned": COUNT,
    "status": st.sampled_from(Process.Status.values + ["", "paused"])}


def _in_order(*days):
    given = [d for d in days if d is not None]
    return given == sorted(given)


@PROPERTY
@given(fields=st.fixed_dictionaries(PROCESS), edit=st.booleans())
def test_a_process_is_set_up_as_given_or_refused_with_nothing_kept(facilitator, bidding,
                                                                   fields, edit):
    process, _bid = bidding
    before = written(Process)
    kept = Process.objects.values().get(pk=process.pk)
    try:
        if edit:
            made = services.update_process(facilitator, process, **fields)
        else:
            made = services.create_process(facilitator, **fields)
    except ValidationError as refusal:
        keyed_to(refusal, forms.ProcessForm())
        assert written(Process) == before
        assert Process.objects.values().get(pk=process.pk) == kept
        return
    saved = Process.objects.get(pk=made.pk)
    for field, value in fields.items():
        expected = {"name": lambda v: v.strip(), "currency": lambda v: v.strip().upper()}.get(
            field, lambda v: v)(value)
        assert getattr(saved, field) == expected, field
    # What was kept is a process that can be run.
    assert saved.name and len(saved.currency) == 3 and saved.budget > 0
    assert saved.max_bid is None or saved.max_bid > 0
    assert saved.max_choices is None or saved.max_choices >= saved.min_choices
    assert saved.residents_who_planned <= MOST_PLANNERS
    assert all(type(v) is int and v >= 0 for v in saved.category_limits.values())
    assert _in_order(saved.bids_open, saved.bids_close, saved.voting_open, saved.voting_close)


@PAGE
@given(data=st.data())
def test_posting_anything_as_a_new_process_sets_it_up_or_shows_it_again(facilitator, client,
                                                                        data):
    client.force_login(facilitator)
    post_is_handled(client, reverse("budgeting:process_new"), data.draw(posts(
        forms.ProcessForm())), models=(Process,))


@PAGE
@given(data=st.data())
def test_posting_anything_as_a_process_change_saves_it_or_shows_it_again(facilitator, bidding,
                                                                         client, data):
    process, _bid = bidding
    client.force_login(facilitator)
    kept = Process.objects.values().get(pk=process.pk)
    response, taken = post_is_handled(
        client, reverse("budgeting:process_edit", args=[process.pk]),
        data.draw(posts(forms.ProcessForm())), models=(Process,))
    if not taken:
        assert Process.objects.values().get(pk=process.pk) == kept


def test_a_process_that_could_not_be_run_is_refused_beside_each_box(facilitator, client):
    client.force_login(facilitator)
    response = client.post(reverse("budgeting:process_new"), {
        "name": "Youth fund", "budget": "-5", "currency": "gbp", "max_bid": "0",
        "ballot_kind": "approval", "min_choices": "3", "max_choices": "2", "rule": "greedy",
        "bids_open": "2025-05-01", "bids_close": "2025-04-01", "voting_open": "2025-03-01",
        "voting_close": "2025-02-01", "status": "draft"})
    assert response.status_code == 200 and not Process.objects.exists()
    assert {"budget", "max_bid", "max_choices", "bids_close", "voting_open",
            "voting_close"} <= set(response.context["form"].errors)
    for fields, box in (({"name": "   "}, "name"), ({"category_limits": None},
                                                    "category_limits"),
                        ({"currency": "£"}, "currency"),
                        ({"residents_who_planned": MOST_PLANNERS + 1},
                         "residents_who_planned")):
        with pytest.raises(ValidationError) as refusal:
            services.create_process(facilitator, **{"name": "Fund", "budget": Decimal(100),
                                                    **fields})
        assert list(refusal.value.message_dict) == [box]
    assert not Process.objects.exists()
    made = services.create_process(facilitator, name="  Fund ", budget=Decimal(100),
                                   currency=" eur ")
    assert (made.name, made.currency) == ("Fund", "EUR")


# Confirming a bidder's code -----------------------------------------------------------------
# A wrong code is counted even though it is refused: five tries, then a new code is needed.
# So a refusal writes nothing but that count, which rises by exactly one when the code could
# still have been right, and not at all when it could not (too many tries, expired, no code).

@pytest.fixture
def sent(db, mailoutbox):
    check = services.send_code("email", "bidder@example.com")
    return check.pk, check.sent_code


def _live(check):
    from django.utils import timezone

    return check.attempts < services.CODE_TRIES and (
        timezone.now() - check.created_at).total_seconds() <= services.CODE_LIFETIME


@PROPERTY
@given(code=st.one_of(st.sampled_from(["right", " right ", "wrong", "", None, 3, "r1ght"]),
                      typed(6), typed()),
       which=st.sampled_from(["sent", "missing", None, "abc"]),
       attempts=st.integers(0, services.CODE_TRIES + 1), expired=st.booleans(),
       verified=st.booleans())
def test_a_code_is_confirmed_or_refused_counting_one_try_and_writing_nothing_else(
        sent, code, which, attempts, expired, verified):
    from datetime import timedelta

    from django.utils import timezone

    pk, right = sent
    age = timedelta(seconds=services.CODE_LIFETIME + 60 if expired else 60)
    ContactCheck.objects.filter(pk=pk).update(
        attempts=attempts, created_at=timezone.now() - age,
        verified_at=timezone.now() - age if verified else None)
    code = code.replace("r1ght", right[:5] + str((int(right[5]) + 1) % 10)).replace(
        "right", right) if isinstance(code, str) else code
    check_id = {"sent": pk, "missing": pk + 1000}.get(which, which)
    was = ContactCheck.objects.get(pk=pk)
    before = written(ContactCheck)
    try:
        confirmed = services.confirm_code(check_id, code)
    except ValidationError as refusal:
        keyed_to(refusal, forms.CodeCheckForm())
        after = ContactCheck.objects.get(pk=pk)
        assert written(ContactCheck) == before and after.verified_at == was.verified_at
        counted = which == "sent" and isinstance(code, str) and _live(was)
        assert after.attempts == was.attempts + counted
        return
    assert which == "sent" and _live(was) and code.strip() == right
    saved = ContactCheck.objects.get(pk=confirmed.pk)
    assert saved.verified_at is not None and saved.attempts == was.attempts + 1
    assert written(ContactCheck) == before


@PAGE
@given(data=st.data(), attempts=st.integers(0, services.CODE_TRIES))
def test_posting_anything_as_the_code_confirms_it_or_shows_it_again(bidding, sent, client,
                                                                   data, attempts):
    from soclocal.budgeting.public_views import SESSION_KEY

    process, _bid = bidding
    pk, right = sent
    ContactCheck.objects.filter(pk=pk).update(attempts=attempts, verified_at=None)
    session = client.session
    session[SESSION_KEY] = pk
    session.save()
    post = data.draw(st.one_of(posts(forms.CodeCheckForm()),
                               st.sampled_from([right, f" {right} "]).map(
                                   lambda c: {"csrfmiddlewaretoken": "token", "code": c})))
    _response, taken = post_is_handled(
        client, reverse("community:bid_verify", args=[process.slug]), post,
        models=(ContactCheck,))
    check = ContactCheck.objects.get(pk=pk)
    assert taken == (check.verified_at is not None)
    tried = forms.CodeCheckForm(post).is_valid() and attempts < services.CODE_TRIES
    assert check.attempts == attempts + tried


def test_a_code_that_is_not_text_or_for_no_check_is_refused_and_not_counted(sent):
    pk, right = sent
    for check_id, code in ((pk, None), (pk, 123456), ("abc", right), (None, right)):
        with pytest.raises(ValidationError):
            services.confirm_code(check_id, code)
    check = ContactCheck.objects.get(pk=pk)
    assert check.attempts == 0 and check.verified_at is None
    assert services.confirm_code(pk, f" {right}\n").verified_at is not None
