"""Votes are counted exactly once per code; ballots follow the process's rules."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from soclocal.budgeting import services
from soclocal.budgeting.models import Ballot, BallotKind, Process, VoterCode
from soclocal.core.models import AuditEvent


def test_a_code_votes_once_and_a_replay_is_refused(voting_process, codes):
    code = codes(1)[0]
    services.cast_ballot(voting_process, code, ["1", "3"])
    with pytest.raises(services.VoteRefused, match="already been used"):
        services.cast_ballot(voting_process, code.lower(), ["2"])
    assert Ballot.objects.count() == 1
    assert AuditEvent.objects.filter(action="budgeting.ballot_cast").count() == 1


def test_an_unknown_code_is_refused(voting_process, codes):
    codes(1)
    with pytest.raises(services.VoteRefused, match="not right"):
        services.cast_ballot(voting_process, "NOTACODE", ["1"])


def test_the_first_vote_locks_the_rules(voting_process, codes, facilitator):
    services.update_process(facilitator, voting_process, max_choices=2)
    services.cast_ballot(voting_process, codes(1)[0], ["1"])
    voting_process.refresh_from_db()
    assert voting_process.rules_locked_at is not None
    with pytest.raises(ValidationError, match="locked"):
        services.update_process(facilitator, voting_process, budget=Decimal(1))
    services.update_process(facilitator, voting_process, description="Still editable")


@pytest.mark.parametrize("kind,choices,message", [
    (BallotKind.APPROVAL, ["1", "1"], "only once"),
    (BallotKind.APPROVAL, ["9"], "not on this ballot"),
    (BallotKind.APPROVAL, [], "at least 1"),
    (BallotKind.BASKET, ["1", "2", "3"], "more than the budget"),
    (BallotKind.CUMULATIVE, {"1": 4, "2": 3}, "6 points at most"),
    (BallotKind.CUMULATIVE, {"1": "1.5"}, "whole numbers"),
])
def test_ballots_outside_the_rules_are_refused(voting_process, codes, kind, choices, message):
    voting_process.ballot_kind = kind
    voting_process.max_points = 6
    voting_process.save()
    code = codes(1)[0]
    with pytest.raises(services.VoteRefused, match=message):
        services.cast_ballot(voting_process, code, choices)
    # A refused ballot leaves the code unused.
    assert VoterCode.objects.get(code=code).used_at is None


def test_two_hundred_voters_each_counted_once(voting_process, codes):
    issued = codes(200)
    for i, code in enumerate(issued):
        services.cast_ballot(voting_process, code, [str(1 + i % 3)])
    for code in issued[:20]:
        with pytest.raises(services.VoteRefused):
            services.cast_ballot(voting_process, code, ["1"])
    assert Ballot.objects.count() == 200
    assert VoterCode.objects.filter(used_at__isnull=False).count() == 200
    election = services.election_of(voting_process)
    assert len(election.votes) == 200


@pytest.mark.django_db(transaction=True)
def test_concurrent_voters_and_replays_on_postgresql(org):
    """200 voters at once, each code sent twice at the same moment: 200 ballots, no more."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrency needs PostgreSQL's row locks; SQLite serialises writers")
    process = Process.objects.create(name="Rush", slug="rush", budget=Decimal(1000),
                                     status=Process.Status.VOTING)
    from soclocal.budgeting.models import Bid

    Bid.objects.create(process=process, reference="1", title="A", cost=Decimal(10),
                       status=Bid.Status.ACCEPTED)
    issued = services.issue_voter_codes(None, process, 200)
    outcomes = []
    start = threading.Barrier(20)

    def voter(batch):
        from django.db import connection as thread_connection

        start.wait()
        try:
            for code in batch:
                try:
                    services.cast_ballot(process, code, ["1"])
                    outcomes.append("counted")
                except services.VoteRefused:
                    outcomes.append("refused")
        finally:
            thread_connection.close()

    # Each code appears in two threads' batches, so every code is raced.
    batches = [issued[i::10] for i in range(10)] * 2
    threads = [threading.Thread(target=voter, args=(b,)) for b in batches]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("counted") == 200
    assert outcomes.count("refused") == 200
    assert Ballot.objects.filter(process=process).count() == 200


def test_replay_through_the_public_page(client, voting_process, codes):
    code = codes(1)[0]
    url = reverse("community:vote", args=[voting_process.slug])
    response = client.post(url, {"code": code, "choices": ["1", "2"]})
    assert response.status_code == 302
    assert response["Location"] == reverse("community:vote_done", args=[voting_process.slug])
    again = client.post(url, {"code": code, "choices": ["3"]})
    assert again.status_code == 400
    page = again.content.decode()
    assert "That voter code has already been used" in page
    assert "govuk-error-summary" in page
    assert Ballot.objects.count() == 1


def test_paper_ballots_are_merged_and_refuse_used_codes(client, voting_process, codes,
                                                        facilitator):
    online, paper = codes(2)
    services.cast_ballot(voting_process, online, ["1"])
    client.force_login(facilitator)
    url = reverse("budgeting:paper_ballot", args=[voting_process.pk])
    assert client.post(url, {"code": paper, "choices": ["2"]}).status_code == 302
    refused = client.post(url, {"code": online, "choices": ["3"]})
    assert "already been used" in refused.content.decode()
    assert sorted(Ballot.objects.values_list("channel", flat=True)) == ["online", "paper"]


def test_public_pages_show_no_contact_details(client, voting_process):
    for name in ("community:process", "community:vote", "community:results"):
        page = client.get(reverse(name, args=[voting_process.slug])).content.decode()
        assert "example.org" not in page
