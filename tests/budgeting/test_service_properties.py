"""Properties of the services behind the participatory-budgeting forms, the coordinator's
(moderation, voting events, voter codes, project updates) and the residents' (a bid, a
ballot), for anything the forms can send: each call does all it says or refuses with a
message keyed to a field of the form, writing nothing and auditing nothing (a refused ballot
leaves its voter code unspent)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from hypothesis import event, given
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
from tests.properties import (
    PAGE,
    PROPERTY,
    dates,
    post_is_handled,
    posts,
    text,
    typed,
    written,
)

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


# A resident's bid, on the public pages ------------------------------------------------------
# Two processes: one naming its themes and the kinds of group that may bid, one naming none
# (its form offers the usual kinds and has no theme box).

@pytest.fixture
def open_for_bids(db):
    ruled = Process.objects.create(name="Youth fund", slug="youth-fund", budget=Decimal(10000),
                                   max_bid=Decimal(3000), status=Process.Status.BIDDING,
                                   themes="Youth\nParks", eligible_group_kinds="Charity\nGroup")
    plain = Process.objects.create(name="Open fund", slug="open-fund", budget=Decimal(5000),
                                   status=Process.Status.BIDDING)
    check = ContactCheck.objects.create(channel=ContactCheck.Channel.EMAIL,
                                        address="group@example.org", code_hash="x",
                                        verified_at=timezone.now())
    return {"ruled": ruled, "plain": plain}, check


def _offered(form, name):
    field = form.fields.get(name)
    return [str(k) for k, _label in field.choices if str(k)] if field is not None else [""]


def careful_bid(process):
    """A bid as a resident who has read the page fills it in."""
    form = forms.BidForm(process=process)
    most = process.max_bid or process.budget
    return st.fixed_dictionaries({
        "title": text(200, min_size=1).filter(str.strip),
        "summary": text(400, min_size=1).filter(str.strip),
        "group_name": text(200, min_size=1).filter(str.strip),
        "group_kind": st.sampled_from(_offered(form, "group_kind")),
        "place": text(200, min_size=1).filter(str.strip),
        "theme": st.sampled_from(_offered(form, "theme")),
        "cost": st.decimals(Decimal("0.01"), most, places=2, allow_nan=False)})


def any_bid(process):
    """A bid as anything a caller of the service might pass."""
    form = forms.BidForm(process=process)
    words = st.one_of(typed(200), st.sampled_from([None, 5]))
    return st.fixed_dictionaries({
        "title": words, "summary": st.one_of(typed(), st.none()), "group_name": words,
        "group_kind": st.sampled_from(_offered(form, "group_kind") + ["", "Company", None]),
        "place": words,
        "theme": st.sampled_from(_offered(form, "theme") + ["", "Roads", None]),
        "cost": st.one_of(SPEND, st.sampled_from([None, Decimal("NaN"), Decimal("Infinity"),
                                                  Decimal("1.005"), "100", 250.5]))})


@PROPERTY
@given(which=st.sampled_from(["ruled", "plain"]), careful=st.booleans(), data=st.data())
def test_a_residents_bid_is_kept_as_given_or_refused_beside_its_box(open_for_bids, which,
                                                                   careful, data):
    processes, check = open_for_bids
    process = processes[which]
    fields = data.draw(careful_bid(process) if careful else any_bid(process))
    form = forms.BidForm(process=process)
    before = written(Bid)
    try:
        bid = services.submit_bid(None, process, contact_check=check, **fields)
    except ValidationError as refusal:
        event("refused")
        keyed_to(refusal, form)
        assert written(Bid) == before
        return
    event("kept")
    saved = Bid.objects.get(pk=bid.pk)
    for name in ("title", "summary", "group_name", "place"):
        assert isinstance(fields[name], str) and getattr(saved, name) == fields[name].strip()
        assert getattr(saved, name), name
    # A theme left out (where the form has no theme box) is no theme.
    assert (saved.group_kind, saved.theme, saved.cost) == (
        fields["group_kind"], fields["theme"] or "", fields["cost"])
    assert saved.group_kind in _offered(form, "group_kind")
    assert saved.theme in _offered(form, "theme")
    assert 0 < saved.cost <= (process.max_bid or process.budget)
    assert saved.status == Bid.Status.SUBMITTED and saved.contact_email == check.address
    assert written(Bid)[0] == before[0] + 1


def _bidder(client, check):
    from soclocal.budgeting.public_views import SESSION_KEY

    session = client.session
    session[SESSION_KEY] = check.pk
    session.save()


def careful_bid_post(process):
    return careful_bid(process).map(lambda f: {
        "csrfmiddlewaretoken": "token", **{k: str(v) for k, v in f.items()}})


@PAGE
@given(which=st.sampled_from(["ruled", "plain"]), data=st.data())
def test_posting_anything_as_a_bid_keeps_it_or_shows_it_again(open_for_bids, client, which,
                                                              data):
    processes, check = open_for_bids
    process = processes[which]
    _bidder(client, check)
    form = forms.BidForm(process=process)
    post = data.draw(st.one_of(posts(form), careful_bid_post(process)))
    before = Bid.objects.count()
    response, taken = post_is_handled(
        client, reverse("community:bid_new", args=[process.slug]), post, models=(Bid,),
        taken=(200,), refused=(200, 400))
    event("kept" if taken else "refused")
    if taken:
        bid = Bid.objects.latest("pk")
        assert Bid.objects.count() == before + 1 and bid.reference in response.content.decode()
        assert (bid.title, bid.place, str(bid.cost)) == (
            post["title"].strip(), post["place"].strip(), str(Decimal(post["cost"])))


def test_a_bid_in_welsh_that_is_refused_is_shown_again_in_welsh(open_for_bids, client,
                                                                 settings):
    processes, check = open_for_bids
    process = processes["ruled"]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    _bidder(client, check)
    post = {"title": "Gardd", "summary": "Plannu", "group_name": "Grŵp", "group_kind": "Charity",
            "place": "Parc", "theme": "Youth", "cost": "99999"}
    response, taken = post_is_handled(
        client, reverse("community:bid_new", args=[process.slug]), post, models=(Bid,),
        taken=(200,), refused=(200, 400))
    assert not taken and '<html lang="cy"' in response.content.decode()
    assert "cost" in response.context["form"].errors
    post["cost"] = "2500"
    response, taken = post_is_handled(
        client, reverse("community:bid_new", args=[process.slug]), post, models=(Bid,),
        taken=(200,), refused=(200, 400))
    assert taken and Bid.objects.get().language == "cy"


# A resident's ballot ------------------------------------------------------------------------
# Each ballot kind, with the process's limits on choices and points; a code that may be fresh,
# typed loosely, already used or wrong. A refused ballot keeps nothing and leaves the code
# unspent, so the voter can try again.

BALLOT_RULES = st.fixed_dictionaries({
    "ballot_kind": st.sampled_from(BallotKind.values), "min_choices": st.integers(0, 2),
    "max_choices": st.sampled_from([None, 2, 3]), "max_points": st.sampled_from([None, 10])})
REFS = ["1", "2", "3"]


def careful_choices(kind):
    if kind == BallotKind.CUMULATIVE:
        return st.dictionaries(st.sampled_from(REFS), st.integers(1, 4), min_size=1)
    return st.lists(st.sampled_from(REFS), min_size=1, max_size=3, unique=True)


def any_choices(kind):
    refs = st.sampled_from(REFS + ["4", "", "1 ", "99"])
    if kind == BallotKind.CUMULATIVE:
        return st.one_of(st.dictionaries(refs, st.one_of(
            st.integers(-2, 12), st.sampled_from([10**8, 10**9, 2**31, 10**20, "abc", "7",
                                                  2.5, None, True, Decimal("NaN")])),
            max_size=4), st.lists(refs, max_size=3))
    return st.one_of(st.lists(refs, max_size=5), st.dictionaries(refs, st.integers(0, 3),
                                                                 max_size=2))


def _voter_code(process, which):
    [fresh] = services.issue_voter_codes(None, process, 1)
    if which == "used":
        [spent] = services.issue_voter_codes(None, process, 1)
        VoterCode.objects.filter(code=spent).update(used_at=timezone.now())
        return fresh, spent
    typed_as = {"fresh": fresh, "loosely": f" {fresh[:4].lower()}-{fresh[4:]} ",
                "wrong": "ABCD2345", "empty": "", "none": None, "number": 12345678}[which]
    return fresh, typed_as


def _ballot_read_back(ballot):
    return [(c.bid.reference, c.points) for c in ballot.choices.order_by("position")]


@PROPERTY
@given(rules=BALLOT_RULES, careful=st.booleans(),
       which=st.sampled_from(["fresh", "fresh", "loosely", "used", "wrong", "empty", "none",
                              "number"]), data=st.data())
def test_a_ballot_is_counted_as_cast_or_refused_with_nothing_kept_and_the_code_unspent(
        voting_process, rules, careful, which, data):
    from soclocal.budgeting.models import Ballot, Choice

    Process.objects.filter(pk=voting_process.pk).update(**rules)
    process = Process.objects.get(pk=voting_process.pk)
    kind = process.ballot_kind
    choices = data.draw(careful_choices(kind) if careful else any_choices(kind))
    fresh, code = _voter_code(process, which)
    form = forms.VoteForm(process=process,
                          bids=process.bids.filter(status=Bid.Status.ACCEPTED).order_by("pk"))
    before = written(Ballot, Choice)
    try:
        ballot = services.cast_ballot(process, code, choices)
    except services.VoteRefused as refusal:
        event("refused")
        assert str(refusal).strip() and refusal.field in set(form.fields) | {None}
        assert written(Ballot, Choice) == before
        assert VoterCode.objects.get(code=fresh).used_at is None
        return
    event("kept")
    assert which in ("fresh", "loosely")
    assert VoterCode.objects.get(code=fresh).used_at is not None
    given_ = (list(choices.items()) if kind == BallotKind.CUMULATIVE
              else [(ref, 1) for ref in choices])
    given_ = [(ref, points) for ref, points in given_ if points]
    assert _ballot_read_back(Ballot.objects.get(pk=ballot.pk)) == given_
    # What was counted is a ballot the process's rules allow.
    assert {ref for ref, _ in given_} <= set(REFS)
    assert len(given_) >= process.min_choices
    assert process.max_choices is None or len(given_) <= process.max_choices
    if kind == BallotKind.CUMULATIVE and process.max_points:
        assert sum(points for _, points in given_) <= process.max_points
    if kind == BallotKind.BASKET:
        assert sum(Bid.objects.get(process=process, reference=ref).cost
                   for ref, _ in given_) <= process.budget


def careful_ballot_post(form, code):
    """A ballot as a voter who has read the page fills it in, with their code."""
    kind = form.process.ballot_kind
    if kind in (BallotKind.APPROVAL, BallotKind.BASKET):
        picks = st.lists(st.sampled_from(REFS), min_size=1, max_size=2, unique=True).map(
            lambda refs: {"choices": refs})
    elif kind == BallotKind.RANKED:
        picks = st.permutations(REFS).flatmap(lambda refs: st.integers(1, 2).map(
            lambda n: {f"bid_{ref}": str(i + 1) for i, ref in enumerate(refs[:n])}))
    else:
        picks = st.dictionaries(st.sampled_from(REFS), st.integers(1, 2).map(str),
                                min_size=1, max_size=2).map(lambda d: {f"bid_{k}": v for k, v in d.items()})
    return picks.map(lambda p: {"csrfmiddlewaretoken": "token", "code": code, **p})


@PAGE
@given(kind=st.sampled_from(BallotKind.values), data=st.data())
def test_posting_anything_as_a_ballot_counts_it_or_shows_it_again(voting_process, client,
                                                                 kind, data):
    from soclocal.budgeting.models import Ballot, Choice

    Process.objects.filter(pk=voting_process.pk).update(ballot_kind=kind, max_points=5,
                                                        max_choices=2)
    process = Process.objects.get(pk=voting_process.pk)
    [code] = services.issue_voter_codes(None, process, 1)
    form = forms.VoteForm(process=process,
                          bids=process.bids.filter(status=Bid.Status.ACCEPTED).order_by("pk"))
    # Half as a careful voter fills it in, so that counting is checked as often as refusing.
    post = data.draw(careful_ballot_post(form, code) if data.draw(st.booleans())
                     else st.one_of(posts(form, fixed={"code": code}), posts(form)))
    before = Ballot.objects.count()
    _response, taken = post_is_handled(
        client, reverse("community:vote", args=[process.slug]), post,
        models=(Ballot, Choice, VoterCode), refused=(200, 400))
    event("kept" if taken else "refused")
    spent = VoterCode.objects.get(code=code).used_at is not None
    assert spent == taken and Ballot.objects.count() == before + taken


def test_a_ballot_in_welsh_that_is_refused_is_shown_again_in_welsh(voting_process, client,
                                                                    settings):
    from soclocal.budgeting.models import Ballot

    [code] = services.issue_voter_codes(None, voting_process, 1)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    url = reverse("community:vote", args=[voting_process.slug])
    for post in ({"code": code, "choices": ["1", "2", "3", "1"]}, {"code": "ABCD2345",
                                                                   "choices": ["1"]},
                 {"code": code}):
        response, taken = post_is_handled(client, url, post, models=(Ballot,),
                                          refused=(200, 400))
        assert not taken and '<html lang="cy"' in response.content.decode()
    _response, taken = post_is_handled(client, url, {"code": code.lower(), "choices": ["1"]},
                                       models=(Ballot,), refused=(200, 400))
    assert taken and VoterCode.objects.get(code=code).used_at is not None


def test_more_points_than_the_ballot_can_hold_are_refused_beside_the_bid(voting_process,
                                                                         codes):
    from soclocal.budgeting.models import Ballot

    Process.objects.filter(pk=voting_process.pk).update(ballot_kind=BallotKind.CUMULATIVE,
                                                        max_points=None)
    voting_process.refresh_from_db()
    [code] = codes(1)
    for points in (10**9, Decimal("NaN"), "inf"):
        with pytest.raises(services.VoteRefused) as refusal:
            services.cast_ballot(voting_process, code, {"1": 2, "2": points})
        assert refusal.value.field == "bid_2"
    for typed_as in (None, 12345678, " - "):
        with pytest.raises(services.VoteRefused) as refusal:
            services.cast_ballot(voting_process, typed_as, {"1": 2})
        assert refusal.value.field == "code"
    assert not Ballot.objects.exists() and VoterCode.objects.get(code=code).used_at is None
    ballot = services.cast_ballot(voting_process, code, {"1": 2, "2": 99_999_999})
    assert _ballot_read_back(ballot) == [("1", 2), ("2", 99_999_999)]


def test_a_bid_with_a_box_left_blank_or_a_choice_never_offered_is_refused_beside_it(
        open_for_bids):
    processes, check = open_for_bids
    whole = {"title": " Garden ", "summary": "Planting", "group_name": "Friends",
             "group_kind": "Charity", "place": "Park", "theme": "Youth",
             "cost": Decimal(2500)}
    for change, box in (({"title": "   "}, "title"), ({"summary": None}, "summary"),
                        ({"place": 5}, "place"), ({"theme": ""}, "theme"),
                        ({"group_kind": None}, "group_kind"), ({"cost": Decimal("1.005")}, "cost"),
                        ({"cost": Decimal("NaN")}, "cost"), ({"cost": "100"}, "cost")):
        with pytest.raises(ValidationError) as refusal:
            services.submit_bid(None, processes["ruled"], contact_check=check,
                                **{**whole, **change})
        assert list(refusal.value.message_dict) == [box], change
    # A process naming no kinds of group takes the form's usual kinds, and no theme.
    plain = processes["plain"]
    for change in ({"group_kind": "Company"}, {"theme": "Youth"}):
        with pytest.raises(ValidationError):
            services.submit_bid(None, plain, contact_check=check, **{**whole, **change})
    assert not Bid.objects.exists()
    bid = services.submit_bid(None, plain, contact_check=check,
                              **{**whole, "group_kind": "Residents' association", "theme": ""})
    assert (bid.title, bid.group_kind) == ("Garden", "Residents' association")
