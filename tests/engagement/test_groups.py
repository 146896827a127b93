"""A community group's space is its own; priorities are chosen by Schulze's method."""

from django.urls import reverse

from soclocal.core.access import Role
from soclocal.core.models import AuditEvent
from soclocal.engagement import selectors, services


def test_a_group_sees_only_its_own_space(client, make_user):
    mine, theirs = make_user(Role.COMMUNITY_FACILITATOR), make_user(Role.COMMUNITY_FACILITATOR)
    group = services.create_group(mine, name="Meadows mums")
    other = services.create_group(theirs, name="Bulwell youth voice")
    assert list(selectors.groups_for(mine)) == [group]
    client.force_login(mine)
    assert client.get(reverse("engagement:group", args=[group.pk])).status_code == 200
    assert client.get(reverse("engagement:group", args=[other.pk])).status_code == 404
    assert AuditEvent.objects.filter(action="access.denied", actor_id=mine.pk).exists()
    admin = make_user(Role.PARTNERSHIP_ADMIN)
    assert set(selectors.groups_for(admin)) == {group, other}


def test_members_propose_and_rank_priorities(client, make_user):
    facilitator = make_user(Role.COMMUNITY_FACILITATOR)
    group = services.create_group(facilitator, name="Estate group")
    client.force_login(facilitator)
    url = reverse("engagement:group", args=[group.pk])
    for title in ("Lighting", "Youth club", "Litter"):
        client.post(url, {"what": "priority", "priority-title": title})
    client.post(url, {"what": "member", "member-name": "Sunny"})
    lighting, club, litter = group.priorities.all()
    rankings = [(club, lighting, litter)] * 3 + [(lighting, litter, club)] * 2 + [
        (litter, lighting, club)] * 2
    for ranking in rankings:
        data = {"what": "ranking"}
        data.update({f"ranking-p{p.pk}": str(i + 1) for i, p in enumerate(ranking)})
        assert client.post(url, data).status_code == 302
    # Club has most first preferences, but Lighting beats each other priority head to head.
    assert selectors.priority_ranking(group) == [[lighting], [litter], [club]]
    page = client.get(url).content.decode()
    assert "Sunny" in page and "7 rankings" in page
    repeat = client.post(url, {"what": "ranking", f"ranking-p{club.pk}": "1",
                               f"ranking-p{litter.pk}": "1"})
    assert "different rank" in repeat.content.decode()
    client.post(url, {"what": "priority", "priority-title": "Buses"})
    assert group.priorities.count() == 3  # no new priorities once ranking has begun


def test_the_group_page_shows_its_own_bids_and_their_outcome(client, make_user):
    from decimal import Decimal

    from soclocal.budgeting import services as pb
    from soclocal.budgeting.models import Bid, Process, Result

    mine, theirs = make_user(Role.COMMUNITY_FACILITATOR), make_user(Role.COMMUNITY_FACILITATOR)
    group = services.create_group(mine, name="Meadows mums")
    other = services.create_group(theirs, name="Bulwell youth voice")
    process = Process.objects.create(name="Youth fund", slug="youth-fund", budget=Decimal(9000),
                                     status=Process.Status.RESULTS)
    bids = {}
    for ref, title, owner in [("1", "Parents' drop-in", group), ("2", "Summer trips", group),
                              ("3", "Bulwell gym", other)]:
        bids[ref] = Bid.objects.create(process=process, reference=ref, title=title,
                                       cost=Decimal(2500))
        pb.moderate_bid(mine, bids[ref], decision="accept", community_group=owner)
    Result.objects.create(process=process, ballots=40, published=True, funded=["1", "3"])
    client.force_login(mine)
    page = client.get(reverse("engagement:group", args=[group.pk])).content.decode()
    assert "Parents&#x27; drop-in" in page and "Summer trips" in page
    assert "Bulwell gym" not in page
    assert page.count(">Funded<") == 1 and page.count(">Not funded<") == 1


def test_a_group_bid_not_put_on_the_ballot_shows_why_not_a_result(client, make_user):
    from decimal import Decimal

    from soclocal.budgeting import services as pb
    from soclocal.budgeting.models import Bid, Process, Result

    facilitator = make_user(Role.COMMUNITY_FACILITATOR)
    group = services.create_group(facilitator, name="Meadows mums")
    process = Process.objects.create(name="Youth fund", slug="youth-fund", budget=Decimal(9000),
                                     status=Process.Status.BIDDING)
    decisions = [("1", "accept", ""), ("2", "ineligible", "Outside the area"),
                 ("3", "reject", "Asked twice")]
    for ref, decision, reason in decisions:
        bid = Bid.objects.create(process=process, reference=ref, title=f"Bid {ref}",
                                 cost=Decimal(2500))
        pb.moderate_bid(facilitator, bid, decision=decision, reason=reason,
                        community_group=group)
    client.force_login(facilitator)
    page = client.get(reverse("engagement:group", args=[group.pk])).content.decode()
    assert page.count("results not published yet") == 1  # only the bid on the ballot
    assert ">Not eligible</td>" in page and ">Not accepted</td>" in page
    Result.objects.create(process=process, ballots=40, published=True, funded=["1"])
    page = client.get(reverse("engagement:group", args=[group.pk])).content.decode()
    # Bids that were never on the ballot are not "Not funded".
    assert page.count(">Funded<") == 1 and ">Not funded<" not in page
