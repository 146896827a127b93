"""Demo community engagement: a participatory budget with a published result, one taking bids
now and one open for votes now (with voter codes to try), a World Café to come, and stories
with their tellers' consents. Every person and group here is made up.

Dates are relative to the day the demo is loaded, and a later `soclocal demo` moves the open
processes' closing dates on again, so they stay open however long ago the demo was set up."""

import random
from decimal import Decimal

from soclocal.budgeting import services as pb
from soclocal.budgeting.models import Bid, Process
from soclocal.engagement import services
from soclocal.engagement.models import Code, CommunityGroup, Event, Story

DEMO_SLUG = "meadows-and-st-anns-youth-fund"

DEMO_BIDS = [
    ("Friday night football", "Floodlit five-a-side every Friday, with youth workers.",
     "Meadows Youth Football", "Youth group", "Meadows recreation ground",
     "Leisure, recreation and youth work", 4500),
    ("Boxing and mentoring", "Boxing sessions with mentors who grew up locally.",
     "Sneinton Boxing Club", "Community group", "Sneinton", "Leisure, recreation and youth work",
     6000),
    ("Safer walk home", "Better lighting and a volunteer walk-home scheme.",
     "St Ann's community voice", "Community group", "St Ann's",
     "Vulnerability and victimisation", 7000),
    ("Music studio", "A small recording studio for young people to make music.",
     "Beats Collective", "Charity", "St Ann's", "Aspirations, opportunities and narratives",
     8000),
    ("Community garden", "Turn a fly-tipped corner into a garden that residents run.",
     "Green Meadows", "Community group", "The Meadows", "Housing", 3000),
    ("Parents' drop-in", "A weekly drop-in for parents worried about exploitation.",
     "Parents Together", "Charity", "Sneinton", "Vulnerability and victimisation", 2500),
]

DEMO_STORIES = [
    ("Why I said no", "When I was fifteen an older lad offered me money to carry a bag. "
     "My youth worker had told us what that means, so I said no and told her.",
     "When I was fifteen an older lad offered me money to carry a bag. My youth worker had "
     "told us what that means, so I said no and told her.", True, "exploitation, youth work"),
    ("The estate is not what they say", "People think everyone here is in a gang. Most of us "
     "just want somewhere to play football that is lit at night.",
     "People think everyone here is in a gang. Most of us just want somewhere to play "
     "football that is lit at night.", True, "counter-narrative, leisure"),
    ("A mother's worry", "My son started coming home with new trainers and would not say "
     "where from.", "", False, "parents"),
]


def load_demo_engagement(progress=None):
    """Idempotent: the demo process and stories are made once."""
    if not CommunityGroup.objects.exists():
        _load_group()
    if not Process.objects.filter(slug=DEMO_SLUG).exists():
        _load_budget()
    if not Story.objects.exists():
        _load_stories()
    if not Event.objects.exists():
        _load_events()
    _load_open_processes()
    _load_upcoming_cafe()
    _load_join_request()
    if progress:
        progress(1, 1, "community engagement")


def _load_budget():
    process = Process.objects.create(
        name="Meadows and St Ann's youth fund", slug=DEMO_SLUG,
        description="Money for projects that give young people somewhere to go and someone to "
                    "trust, chosen by local people.",
        budget=Decimal(20000), currency="GBP", max_bid=Decimal(8000), max_choices=3,
        themes="\n".join(sorted({b[5] for b in DEMO_BIDS})),
        eligible_group_kinds="Youth group\nCommunity group\nResidents' association\nCharity",
        residents_who_planned=40, status=Process.Status.VOTING)
    groups = {g.name: g for g in CommunityGroup.objects.all()}
    for n, (title, summary, group, kind, place, theme, cost) in enumerate(DEMO_BIDS, start=1):
        Bid.objects.create(process=process, reference=str(n), title=title, summary=summary,
                           group_name=group, group_kind=kind, place=place, theme=theme,
                           community_group=groups.get(group), cost=Decimal(cost),
                           status=Bid.Status.ACCEPTED)
    event = pb.add_event(None, process, name="Voting day at the community centre",
                         kind="in_person", place="Community centre")
    codes = pb.issue_voter_codes(None, process, 140, event=event)
    chooser = random.Random(4)  # the same demo votes every time
    weights = [9, 6, 8, 4, 5, 3]
    for code in codes[:120]:
        picks = set()
        while len(picks) < chooser.randint(1, 3):
            picks.add(str(chooser.choices(range(1, 7), weights)[0]))
        pb.cast_ballot(process, code, sorted(picks), channel="in_person")
    Process.objects.filter(pk=process.pk).update(status=Process.Status.CLOSED)
    result = pb.compute_result(None, process)
    pb.publish_result(None, result)
    first = process.bids.get(reference=result.funded[0])
    pb.add_update(None, first, text="Sessions started in the spring.", spend=Decimal(1200),
                  outputs="30 young people came in the first month")


def _load_stories():
    for title, told, shared, publish, tags in DEMO_STORIES:
        story = services.gather_story(None, title=title, text=told, consent_keep=True,
                                      consent_share=bool(shared), consent_publish=publish,
                                      tags=tags)
        if shared:
            services.review_story(None, story, anonymised_text=shared)
        if publish:
            services.publish_story(None, story)


DEMO_HARVEST = [
    (1, 1, "Young people need somewhere warm to go after school", "Leisure, recreation and youth work"),
    (1, 2, "Older lads flash money and cars; that is the story kids hear", "Aspirations, opportunities and narratives"),
    (2, 1, "People do not report because they do not trust the police to follow up", "Local policing and trust"),
    (2, 2, "Families in overcrowded flats, kids are out on the street", "Housing"),
    (3, 1, "Cannabis is everywhere and it is how many get drawn in", "Drug use"),
    (3, 2, "The residents' association cleared the alley together", "Community resilience"),
]


def _load_events():
    import datetime

    from soclocal.areas.models import Area, AreaType

    def ward(code):  # the demo wards, when the demo geography is loaded
        return Area.objects.filter(type=AreaType.WARD, code=code).first()

    event = services.create_event(
        None, kind=Event.Kind.WORLD_CAFE, title="World Café: safer streets for young people",
        date=datetime.date(2025, 3, 12), place="Community centre", tables=6, rounds=3,
        area=ward("E05012287"),
        facilitators="Community facilitator",
        questions="What draws young people in?\nWhat would help them stay out?",
        community_representatives=42, agency_participants=14, justice_partners=4)
    for table, round_, text, label in DEMO_HARVEST:
        insight = services.harvest(None, event, text=text, table=table, round=round_)[0]
        services.code_insight(None, insight, Code.objects.get(frame__name="Seven findings",
                                                              label=label))
    services.create_event(
        None, kind=Event.Kind.CO_INQUIRY, title="Co-inquiry: the stories that attract",
        date=datetime.date(2025, 2, 5), place="Library", area=ward("E05012275"),
        community_representatives=12,
        agency_participants=6)


def _load_group():
    """A dozen residents (first names or pseudonyms), their priorities and rankings."""
    import datetime

    from soclocal.accounts.models import User

    group = services.create_group(None, name="St Ann's community voice")
    group.facilitators.set(User.objects.filter(username="facilitator"))
    for name in ("Amara", "Bex", "Col", "Dee", "Eli", "Fran", "Gus", "Hana", "Ike", "Jo",
                 "Kit", "Lou"):
        services.add_to_group(None, group, "member", name=name)
    services.add_to_group(None, group, "meeting", date=datetime.date(2025, 3, 3), attended=11,
                          notes="Proposed priorities")
    lighting, club, litter = (services.add_to_group(None, group, "priority", title=t)
                              for t in ("Better lighting on the walkways",
                                        "A youth club open on Fridays",
                                        "Clear the fly-tipping"))
    for ranking in [(club, lighting, litter)] * 5 + [(lighting, club, litter)] * 4 + [
            (litter, lighting, club)] * 3:
        services.cast_priority_ballot(None, group, [p.pk for p in ranking])
    services.add_to_group(None, group, "action", description="Walk the estate with the council "
                          "lighting officer", priority=lighting)


# Open now: a process taking bids and one taking votes.
BIDDING_SLUG = "sneinton-safer-streets-fund"
VOTING_SLUG = "st-anns-youth-spaces-vote"
# Fixed codes for the process open for votes, so the README can list some. Each votes once;
# once they are used, the facilitator's page of the process lists fresh ones.
DEMO_VOTER_CODES = [f"DEM{letter}2345" for letter in "ABCDEFGHJKLM"]
FRESH_CODES_WHEN_FEWER_THAN = 5

OPEN_BIDS = [
    ("Youth club open on Fridays", "Open the youth club on Friday nights with two youth "
     "workers and a tuck shop.", "Meadows Youth Football", "Youth group", "The Meadows",
     "Leisure, recreation and youth work", 5000),
    ("Lights on the walkways", "Brighter lighting on the three walkways people avoid after "
     "dark.", "St Ann's community voice", "Community group", "St Ann's",
     "Vulnerability and victimisation", 6500),
    ("Cooking on a budget", "Weekly cooking sessions for young people and their families.",
     "Parents Together", "Charity", "Sneinton", "Aspirations, opportunities and narratives",
     3000),
    ("Mentors in the park", "Peer mentors in the park on summer evenings.",
     "Beats Collective", "Charity", "Victoria Park", "Leisure, recreation and youth work",
     4000),
]
WAITING_BIDS = [
    ("Skate ramp repairs", "Repair the skate ramps so young people use the park again.",
     "Sneinton Boxing Club", "Community group", "Sneinton",
     "Leisure, recreation and youth work", 2500, "club@example.org"),
    ("Tenants' safety walk", "A monthly walk with tenants to spot and report hazards.",
     "Green Meadows", "Residents' association", "The Meadows", "Housing", 1500,
     "green.meadows@example.org"),
]


def _open_process(slug, name, description, status, dates):
    """The demo process, made once; on later runs its dates move on if they have passed, so
    it stays open."""
    process = Process.objects.filter(slug=slug).first()
    if process is None:
        process = Process.objects.create(
            name=name, slug=slug, description=description, budget=Decimal(15000),
            currency="GBP", max_bid=Decimal(7000), max_choices=2,
            themes="\n".join(sorted({b[5] for b in DEMO_BIDS})),
            eligible_group_kinds="Youth group\nCommunity group\nResidents' association\n"
                                 "Charity", residents_who_planned=25, status=status, **dates)
        return process, True
    closing = "bids_close" if status == Process.Status.BIDDING else "voting_close"
    if process.status == status and getattr(process, closing) and \
            getattr(process, closing) < _today():
        Process.objects.filter(pk=process.pk).update(**dates)
        process.refresh_from_db()
    return process, False


def _today():
    from django.utils import timezone

    return timezone.localdate()


def _load_open_processes():
    from datetime import timedelta

    today = _today()
    bidding, made = _open_process(
        BIDDING_SLUG, "Sneinton safer streets fund",
        "Money for ideas from local groups that make Sneinton's streets safer for young "
        "people. Tell us your idea: any local group can bid.", Process.Status.BIDDING,
        {"bids_open": today - timedelta(days=10), "bids_close": today + timedelta(days=30),
         "voting_open": today + timedelta(days=44), "voting_close": today + timedelta(days=58)})
    if made:
        for n, (title, summary, group, kind, place, theme, cost, email) in enumerate(
                WAITING_BIDS, start=1):
            Bid.objects.create(process=bidding, reference=str(n), title=title, summary=summary,
                               group_name=group, group_kind=kind, place=place, theme=theme,
                               cost=Decimal(cost), contact_email=email)

    voting, made = _open_process(
        VOTING_SLUG, "St Ann's youth spaces vote",
        "Four projects are on the ballot. Choose up to two: the ones with most support are "
        "funded until the money runs out.", Process.Status.VOTING,
        {"bids_open": today - timedelta(days=60), "bids_close": today - timedelta(days=30),
         "voting_open": today - timedelta(days=7), "voting_close": today + timedelta(days=6)})
    if made:
        groups = {g.name: g for g in CommunityGroup.objects.all()}
        for n, (title, summary, group, kind, place, theme, cost) in enumerate(OPEN_BIDS, 1):
            Bid.objects.create(process=voting, reference=str(n), title=title, summary=summary,
                               group_name=group, group_kind=kind, place=place, theme=theme,
                               community_group=groups.get(group), cost=Decimal(cost),
                               status=Bid.Status.ACCEPTED)
        event = pb.add_event(None, voting, name="Online voting", kind="online")
        chooser = random.Random(7)  # the same demo votes every time
        for code in pb.issue_voter_codes(None, voting, 23, event=event):
            picks = {str(chooser.randint(1, 4)) for _ in range(chooser.randint(1, 2))}
            pb.cast_ballot(voting, code, sorted(picks))
    if voting.status == Process.Status.VOTING:
        _ensure_voter_codes(voting)


def _ensure_voter_codes(process):
    """The fixed demo codes, and fresh ones once most codes are used, so there are always
    codes to try."""
    from soclocal.budgeting.models import VoterCode

    taken = set(VoterCode.objects.filter(code__in=DEMO_VOTER_CODES).values_list("code",
                                                                                 flat=True))
    VoterCode.objects.bulk_create([VoterCode(process=process, code=c)
                                   for c in DEMO_VOTER_CODES if c not in taken])
    if process.voter_codes.filter(used_at__isnull=True).count() < FRESH_CODES_WHEN_FEWER_THAN:
        pb.issue_voter_codes(None, process, 10)


def _load_upcoming_cafe():
    """A World Café in ten days' time, unless one is already to come."""
    from datetime import timedelta

    from soclocal.areas.models import Area, AreaType

    today = _today()
    if Event.objects.filter(kind=Event.Kind.WORLD_CAFE, date__gte=today).exists():
        return
    title = "World Café: what would make the Meadows safer?"
    existing = Event.objects.filter(title=title, insights__isnull=True).first()
    if existing:
        Event.objects.filter(pk=existing.pk).update(date=today + timedelta(days=10))
        return
    services.create_event(
        None, kind=Event.Kind.WORLD_CAFE, title=title, date=today + timedelta(days=10),
        place="Meadows community centre, 6pm to 8pm", tables=5, rounds=3,
        area=Area.objects.filter(type=AreaType.WARD, code="E05012280").first(),
        facilitators="Community facilitator",
        questions="What makes young people feel safe here?\nWhat would you change first?")


def _load_join_request():
    """One resident waiting to hear about joining the group, so its facilitator has
    something to answer."""
    from soclocal.engagement.models import JoinRequest

    group = CommunityGroup.objects.filter(name="St Ann's community voice").first()
    if group is None or JoinRequest.objects.filter(group=group).exists():
        return
    services.ask_to_join(group, name="Sam", contact="sam.demo@example.org",
                         message="I live on the estate and would like to help.")
