"""Moderation: matching a bid to a community group, and telling the bidder the decision."""

from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from soclocal.budgeting import selectors, services
from soclocal.budgeting.models import Bid, Process, Result
from soclocal.core.models import AuditEvent
from soclocal.engagement.models import CommunityGroup


@pytest.fixture
def bidding(facilitator):
    process = services.create_process(facilitator, name="Meadows fund", budget=Decimal(10000),
                                      status=Process.Status.BIDDING)
    bid = Bid.objects.create(process=process, reference="1", title="Friday football",
                             group_name="  meadows   youth ", cost=Decimal(3000),
                             contact_email="coach@example.org")
    return process, bid


def test_staff_match_a_bid_to_a_group_and_it_shows_on_the_bid_and_results(
        client, facilitator, bidding):
    process, bid = bidding
    group = CommunityGroup.objects.create(name="Meadows Youth")
    CommunityGroup.objects.create(name="Clifton Residents")
    client.force_login(facilitator)
    url = reverse("budgeting:bid_moderate", args=[process.pk, bid.pk])
    page = client.get(url).content.decode()
    # The name the bidder typed is offered as the match, whatever its case and spacing.
    assert f'<option value="{group.pk}" selected>Meadows Youth</option>' in page
    client.post(url, {"decision": "accept", "community_group": str(group.pk)})
    bid.refresh_from_db()
    assert bid.community_group == group and bid.status == Bid.Status.ACCEPTED
    event = AuditEvent.objects.filter(action="budgeting.bid_moderated").last()
    assert event.detail["community_group"] == group.pk
    detail = client.get(reverse("budgeting:process", args=[process.pk])).content.decode()
    assert "Community group: Meadows Youth" in detail

    Result.objects.create(process=process, rule="greedy", ballots=1, funded=["1"],
                          support={"1": "1"}, reasons={"1": "Funded"})
    results = client.get(reverse("budgeting:results", args=[process.pk])).content.decode()
    assert "Community group: Meadows Youth" in results
    api = client.get(f"/api/v1/budgeting/processes/{process.pk}/result").json()
    assert api["bids"][0]["community_group"] == "Meadows Youth"


def test_a_bid_can_be_left_unmatched_and_an_unknown_group_is_refused(
        client, facilitator, bidding):
    process, bid = bidding
    client.force_login(facilitator)
    url = reverse("budgeting:bid_moderate", args=[process.pk, bid.pk])
    for unknown in ("99999", "abc"):
        page = client.post(url, {"decision": "accept", "community_group": unknown})
        text = page.content.decode()
        assert "Choose a community group from the list" in text and "Select a valid" not in text
        assert 'value="accept" checked' in text  # the decision typed is kept
    client.post(url, {"decision": "accept", "community_group": ""})
    bid.refresh_from_db()
    assert bid.community_group is None and bid.status == Bid.Status.ACCEPTED


def test_bids_for_group_lists_the_groups_bids_and_whether_they_were_funded(
        facilitator, bidding):
    process, bid = bidding
    group = CommunityGroup.objects.create(name="Meadows Youth")
    other = Bid.objects.create(process=process, reference="2", title="Mural", cost=Decimal(500))
    services.moderate_bid(facilitator, bid, decision="accept", community_group=group)
    services.moderate_bid(facilitator, other, decision="accept", community_group=group)
    rows = selectors.bids_for_group(group)
    assert [r["title"] for r in rows] == ["Friday football", "Mural"]
    assert all(r["funded"] is None for r in rows)  # no published result yet
    result = Result.objects.create(process=process, rule="greedy", ballots=3, funded=["2"])
    services.publish_result(facilitator, result)
    assert {r["title"]: r["funded"] for r in selectors.bids_for_group(group)} == {
        "Friday football": False, "Mural": True}
    assert selectors.bids_for_group(CommunityGroup.objects.create(name="Other")) == []


def test_the_bidder_is_emailed_when_their_bid_is_accepted(facilitator, bidding):
    process, bid = bidding
    services.moderate_bid(facilitator, bid, decision="accept")
    [message] = mail.outbox
    assert message.to == ["coach@example.org"]
    assert "on the ballot" in message.subject
    assert '"Friday football"' in message.body and "reference 1" in message.body
    bid.refresh_from_db()
    assert bid.decision_sent_at is not None
    assert AuditEvent.objects.filter(action="budgeting.bid_decision_sent").count() == 1
    # Saving the same decision again does not email the bidder twice.
    services.moderate_bid(facilitator, bid, decision="accept")
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("decision, words", [
    ("ineligible", "does not meet this process's rules"),
    ("reject", "has not been accepted for the ballot"),
])
def test_the_bidder_is_told_why_a_bid_is_not_accepted(facilitator, bidding, decision, words):
    process, bid = bidding
    services.moderate_bid(facilitator, bid, decision=decision,
                          reason="The project is outside the Meadows area")
    [message] = mail.outbox
    assert words in message.body
    assert "The reason: The project is outside the Meadows area" in message.body
    # Only what the bidder gave us and the decision: no other bids, no staff names.
    assert facilitator.username not in message.body
    assert "meadows   youth" not in message.body


def test_a_refusal_needs_a_reason_and_sends_nothing(facilitator, bidding):
    _, bid = bidding
    with pytest.raises(ValidationError, match="Give the reason"):
        services.moderate_bid(facilitator, bid, decision="reject", reason="  ")
    assert mail.outbox == []


def test_a_failed_email_keeps_the_decision_and_tells_staff(client, facilitator, bidding,
                                                           settings):
    process, bid = bidding
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there
    client.force_login(facilitator)
    response = client.post(reverse("budgeting:bid_moderate", args=[process.pk, bid.pk]),
                           {"decision": "accept"}, follow=True)
    assert "We could not send the bidder the decision" in response.content.decode()
    bid.refresh_from_db()
    assert bid.status == Bid.Status.ACCEPTED and bid.decision_sent_at is None


def test_a_bidder_who_gave_a_mobile_is_sent_a_text(facilitator, bidding, text_messages):
    _, bid = bidding
    bid.contact_email, bid.contact_phone = "", "+447700900123"
    bid.save()
    services.moderate_bid(facilitator, bid, decision="reject", reason="The fund is for youth")
    [text] = text_messages
    assert text.to == "+447700900123" and "The fund is for youth" in text.body
    assert mail.outbox == []
