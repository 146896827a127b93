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
    at = facts["keys"].index("voters")
    voters = {r["area"]: r["cells"][at] for r in facts["rows"]}
    assert voters["Ward 1"] == "[c]"
    # With the total shown, one more voter count must be hidden too.
    assert list(voters.values()).count("[c]") == 2 and facts["totals"][at] == 72
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


def _world():
    """Two wards, events and processes in 2024 and 2025, with numbers big enough to show."""
    import datetime

    from soclocal.budgeting.models import Result
    from soclocal.engagement.models import Event

    north, south = (Area.objects.create(type=AreaType.WARD, code=f"E0510000{i}", name=name)
                    for i, name in enumerate(["North ward", "South ward"]))
    for area, year, people in [(north, 2024, 30), (north, 2025, 45), (south, 2025, 60)]:
        Event.objects.create(kind=Event.Kind.WORLD_CAFE, title=f"Café {area} {year}",
                             date=datetime.date(year, 6, 1), area=area,
                             community_representatives=people, agency_participants=5)
    Event.objects.create(kind=Event.Kind.CO_INQUIRY, title="Inquiry", area=north,
                         date=datetime.date(2025, 2, 1), community_representatives=8,
                         justice_partners=2)
    plan = [("N24", north, 2024, 12, 20, 6), ("N25", north, 2025, 15, 50, 8),
            ("S25", south, 2025, 9, 40, 7)]
    for slug, area, year, planners, voters, bids in plan:
        make_process(slug, area, voters=voters, bids=bids)
        process = Process.objects.get(slug=slug.lower())
        process.residents_who_planned = planners
        process.voting_close = datetime.date(year, 9, 30)
        process.save()
        # The first five bids are funded in every process.
        Result.objects.create(process=process, ballots=voters, published=True,
                              funded=[str(n) for n in range(5)])
    return north, south


def _independent(area=None, date_from=None, date_to=None):
    """The same figures counted straight from the records."""
    from soclocal.engagement.models import Event

    events = Event.objects.all()
    processes = Process.objects.all()
    if area:
        events, processes = events.filter(area=area), processes.filter(area=area)
    if date_from:
        events = events.filter(date__gte=date_from)
        processes = processes.filter(voting_close__gte=date_from)
    if date_to:
        events = events.filter(date__lte=date_to)
        processes = processes.filter(voting_close__lte=date_to)
    cafes = events.filter(kind=Event.Kind.WORLD_CAFE)
    return {
        "cafe": sum(e.participants for e in cafes),
        "planned": sum(p.residents_who_planned for p in processes),
        "voters": Ballot.objects.filter(process__in=processes).count(),
        "bids": Bid.objects.filter(process__in=processes).count(),
        "funded": 5 * processes.count(),
        "asked": sum(b.cost for b in Bid.objects.filter(process__in=processes)),
    }


def test_key_facts_equal_independent_counts_by_area_and_period(db):
    import datetime

    north, south = _world()
    cases = [{}, {"area": north}, {"area": south},
             {"date_from": datetime.date(2025, 1, 1), "date_to": datetime.date(2025, 12, 31)},
             {"area": north, "date_from": datetime.date(2024, 1, 1),
              "date_to": datetime.date(2024, 12, 31)}]
    for filters in cases:
        facts = key_facts(**filters)
        want = _independent(**filters)
        for key in ("cafe", "planned", "voters", "bids", "funded"):
            assert facts["totals"][facts["keys"].index(key)] == want[key], (filters, key)
        assert facts["asked"] == want["asked"]
    assert key_facts(2024)["totals"] == key_facts(
        date_from=datetime.date(2024, 1, 1), date_to=datetime.date(2024, 12, 31))["totals"]


def test_dashboard_filters_on_the_page(client, make_user):
    north, _south = _world()
    client.force_login(make_user(Role.BOARD_MEMBER))
    page = client.get(reverse("engagement:home"), {"area": north.pk, "year": "2025"})
    text = page.content.decode()
    assert "North ward, 2025" in text and "South ward</th>" not in text
    assert "Residents who planned" in text and ">15<" in text  # N25's planners


def test_small_counts_in_a_filtered_period_are_hidden(db):
    import datetime

    from soclocal.engagement.models import Event

    north, south = _world()
    Event.objects.create(kind=Event.Kind.WORLD_CAFE, title="Tiny", area=south,
                         date=datetime.date(2023, 5, 1), community_representatives=3)
    facts = key_facts(2023)
    cafe = facts["keys"].index("cafe")
    assert [r["cells"][cafe] for r in facts["rows"]] == ["[c]"]
    assert facts["totals"][cafe] == "[c]"


def test_bad_filters_say_what_is_wrong_and_keep_what_was_typed(client, make_user):
    client.force_login(make_user(Role.ANALYST))
    text = client.get(reverse("engagement:home"),
                      {"year": "2025", "date_from": "2025-01-01"}).content.decode()
    assert "Give a year or a date range, not both" in text and 'value="2025-01-01"' in text
    text = client.get(reverse("engagement:home"), {"year": "twenty"}).content.decode()
    assert "Enter the year as four digits" in text and 'value="twenty"' in text
    text = client.get(reverse("engagement:home"), {"area": "99999"}).content.decode()
    assert "Choose an area from the list" in text


def test_a_local_authority_filter_counts_what_was_held_in_its_wards(db):
    import datetime

    from soclocal.engagement.models import Event
    from soclocal.engagement.selectors import fact_areas

    north, south = _world()
    town, other = (Area.objects.create(type=AreaType.LAD, code=f"E0690000{i}", name=name)
                   for i, name in enumerate(["Town", "Other town"]))
    edge = Area.objects.create(type=AreaType.WARD, code="E05100009", name="Edge ward")
    # North and South lie wholly in Town; Edge straddles Town and Other town.
    for n, (ward, lad) in enumerate([(north, town), (north, town), (south, town),
                                     (edge, town), (edge, other)]):
        Area.objects.create(type=AreaType.LSOA21, code=f"E0190000{n}", name=f"LSOA {n}",
                            ward=ward, lad=lad)
    Event.objects.create(kind=Event.Kind.WORLD_CAFE, title="Across the border", area=edge,
                         date=datetime.date(2025, 6, 1), community_representatives=40)
    facts = key_facts(area=town)
    cafe = facts["keys"].index("cafe")
    cafes = Event.objects.filter(kind=Event.Kind.WORLD_CAFE, area__in=[north, south])
    assert facts["totals"][cafe] == sum(e.participants for e in cafes)  # not Edge's
    assert facts["totals"][facts["keys"].index("voters")] == 20 + 50 + 40
    assert {"Town", "North ward", "South ward", "Edge ward", "Other town"} <= \
        {a.name for a in fact_areas()}


def test_counts_of_bids_and_projects_are_not_hidden_only_counts_of_people(db):
    wards = [Area.objects.create(type=AreaType.WARD, code=f"E0520000{i}", name=f"Ward {i}")
             for i in range(2)]
    make_process("Small", wards[0], voters=3, bids=2)
    make_process("Big", wards[1], voters=40, bids=9)
    facts = key_facts()
    rows = {r["area"]: r["cells"] for r in facts["rows"]}
    voters, bids = facts["keys"].index("voters"), facts["keys"].index("bids")
    assert rows["Ward 0"][voters] == "[c]" and rows["Ward 0"][bids] == 2
    assert facts["totals"][bids] == 11
