from datetime import timedelta
from html import unescape

from django.urls import reverse
from django.utils import timezone

from soclocal.budgeting.models import Ballot, Bid, Process, Result, VoterCode
from soclocal.engagement.demo import (
    BIDDING_SLUG,
    DEMO_SLUG,
    DEMO_VOTER_CODES,
    VOTING_SLUG,
    load_demo_engagement,
)
from soclocal.engagement.models import Event, JoinRequest, Story


def test_the_demo_loads_once_and_its_public_pages_work(client, db):
    load_demo_engagement()
    load_demo_engagement()
    assert Process.objects.count() == 3
    past = Process.objects.get(slug=DEMO_SLUG)
    assert Ballot.objects.filter(process=past).count() == 120
    assert Result.objects.filter(published=True).count() == 1
    assert past.residents_who_planned == 40
    assert Bid.objects.filter(process=past, community_group__isnull=False).get() \
        .community_group.name == "St Ann's community voice"
    assert Story.objects.filter(status=Story.Status.PUBLISHED).count() == 2
    page = client.get(reverse("community:results", args=[DEMO_SLUG])).content.decode()
    assert "120 people voted" in page
    assert client.get(reverse("community:stories")).status_code == 200
    assert JoinRequest.objects.count() == 1


def test_the_demo_has_a_process_taking_bids_and_one_taking_votes_from_today(client, db):
    load_demo_engagement()
    today = timezone.localdate()
    bidding = Process.objects.get(slug=BIDDING_SLUG)
    voting = Process.objects.get(slug=VOTING_SLUG)
    assert bidding.status == Process.Status.BIDDING and bidding.bids_close > today
    assert voting.status == Process.Status.VOTING and voting.voting_close >= today
    assert bidding.bids.filter(status=Bid.Status.SUBMITTED).count() == 2
    home = unescape(client.get(reverse("community:home")).content.decode())
    assert "Sneinton safer streets fund" in home and "St Ann's youth spaces vote" in home
    # A World Café to come, and the group to ask to join.
    assert Event.objects.filter(kind=Event.Kind.WORLD_CAFE, date__gte=today).exists()
    assert "World Café: what would make the Meadows safer?" in home
    assert "St Ann's community voice" in home
    page = client.get(reverse("community:bid_start", args=[BIDDING_SLUG]))
    assert page.status_code == 200 and "Send the code" in page.content.decode()

    counted = voting.ballots.count()
    assert f"{counted} votes cast so far" in client.get(
        reverse("community:process", args=[VOTING_SLUG])).content.decode()
    response = client.post(reverse("community:vote", args=[VOTING_SLUG]),
                           {"code": DEMO_VOTER_CODES[0].lower(), "choices": ["1"]})
    assert response.status_code == 302
    done = client.get(response["Location"]).content.decode()
    assert f"{counted + 1} votes cast so far, yours included" in done


def test_running_the_demo_again_keeps_it_open_and_keeps_codes_to_try(db):
    load_demo_engagement()
    voting = Process.objects.get(slug=VOTING_SLUG)
    ballots = voting.ballots.count()
    # Weeks later: the closing date has passed and every code has been used.
    Process.objects.filter(pk=voting.pk).update(
        voting_close=timezone.localdate() - timedelta(days=3))
    VoterCode.objects.filter(process=voting).update(used_at=timezone.now())
    load_demo_engagement()
    voting.refresh_from_db()
    assert voting.voting_close >= timezone.localdate()
    assert voting.ballots.count() == ballots  # nothing already there is undone
    assert voting.voter_codes.filter(used_at__isnull=True).count() >= 5
    assert Process.objects.count() == 3


def test_codes_to_try_are_listed_to_facilitators_in_the_demo_only(client, db, make_user,
                                                                   settings):
    from soclocal.core.access import Role

    load_demo_engagement()
    voting = Process.objects.get(slug=VOTING_SLUG)
    client.force_login(make_user(Role.COMMUNITY_FACILITATOR))
    page = client.get(reverse("budgeting:process", args=[voting.pk])).content.decode()
    assert "Voter codes to try (demo only)" in page
    assert DEMO_VOTER_CODES[0] in page
    # A process not open for votes lists none, and production never does.
    bidding = Process.objects.get(slug=BIDDING_SLUG)
    assert "to try" not in client.get(reverse("budgeting:process", args=[bidding.pk])) \
        .content.decode()
    settings.PRODUCTION = True
    page = client.get(reverse("budgeting:process", args=[voting.pk])).content.decode()
    assert "to try" not in page and DEMO_VOTER_CODES[0] not in page
