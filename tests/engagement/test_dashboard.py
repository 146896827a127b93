"""The key facts suppress small counts, and the counts that would reveal them."""

from decimal import Decimal

from django.urls import reverse

from soclocal.areas.models import Area, AreaType
from soclocal.budgeting.models import Ballot, Bid, Process
from soclocal.core.access import Role
from soclocal.engagement.selectors import key_facts


def make_process(name, area, voters, bids):
    process = Process.objects.create(name=name, slug=name.lower(), budget=Decimal(1000),
                                     area=area)
    for n in range(bids):
        Bid.objects.create(process=process, reference=str(n), title=f"Bid {n}", cost=Decimal(10))
    Ballot.objects.bulk_create([Ballot(process=process) for _ in range(voters)])


def test_small_counts_and_their_giveaways_are_hidden(client, make_user):
    wards = [Area.objects.create(type=AreaType.WARD, code=f"E0500000{i}", name=f"Ward {i}")
             for i in range(3)]
    make_process("North", wards[0], voters=40, bids=3)
    make_process("South", wards[1], voters=2, bids=12)
    make_process("East", wards[2], voters=30, bids=9)
    facts = key_facts()
    voters = {r["area"]: r["cells"][2] for r in facts["rows"]}
    assert voters["Ward 1"] == "[c]"
    # With the total shown, one more voter count must be hidden too.
    assert list(voters.values()).count("[c]") == 2 and facts["totals"][2] == 72
    client.force_login(make_user(Role.BOARD_MEMBER))
    page = client.get(reverse("engagement:home")).content.decode()
    assert "[c]" in page and ">2<" not in page


def test_event_participants_are_counted_by_area(db, make_user):
    import datetime

    from soclocal.engagement import services
    from soclocal.engagement.models import Event

    facilitator = make_user(Role.COMMUNITY_FACILITATOR)
    for n, kind in enumerate([Event.Kind.WORLD_CAFE, Event.Kind.WORLD_CAFE,
                              Event.Kind.CO_INQUIRY]):
        services.create_event(facilitator, kind=kind, title=f"E{n}",
                              date=datetime.date(2025, 1, 1 + n), community_representatives=30,
                              agency_participants=10)
    facts = key_facts(2025)
    row = facts["rows"][0]
    assert row["area"] == "Whole partnership" and row["cells"][:2] == [80, 40]
    assert key_facts(2024)["rows"] == []
