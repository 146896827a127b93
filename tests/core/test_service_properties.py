"""Properties of the services behind the public and partner forms, for any input a form can
send: each call either does all it says (one record, its audit event) or refuses with a clear
message and writes nothing."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from soclocal.core.access import Role
from soclocal.core.models import AuditEvent

PROPERTY = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])
# What a text box can send: any characters (no NUL, which a browser cannot type), up to the
# form's length.
text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
               max_size=120)
name = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
               max_size=100)


def written(*models):
    return tuple(m.objects.count() for m in models) + (AuditEvent.objects.count(),)


# Budgeting: a bid ----------------------------------------------------------------------------

@pytest.fixture
def bidding(db):
    from soclocal.budgeting.models import ContactCheck, Process

    process = Process.objects.create(name="Fund", slug="fund", budget=Decimal(10000),
                                     max_bid=Decimal(3000), status=Process.Status.BIDDING,
                                     themes="Youth\nParks",
                                     eligible_group_kinds="charity\ngroup")
    check = ContactCheck.objects.create(channel=ContactCheck.Channel.EMAIL,
                                        address="group@example.org", code_hash="x",
                                        verified_at=timezone.now())
    return process, check


@PROPERTY
@given(cost=st.one_of(st.none(), st.decimals(min_value=-10**6, max_value=10**6, places=2,
                                               allow_nan=False)),
       group_kind=st.sampled_from(["", "charity", "group", "company"]),
       theme=st.sampled_from(["", "Youth", "Parks", "Roads"]), title=text, summary=text)
def test_a_bid_is_taken_whole_if_eligible_and_otherwise_refused_with_nothing_kept(
        bidding, cost, group_kind, theme, title, summary):
    from soclocal.budgeting import services
    from soclocal.budgeting.models import Bid

    process, check = bidding
    before = written(Bid)
    # Every box the bid form requires filled in, with a choice it offers.
    eligible = (cost is not None and 0 < cost <= process.max_bid
                and group_kind in ("charity", "group") and theme in ("Youth", "Parks")
                and title.strip() and summary.strip())
    try:
        bid = services.submit_bid(None, process, contact_check=check, title=title,
                                  summary=summary, group_name="Group", group_kind=group_kind,
                                  place="Park", theme=theme, cost=cost)
    except ValidationError as refusal:
        assert not eligible and refusal.messages and all(refusal.messages)
        assert written(Bid) == before
        return
    assert eligible
    # The bid, its audit event and the receipt sent to the bidder's verified address.
    assert written(Bid) == (before[0] + 1, before[1] + 2)
    assert set(AuditEvent.objects.filter(object_id=str(bid.pk)).values_list(
        "action", flat=True)) >= {"budgeting.bid_submitted", "budgeting.bid_receipt_sent"}
    bid.refresh_from_db()
    assert bid.cost == cost and bid.contact_email == "group@example.org"
    assert bid.status == Bid.Status.SUBMITTED


# Budgeting: a vote ---------------------------------------------------------------------------

@pytest.fixture
def voting_process(db):
    """Open for votes: three bids on an approval ballot, one to three choices."""
    from soclocal.budgeting.models import Bid, Process

    process = Process.objects.create(name="Meadows fund", slug="meadows-fund",
                                     budget=Decimal(10000), status=Process.Status.VOTING,
                                     min_choices=1, max_choices=3)
    for ref, cost in (("1", 4000), ("2", 5000), ("3", 3000)):
        Bid.objects.create(process=process, reference=ref, title=f"Bid {ref}",
                           cost=Decimal(cost), status=Bid.Status.ACCEPTED)
    return process


refs = st.lists(st.sampled_from(["1", "2", "3", "4", "99", "", "1 "]), max_size=6)


@PROPERTY
@given(choices=refs)
def test_a_ballot_is_counted_once_with_its_choices_or_refused_with_nothing_kept(
        voting_process, choices):
    from soclocal.budgeting import services
    from soclocal.budgeting.models import Ballot, Choice, VoterCode
    from soclocal.budgeting.services import VoteRefused

    [issued] = services.issue_voter_codes(None, voting_process, 1)
    code = VoterCode.objects.get(process=voting_process,
                                 code=services.normalise_code(getattr(issued, "code", issued)))
    before = written(Ballot, Choice)
    valid = (len(set(choices)) == len(choices) and 1 <= len(choices) <= 3
             and set(choices) <= {"1", "2", "3"})
    try:
        ballot = services.cast_ballot(voting_process, code.code, choices)
    except VoteRefused as refusal:
        assert str(refusal)
        assert written(Ballot, Choice) == before
        assert VoterCode.objects.get(pk=code.pk).used_at is None
        return
    assert valid, choices
    assert [c.bid.reference for c in ballot.choices.order_by("position")] == choices
    assert written(Ballot, Choice)[0] == before[0] + 1
    assert VoterCode.objects.get(pk=code.pk).used_at is not None
    # The same code never counts twice.
    with pytest.raises(VoteRefused):
        services.cast_ballot(voting_process, code.code, choices)


# Cases: a referral ---------------------------------------------------------------------------

@pytest.fixture
def referrers(make_user):
    return {"practitioner": make_user(Role.PRACTITIONER), "manager": make_user(Role.MANAGER)}


REASONS = ["criminal_exploitation", "sexual_exploitation", "missing"]


@PROPERTY
@given(who=st.sampled_from(["practitioner", "manager"]),
       age_days=st.integers(min_value=0, max_value=30 * 365),
       first=name.filter(str.strip), last=name, reasons=st.lists(st.sampled_from(REASONS),
                                                                 max_size=3, unique=True),
       consent=st.booleans(), basis=st.sampled_from(["consent", "public_task"]),
       basis_reason=text, override=text)
def test_a_referral_makes_a_case_whole_or_refuses_naming_the_field(
        referrers, who, age_days, first, last, reasons, consent, basis, basis_reason, override):
    from soclocal.cases import services
    from soclocal.cases.models import Case, Referral, YoungPerson

    actor = referrers[who]
    born = timezone.localdate() - timedelta(days=age_days)
    before = written(YoungPerson, Case, Referral)
    data = {"source": "police", "referrer_name": "PC Example", "reasons": reasons,
            "young_person_consents_to_service": consent, "lawful_basis": basis,
            "lawful_basis_reason": basis_reason, "age_override_reason": override}
    try:
        referral = services.record_referral(
            actor, person={"first_name": first, "last_name": last, "date_of_birth": born},
            **data)
    except ValidationError as refusal:
        assert refusal.messages and all(refusal.messages)
        assert written(YoungPerson, Case, Referral) == before
        return
    assert reasons and last
    assert written(YoungPerson, Case, Referral)[:3] == tuple(n + 1 for n in before[:3])
    age = referral.case.young_person.age_on(referral.received_at.date())
    if not 11 <= age <= 18:
        assert override.strip() and who == "manager"
    if basis == "consent":
        assert consent
    else:
        assert basis_reason.strip()


# Intelligence: a resident's report ----------------------------------------------------------

@pytest.fixture
def force(org):
    return org["police"]


@PROPERTY
@given(what=text, where=text, when=text, who=text, contact=st.sampled_from(
    ["", "ash@example.org", "07700 900123", "not a contact", "@"]),
    urgency=st.sampled_from(["routine", "urgent", "now", ""]),
    child=st.booleans())
def test_a_residents_report_reaches_the_force_whole_or_is_refused_with_nothing_kept(
        force, what, where, when, who, contact, urgency, child):
    from soclocal.intelligence import services
    from soclocal.intelligence.models import Submission

    Submission.objects.all().delete()  # the hourly limits count from empty each time
    before = written(Submission)
    try:
        sent = services.submit_community(what=what, where=where, when=when, who=who,
                                         contact=contact, urgency=urgency or "routine",
                                         child_at_risk=child, client_address="203.0.113.1")
    except ValidationError as refusal:
        assert refusal.messages and all(refusal.messages)
        assert written(Submission) == before
        return
    assert what.strip() and where.strip() and when.strip()
    assert sent.to_agency == force and sent.submitted_by is None
    assert sent.what == what.strip() and sent.reference.startswith("C-")
    assert written(Submission)[0] == before[0] + 1
    assert AuditEvent.objects.filter(action="intelligence.community.received",
                                     object_id=str(sent.pk)).exists()


# Text too long for its column ----------------------------------------------------------------

def test_text_too_long_for_its_column_is_refused_beside_the_field_on_every_database(org):
    from soclocal.accounts import services
    from soclocal.accounts.models import Agency

    before = written(Agency)
    with pytest.raises(ValidationError) as refusal:
        services.create_agency(None, name="y" * 201, kind="police")
    assert list(refusal.value.message_dict) == ["name"]
    assert "200 characters" in refusal.value.message_dict["name"][0]
    assert written(Agency) == before
