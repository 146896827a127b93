"""Synthetic records at national scale, for measuring the web pages (`soclocal generate-scale`).

At scale 1 it adds 100,000 young people each with a case and a referral, 1,000,000 audit
events, 20,000 intelligence reports, 5,000 bids and 50,000 ballots to the demo partnership's
agencies, spread over synthetic teams and practitioners; and, for the safeguarding,
directory, priorities and response pages, 5,000 NRM referrals, 5,000 places of concern, 2,000
adults at risk, 2,000 MACE referrals heard at panels, 500 peer-group maps, 1,000 services,
500 assessed threats, 5,000 plan actions and 2,000 intelligence requirements, within the demo people's reach. Every person
is invented: names come from short lists, references are numbered. Rows are written with `bulk_create` in batches;
audit events continue the hash chain from its head, so `soclocal audit verify` still passes.
Seeded, so the same scale and seed give the same records.
"""

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from django.db import transaction

BATCH = 5000

# At scale 1.
SIZES = {
    "young_people": 100_000,
    "audit_events": 1_000_000,
    "intelligence_reports": 20_000,
    "bids": 5_000,
    "ballots": 50_000,
    "nrm_referrals": 5_000,
    "places": 5_000,
    "vulnerable_adults": 2_000,
    "mace_referrals": 2_000,
    "peer_maps": 500,
    "services": 1_000,
    "threats": 500,
    "actions": 5_000,
    "requirements": 2_000,
}
CHILDREN_PER_PANEL = 10
ACTIONS_PER_PLAN = 10
BIDS_PER_PROCESS = 100
CASES_PER_PRACTITIONER = 100
PRACTITIONERS_PER_TEAM = 10

FORENAMES = ("Alex Bailey Cameron Dakota Eden Finley Harley Jamie Jordan Kai Logan Morgan "
             "Nico Parker Quinn Reese Riley Rowan Sam Skyler Taylor Toby Zara Amira Ellis "
             "Frankie Jessie Kit Lennon Remy").split()
SURNAMES = ("Ashdown Birchall Calloway Dunmore Everleigh Fairbrook Garside Hollinshead "
            "Ingleby Jessop Kettleby Lockwood Marchbank Northcote Oakridge Pennycook "
            "Quarrie Rushworth Stainrod Thistlewood Underhill Vellacott Wainfleet Yarwood "
            "Ambridge Brackenbury Cotterill Dovecote Elmswell Fennimore").split()
ACTIONS = ("cases.case.viewed", "intelligence.report.viewed", "cases.referral.recorded",
           "intelligence.entity.listed", "account.signed_in", "budgeting.bid.moderated")


@dataclass
class Created:
    young_people: int = 0
    cases: int = 0
    referrals: int = 0
    audit_events: int = 0
    intelligence_reports: int = 0
    bids: int = 0
    ballots: int = 0
    practitioners: int = 0
    nrm_referrals: int = 0
    places: int = 0
    vulnerable_adults: int = 0
    mace_referrals: int = 0
    panels: int = 0
    peer_maps: int = 0
    services: int = 0
    threats: int = 0
    plans: int = 0
    actions: int = 0
    requirements: int = 0


def sizes(scale: float) -> dict:
    return {k: max(1, round(v * scale)) for k, v in SIZES.items()}


def _batches(total, size=BATCH):
    for start in range(0, total, size):
        yield start, min(total, start + size)


def generate(scale=1.0, *, seed=14, progress=None, **counts) -> Created:
    """Add synthetic records at `scale` times the national sizes (after the demo people);
    `counts` sets some sizes exactly (young_people=300)."""
    from soclocal.demo import load_people

    rng = random.Random(seed)
    unknown = set(counts) - set(SIZES)
    if unknown:
        raise ValueError(f"No such size: {', '.join(sorted(unknown))}")
    n = sizes(scale) | counts
    done = Created()
    total = sum(n.values())
    step = {"done": 0}

    def tick(k):
        step["done"] += k
        if progress:
            progress(step["done"], total)

    load_people()
    practitioners = _practitioners(n["young_people"], rng, done)
    _cases(n["young_people"], practitioners, rng, done, tick)
    _intelligence(n["intelligence_reports"], rng, done, tick)
    _budgeting(n["bids"], n["ballots"], rng, done, tick)
    _safeguarding(n, rng, done, tick)
    _directory(n["services"], rng, done, tick)
    _priorities(n["threats"], n["actions"], rng, done, tick)
    _requirements(n["requirements"], rng, done, tick)
    _audit(n["audit_events"], practitioners, rng, done, tick)
    return done


def _demo(*usernames):
    from soclocal.accounts.models import User

    found = {u.username: u for u in User.objects.filter(username__in=usernames)}
    return [found[name] for name in usernames]


def _safeguarding(n, rng, done, tick):
    """NRM referrals by the demo practitioner's agency; places and adults at risk recorded
    by the police; MACE referrals from the demo practitioner, heard at panels the demo
    practitioner sits on (co-chaired by the demo intelligence officer and manager), every
    fifth still waiting; peer-group maps the demo practitioner works on."""
    from soclocal.accounts.models import Agency
    from soclocal.safeguarding.models import (
        AgencyInvolvement,
        MaceHearing,
        MaceReferral,
        NrmReferral,
        PanelMeeting,
        PeerGroupMap,
        Place,
        VulnerableAdult,
    )

    worker, officer, manager = _demo("practitioner", "intel", "manager")
    today = date.today()
    first = NrmReferral.objects.filter(reference__startswith="SCALE-NRM-").count()
    decided = [c for c in NrmReferral.Decision.values if c != NrmReferral.Decision.PENDING]
    for start, end in _batches(n["nrm_referrals"]):
        batch = []
        for i in range(start, end):
            referred = today - timedelta(days=rng.randint(0, 3 * 365))
            batch.append(NrmReferral(
                reference=f"SCALE-NRM-{first + i + 1:06d}", owner=worker,
                first_responder_agency_id=worker.agency_id, owning_team_id=worker.team_id,
                exploitation_type=rng.choice(NrmReferral.Exploitation.values),
                age_band=rng.choice(NrmReferral.AgeBand.values), referral_date=referred,
                reasonable_grounds_due=referred + timedelta(days=7),
                # Decisions come within weeks: only the last fortnight's are still waiting.
                reasonable_grounds=NrmReferral.Decision.PENDING
                if referred > today - timedelta(days=14) else rng.choice(decided)))
        NrmReferral.objects.bulk_create(batch)
        done.nrm_referrals += len(batch)
        tick(len(batch))
    places = []
    for start, end in _batches(n["places"]):
        batch = [Place(name=f"{rng.choice(SURNAMES)} {rng.choice(['Road', 'Park', 'Court'])} "
                            f"{start + i + 1}", kind=rng.choice(Place.Kind.values),
                       description="Synthetic place for measuring the pages at scale.",
                       owning_agency_id=officer.agency_id, created_by=officer)
                 for i in range(end - start)]
        places += Place.objects.bulk_create(batch)
        done.places += len(batch)
        tick(len(batch))
    social_care = Agency.objects.filter(kind=Agency.Kind.ADULT_SERVICES).first()
    for start, end in _batches(n["vulnerable_adults"]):
        with transaction.atomic():
            adults = VulnerableAdult.objects.bulk_create([VulnerableAdult(
                first_name=rng.choice(FORENAMES), last_name=rng.choice(SURNAMES),
                home=places[i % len(places)] if places and i % 2 == 0 else None,
                risk=rng.choice(VulnerableAdult.Risk.values), owning_agency_id=officer.agency_id,
                owning_team_id=officer.team_id, owner=officer) for i in range(start, end)])
            if social_care:
                AgencyInvolvement.objects.bulk_create([AgencyInvolvement(
                    adult=a, agency=social_care, role="Care and support") for a in adults])
        done.vulnerable_adults += len(adults)
        tick(len(adults))
    panels = []
    first = MaceReferral.objects.filter(case_reference__startswith="SCALE-MACE-").count()
    for start, end in _batches(n["mace_referrals"]):
        with transaction.atomic():
            referrals = MaceReferral.objects.bulk_create([MaceReferral(
                case_id=0, case_reference=f"SCALE-MACE-{first + i + 1:06d}", case_owner=worker,
                referred_by=worker, referring_agency_id=worker.agency_id,
                indicators=["missing_out_of_area"], concerns="Synthetic concerns.",
                status=MaceReferral.Status.WAITING if i % 5 == 4 else MaceReferral.Status.LISTED)
                for i in range(start, end)])
            hearings = []
            for i, referral in enumerate(referrals, start=start):
                if referral.status == MaceReferral.Status.WAITING:
                    continue
                if i // CHILDREN_PER_PANEL >= len(panels):
                    panel = PanelMeeting.objects.create(
                        held_on=today - timedelta(days=14 * (len(panels) % 100)),
                        location="Synthetic panel room", police_chair=officer,
                        local_authority_chair=manager, created_by=manager)
                    panel.members.add(worker)
                    panels.append(panel)
                    done.panels += 1
                kept = i % 3 == 0
                hearings.append(MaceHearing(
                    meeting=panels[-1], referral=referral, position=i % CHILDREN_PER_PANEL + 1,
                    outcome=MaceHearing.Outcome.REVIEW if kept else MaceHearing.Outcome.STEP_DOWN,
                    review_due=today + timedelta(days=rng.randint(-30, 90)) if kept else None))
            MaceHearing.objects.bulk_create(hearings)
        done.mace_referrals += len(referrals)
        tick(len(referrals))
    maps = PeerGroupMap.objects.bulk_create([PeerGroupMap(
        title=f"Peer group {i + 1}", summary="Synthetic map.",
        owning_agency_id=worker.agency_id, created_by=worker,
        panel=panels[i % len(panels)] if panels else None) for i in range(n["peer_maps"])])
    PeerGroupMap.members.through.objects.bulk_create([PeerGroupMap.members.through(
        peergroupmap_id=m.pk, user_id=worker.pk) for m in maps])
    done.peer_maps += len(maps)
    tick(len(maps))


def _directory(total, rng, done, tick):
    from soclocal.accounts.models import Agency
    from soclocal.partnership.models import Need, Service

    agencies = list(Agency.objects.filter(active=True).order_by("pk"))
    kinds = ("Mentoring", "Youth club", "Counselling", "Family support", "Sports programme")
    for start, end in _batches(total):
        batch = []
        for i in range(start, end):
            low = rng.randint(8, 16)
            batch.append(Service(
                agency=agencies[i % len(agencies)], name=f"{rng.choice(kinds)} {i + 1}",
                description="Synthetic service for measuring the pages at scale.",
                age_from=low, age_to=low + rng.randint(2, 9),
                needs=rng.sample(Need.values, 2), whole_area=True,
                how_to_refer="Email the team."))
        Service.objects.bulk_create(batch)
        done.services += len(batch)
        tick(len(batch))


def _priorities(threats, actions, rng, done, tick):
    """Threats raised and assessed by the demo analysts (every tenth police only), and plans
    for them whose actions fall to the demo practitioner's agency and the police in turn."""
    from soclocal.priorities.models import Assessment, Threat
    from soclocal.priorities.scoring import KEYS
    from soclocal.responses.models import FRAMEWORKS, Action, Plan

    analyst, officer, worker = _demo("analyst", "intel", "practitioner")
    today = date.today()
    with transaction.atomic():
        made = Threat.objects.bulk_create([Threat(
            kind=rng.choice([Threat.Kind.CRIME_PROBLEM, Threat.Kind.GROUP, Threat.Kind.PLACE]),
            title=f"{rng.choice(['Drug supply', 'Knife crime', 'Exploitation'])} {i + 1}",
            police_only=i % 10 == 9, evidence_text="Synthetic evidence.",
            owning_agency_id=analyst.agency_id, raised_by=analyst) for i in range(threats)])
        Assessment.objects.bulk_create([Assessment(
            threat=t, assessor=who, scores={k: rng.randint(0, 4) for k in KEYS})
            for t in made for who in (analyst, officer)])
    done.threats += len(made)
    tick(len(made))
    shared = [t for t in made if not t.police_only] or made
    plans = Plan.objects.bulk_create([Plan(
        threat=shared[i % len(shared)], title=f"Response plan {i + 1}",
        framework=rng.choice(list(FRAMEWORKS)), objectives="Synthetic objectives.",
        created_by=analyst) for i in range(-(-actions // ACTIONS_PER_PLAN))])
    done.plans += len(plans)
    for start, end in _batches(actions):
        batch = []
        for i in range(start, end):
            plan = plans[i // ACTIONS_PER_PLAN]
            ours = i % 2 == 0
            batch.append(Action(
                plan=plan, strand=rng.choice(FRAMEWORKS[plan.framework][1])[0],
                title=f"Action {i + 1}",
                owning_agency_id=worker.agency_id if ours else officer.agency_id,
                owner=worker if ours else None,
                due_date=today + timedelta(days=rng.randint(-60, 180)),
                status=rng.choice(Action.Status.values)))
        Action.objects.bulk_create(batch)
        done.actions += len(batch)
        tick(len(batch))


def _practitioners(young_people, rng, done):
    """Synthetic teams of practitioners in the demo's casework agencies, plus the demo
    practitioner, so their team and caseload look like a large service's."""
    from soclocal.accounts.models import Agency, RoleGrant, Team, User
    from soclocal.core.access import Role

    demo = User.objects.get(username="practitioner")
    count = max(1, young_people // CASES_PER_PRACTITIONER)
    existing = User.objects.filter(username__startswith="scale.practitioner.").count()
    agencies = list(Agency.objects.filter(name__in=[
        "Nottingham Youth Justice Service", "Nottingham City Children's Services",
        "Meadows Youth Project"]).order_by("pk"))
    teams = []
    for i in range(max(1, count // PRACTITIONERS_PER_TEAM)):
        agency = agencies[i % len(agencies)]
        team, _ = Team.objects.get_or_create(agency=agency, name=f"Locality Team {i + 1:03d}")
        teams.append(team)
    users = []
    for i in range(existing, count):
        team = teams[i % len(teams)]
        user = User(username=f"scale.practitioner.{i + 1:05d}", first_name=rng.choice(FORENAMES),
                    last_name=rng.choice(SURNAMES), email=f"scale.{i + 1}@example.org",
                    agency_id=team.agency_id, team=team, job_title="Key worker")
        user.set_unusable_password()
        users.append(user)
    User.objects.bulk_create(users, batch_size=BATCH)
    created = list(User.objects.filter(username__in=[u.username for u in users]))
    RoleGrant.objects.bulk_create([RoleGrant(user=u, role=Role.PRACTITIONER) for u in created],
                                  batch_size=BATCH)
    done.practitioners = len(created)
    pool = list(User.objects.filter(username__startswith="scale.practitioner.")
                .select_related("team").order_by("pk"))
    # The demo practitioner carries a typical caseload of their own.
    return [demo] + pool


def _cases(total, practitioners, rng, done, tick):
    from soclocal.cases.models import Case, Referral, YoungPerson

    today = date.today()
    now = datetime.now(UTC)
    statuses = ([Case.Status.CLOSED] * 12 + [Case.Status.OPEN] * 5
                + [Case.Status.AWAITING_TRIAGE, Case.Status.SIGNPOSTED, Case.Status.DECLINED,
                   Case.Status.CLOSURE_REQUESTED])
    reasons = [c for c, _ in Referral.Reason.choices]
    sources = [c for c, _ in Referral.Source.choices]
    for start, end in _batches(total):
        people, cases = [], []
        for i in range(start, end):
            worker = practitioners[i % len(practitioners)]
            people.append(YoungPerson(
                first_name=rng.choice(FORENAMES), last_name=rng.choice(SURNAMES),
                date_of_birth=today - timedelta(days=rng.randint(11 * 365, 18 * 365)),
                owning_agency_id=worker.agency_id, owning_team_id=worker.team_id))
        with transaction.atomic():
            YoungPerson.objects.bulk_create(people)
            for person in people:
                worker = practitioners[(start + len(cases)) % len(practitioners)]
                status = rng.choice(statuses)
                opened = now - timedelta(days=rng.randint(1, 3 * 365), minutes=rng.randint(0, 1440))
                cases.append(Case(
                    young_person=person, owning_agency_id=person.owning_agency_id,
                    owning_team_id=person.owning_team_id, status=status, opened_at=opened,
                    practitioner=None if status == Case.Status.AWAITING_TRIAGE else worker,
                    closed_at=opened + timedelta(days=120)
                    if status in (Case.Status.CLOSED, Case.Status.SIGNPOSTED,
                                  Case.Status.DECLINED) else None))
            Case.objects.bulk_create(cases)
            Referral.objects.bulk_create([Referral(
                case=case, received_at=case.opened_at, source=rng.choice(sources),
                referrer_name="A referring professional", reasons=[rng.choice(reasons)],
                created_by_id=case.practitioner_id or practitioners[0].pk,
                decision="" if case.status == Case.Status.AWAITING_TRIAGE else "accept",
                decided_at=None if case.status == Case.Status.AWAITING_TRIAGE else case.opened_at,
            ) for case in cases])
        done.young_people += len(people)
        done.cases += len(cases)
        done.referrals += len(cases)
        tick(len(people))


def _intelligence(total, rng, done, tick):
    from soclocal.accounts.models import Agency, User
    from soclocal.intelligence.models import Grading, IntelligenceReport

    officer = User.objects.get(username="intel")
    police = Agency.objects.get(pk=officer.agency_id)
    today = date.today()
    first = IntelligenceReport.objects.filter(reference__startswith="SCALE-").count()
    outcomes = [c for c, _ in IntelligenceReport.Outcome.choices]
    places = ("a flat above the shops", "the car park by the station", "a takeaway",
              "the underpass", "a house on the estate", "the park near the school")
    for start, end in _batches(total):
        IntelligenceReport.objects.bulk_create([IntelligenceReport(
            reference=f"SCALE-{first + i + 1:06d}", owning_agency=police,
            owning_team_id=officer.team_id,
            title=f"Activity seen at {rng.choice(places)}",
            text="Synthetic report for measuring the pages at scale.",
            source_type=IntelligenceReport.SourceType.PARTNER,
            source_grade=rng.choice([c for c, _ in Grading.SOURCE]),
            intelligence_grade=rng.choice([c for c, _ in Grading.INTELLIGENCE]),
            handling=rng.choice([c for c, _ in Grading.HANDLING]),
            outcome=rng.choice(outcomes),
            # Reviews fall due through the coming years, a few a day.
            review_on=today + timedelta(days=1 + (i * 7) % 1800),
            created_by=officer) for i in range(start, end)])
        done.intelligence_reports += end - start
        tick(end - start)


def _budgeting(bids, ballots, rng, done, tick):
    from soclocal.budgeting.models import Ballot, Bid, Choice, Process

    # Run again, it carries on where the last run stopped: the next bid of the last fund.
    first = Bid.objects.filter(process__slug__startswith="scale-fund-").count()
    processes = {}
    for i in range(first // BIDS_PER_PROCESS, -(-(first + bids) // BIDS_PER_PROCESS)):
        slug = f"scale-fund-{i + 1:03d}"
        processes[i] = Process.objects.filter(slug=slug).first() or Process.objects.create(
            name=f"Neighbourhood fund {i + 1}", slug=slug, budget=Decimal("50000"),
            status=Process.Status.VOTING, max_choices=3,
            voting_open=date.today() - timedelta(days=7),
            voting_close=date.today() + timedelta(days=21))
    themes = ("Youth clubs", "Safer streets", "Sport", "Arts", "Mentoring")
    made = []
    for start, end in _batches(bids):
        batch = [Bid(
            process=processes[(first + i) // BIDS_PER_PROCESS],
            reference=f"B{(first + i) % BIDS_PER_PROCESS + 1:03d}",
            title=f"{rng.choice(themes)} project {i + 1}", theme=rng.choice(themes),
            group_name=f"{rng.choice(SURNAMES)} Residents Group",
            cost=Decimal(rng.randrange(500, 10000, 50)),
            status=Bid.Status.ACCEPTED) for i in range(start, end)]
        made += Bid.objects.bulk_create(batch)
        done.bids += len(batch)
        tick(len(batch))
    by_process = {}
    for bid in made:
        by_process.setdefault(bid.process_id, []).append(bid)
    ids = list(by_process)
    for start, end in _batches(ballots):
        with transaction.atomic():
            batch = [Ballot(process_id=ids[i % len(ids)], voter_ref=f"scale-{i + 1}",
                            channel="online") for i in range(start, end)]
            Ballot.objects.bulk_create(batch)
            Choice.objects.bulk_create([
                Choice(ballot=b, bid=bid, position=p)
                for b in batch
                for p, bid in enumerate(rng.sample(by_process[b.process_id],
                                                   min(3, len(by_process[b.process_id]))))])
        done.ballots += len(batch)
        tick(len(batch))


def _requirements(total, rng, done, tick):
    """Requirements the demo intelligence officer's force set, asked of the demo
    practitioner's agency, due over the coming months; most already answered, one in ten
    open (each open one is on its askers' and answerers' work queues)."""
    from soclocal.intelligence.models import Requirement

    officer, worker = _demo("intel", "practitioner")
    today = date.today()
    now = datetime.now(UTC)
    first = Requirement.objects.filter(reference__startswith="SCALE-REQ-").count()
    for start, end in _batches(total):
        Requirement.objects.bulk_create([Requirement(
            reference=f"SCALE-REQ-{first + i + 1:06d}", owning_agency_id=officer.agency_id,
            question=f"Where is {rng.choice(['cannabis', 'cocaine', 'heroin'])} being sold?",
            tasked_agency_id=worker.agency_id, due_on=today + timedelta(days=i % 180),
            status=Requirement.Status.OPEN if i % 10 == 0 else Requirement.Status.ANSWERED,
            answered_at=None if i % 10 == 0 else now, set_by=officer)
            for i in range(start, end)])
        done.requirements += end - start
        tick(end - start)


def _audit(total, practitioners, rng, done, tick):
    """Events that continue the chain: each batch takes the head's lock, links its events
    to the head's hash and moves the head on, as `audit.record` does one at a time."""
    from soclocal.core.audit import compute_hash
    from soclocal.core.models import AuditEvent, AuditHead

    start_at = datetime.now(UTC) - timedelta(days=730)
    for start, end in _batches(total):
        with transaction.atomic():
            AuditHead.objects.get_or_create(pk=1)
            head = AuditHead.objects.select_for_update().get(pk=1)
            prev, seq = head.hash, head.seq
            events = []
            for i in range(start, end):
                actor = practitioners[i % len(practitioners)]
                seq += 1
                event = AuditEvent(
                    seq=seq, at=start_at + timedelta(seconds=i * 60 // max(1, total // 1000)),
                    actor_id=actor.pk, actor=actor.username, agency_id=actor.agency_id,
                    agency="", action=ACTIONS[i % len(ACTIONS)], object_type="cases.case",
                    object_id=str(rng.randint(1, 100_000)), purpose="Direct work",
                    ip_address="127.0.0.1", detail={}, prev_hash=prev)
                event.hash = prev = compute_hash(event)
                events.append(event)
            AuditEvent.objects.bulk_create(events)
            AuditHead.objects.filter(pk=1).update(seq=seq, hash=prev)
        done.audit_events += len(events)
        tick(len(events))
