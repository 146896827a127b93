"""The demo partnership: Nottingham and Nottinghamshire, with synthetic people.

Safe to run again: whatever exists is left as it is.
"""

from django.conf import settings
from django.db import transaction

from soclocal.accounts import services
from soclocal.accounts.models import Agency, Team, User
from soclocal.core.access import Role

PARTNERSHIP = "Nottingham and Nottinghamshire SOC Partnership"

# (agency, kind, [teams])
AGENCIES = [
    ("Nottinghamshire Police", Agency.Kind.POLICE,
     ["Force Intelligence Bureau", "City Centre Neighbourhood Team"]),
    ("Nottingham City Children's Services", Agency.Kind.CHILDRENS_SERVICES,
     ["Child Exploitation Team"]),
    ("Nottingham Youth Justice Service", Agency.Kind.YOUTH_JUSTICE, ["Early Intervention Team"]),
    ("Meadows Youth Project", Agency.Kind.YOUTH_COMMUNITY, ["Outreach and Mentoring"]),
    ("Trentside Housing Association", Agency.Kind.HOUSING, ["Tenancy Support"]),
    ("Riverside Academy Trust", Agency.Kind.EDUCATION, ["Safeguarding"]),
    ("Nottingham Community Safety Partnership", Agency.Kind.COMMUNITY_SAFETY,
     ["Partnership Team", "Community Engagement"]),
    ("Nottingham Community Health", Agency.Kind.HEALTH, ["School Nursing"]),
    ("Nottingham City Adult Social Care", Agency.Kind.ADULT_SERVICES, ["Adult Safeguarding"]),
]

# Synthetic people: (username, first, last, job title, agency, team, roles)
PEOPLE = [
    ("admin", "Priya", "Hallam", "Partnership coordinator",
     "Nottingham Community Safety Partnership", "Partnership Team", [Role.PARTNERSHIP_ADMIN]),
    ("analyst", "Tom", "Wragg", "Crime analyst", "Nottinghamshire Police",
     "Force Intelligence Bureau", [Role.ANALYST]),
    ("intel", "Sarah", "Okafor", "Intelligence officer", "Nottinghamshire Police",
     "Force Intelligence Bureau", [Role.INTELLIGENCE_OFFICER]),
    ("intel2", "Ravi", "Chaudhry", "Intelligence officer", "Nottinghamshire Police",
     "Force Intelligence Bureau", [Role.INTELLIGENCE_OFFICER]),
    ("practitioner", "Jordan", "Mellors", "Key worker", "Nottingham Youth Justice Service",
     "Early Intervention Team", [Role.PRACTITIONER]),
    ("social.worker", "Aisha", "Brennan", "Social worker", "Nottingham City Children's Services",
     "Child Exploitation Team", [Role.PRACTITIONER]),
    ("mentor", "Kyle", "Ashby", "Peer mentor", "Meadows Youth Project", "Outreach and Mentoring",
     [Role.PEER_MENTOR]),
    ("manager", "Helen", "Stapleford", "Service manager", "Nottingham Youth Justice Service",
     "Early Intervention Team", [Role.MANAGER]),
    ("facilitator", "Marcus", "Lenton", "Community development worker",
     "Nottingham Community Safety Partnership", "Community Engagement",
     [Role.COMMUNITY_FACILITATOR]),
    ("board", "Gillian", "Radford", "Board chair", "Nottingham Community Safety Partnership",
     None, [Role.BOARD_MEMBER]),
    ("housing.officer", "Daniel", "Bestwood", "Tenancy support officer",
     "Trentside Housing Association", "Tenancy Support", [Role.PRACTITIONER]),
    ("adult.social.worker", "Owen", "Sherwin", "Adult safeguarding social worker",
     "Nottingham City Adult Social Care", "Adult Safeguarding", [Role.PRACTITIONER]),
    ("council.analyst", "Fatima", "Clifton", "Community safety analyst",
     "Nottingham Community Safety Partnership", "Partnership Team",
     [Role.ANALYST, Role.COMMUNITY_FACILITATOR]),
]


def load_people():
    load_partnership(PARTNERSHIP, "Nottingham City and Nottinghamshire", AGENCIES, PEOPLE)


@transaction.atomic
def load_partnership(name, area, agencies, people):
    """A demo partnership's agencies, teams and accounts; what is there already is kept."""
    services.get_or_create_partnership(name, area)
    for agency_name, kind, teams in agencies:
        agency = Agency.objects.filter(name=agency_name).first() or services.create_agency(
            None, name=agency_name, kind=kind)
        for team in teams:
            if not Team.objects.filter(agency=agency, name=team).exists():
                services.create_team(None, agency=agency, name=team)
    for username, first, last, job, agency_name, team_name, roles in people:
        if User.objects.filter(username=username).exists():
            continue
        agency = Agency.objects.get(name=agency_name)
        team = Team.objects.get(agency=agency, name=team_name) if team_name else None
        services.create_account(
            None, username=username, first_name=first, last_name=last,
            email=f"{username}@example.org", agency=agency, team=team, roles=roles,
            job_title=job, password=settings.DEMO_PASSWORD, must_change_password=False)


def load_demo(progress=None):
    load_people()
    from soclocal.areas.demo import load_demo_geography

    load_demo_geography(progress=progress,
                        owning_agency=Agency.objects.get(name="Nottingham Community Safety Partnership"))
    from soclocal.crime.demo import load_demo_crime

    load_demo_crime(progress=progress)
    from soclocal.profiles.demo import load_demo_profiles

    load_demo_profiles(progress=progress)
    from soclocal.priorities.demo import load_demo_priorities

    load_demo_priorities(progress=progress)
    from soclocal.responses.demo import load_demo_meetings

    load_demo_meetings(progress=progress)
    from soclocal.engagement.demo import load_demo_engagement

    load_demo_engagement(progress=progress)
    from soclocal.partnership.demo import load_demo_partnership

    load_demo_partnership(progress=progress)
    from soclocal.cases.demo import load_demo_cases

    load_demo_cases(progress=progress)
    from soclocal.evaluation.demo import load_demo_evaluation

    load_demo_evaluation(progress=progress)
    from soclocal.intelligence.demo import load_demo_intelligence

    load_demo_intelligence(progress=progress)
    from soclocal.priorities.demo import load_demo_group_threat, load_demo_linked_case

    load_demo_group_threat(progress=progress)
    load_demo_linked_case(progress=progress)
    from soclocal.intelligence.demo_requirements import load_demo_requirements

    load_demo_requirements(progress=progress)
    from soclocal.safeguarding.demo import load_demo_safeguarding

    load_demo_safeguarding(progress=progress)
    load_records_due()


# Synthetic records past their retention period, so `soclocal retention --dry-run` has
# something to list under each kind of rule.
OLD_YOUNG_PERSON = ("Jamie", "Oldfield")
OLD_PROCESS = "old-youth-fund"


@transaction.atomic
def load_records_due():
    from datetime import datetime, time, timedelta
    from decimal import Decimal

    from django.utils import timezone

    from soclocal.budgeting.models import Bid, Process
    from soclocal.cases import services as cases
    from soclocal.cases.models import Case, YoungPerson
    from soclocal.engagement import services as engagement
    from soclocal.engagement.models import CommunityGroup, JoinRequest
    from soclocal.intelligence import services as intelligence
    from soclocal.intelligence.models import Submission

    today = timezone.localdate()
    if not YoungPerson.objects.filter(first_name=OLD_YOUNG_PERSON[0],
                                      last_name=OLD_YOUNG_PERSON[1]).exists():
        practitioner = User.objects.filter(username="practitioner").first()
        if practitioner is not None:
            received = today - timedelta(days=int(7.6 * 365))
            referral = cases.record_referral(
                practitioner, person={"first_name": OLD_YOUNG_PERSON[0],
                                      "last_name": OLD_YOUNG_PERSON[1],
                                      "date_of_birth": received - timedelta(days=15 * 365)},
                family=[{"name": "P. Oldfield", "relationship": "Mother", "is_caregiver": True,
                         "phone": "07700 900001"}],
                received_at=timezone.make_aware(datetime.combine(received, time(10))),
                source="school", referrer_name="Head of year", reasons=["missing"],
                concerns="Missing from home several times.", lawful_basis="consent",
                young_person_consents_to_service=True, caregiver_consents_to_service=True)
            closed = timezone.make_aware(datetime.combine(received + timedelta(days=200),
                                                          time(15)))
            Case.objects.filter(pk=referral.case_id).update(status=Case.Status.CLOSED,
                                                            closed_at=closed)
    if not Process.objects.filter(slug=OLD_PROCESS).exists():
        process = Process.objects.create(
            name="Bulwell youth fund (last year)", slug=OLD_PROCESS, budget=Decimal(5000),
            currency="GBP", status=Process.Status.CLOSED,
            voting_close=today - timedelta(days=230))
        for n, (title, email) in enumerate([("Boxing club kit", "bulwell.boxing@example.org"),
                                            ("Summer art week", "art.week@example.org")], 1):
            Bid.objects.create(process=process, reference=str(n), title=title, cost=Decimal(900),
                               group_name=title, status=Bid.Status.ACCEPTED, contact_email=email)
    group = CommunityGroup.objects.filter(name="St Ann's community voice").first()
    if group is not None and not JoinRequest.objects.filter(contact="old.asker@example.org") \
            .exists():
        old = engagement.ask_to_join(group, name="Lee", contact="old.asker@example.org",
                                     message="Could I come along?")
        JoinRequest.objects.filter(pk=old.pk).update(
            received_at=timezone.now() - timedelta(days=120))
    if intelligence.intelligence_agency() is not None and not Submission.objects.filter(
            contact="old.reporter@example.org").exists():
        intelligence.submit_community(
            what="Cars stopping briefly outside the flats late at night.",
            where="Bulwell, near the tram stop", when="Most weekends",
            contact_name="A resident", contact="old.reporter@example.org",
            now=timezone.now() - timedelta(days=45))


def print_logins():
    print()
    print("Demo sign-ins (password for all: the value of SOCLOCAL_DEMO_PASSWORD, "
          f"here '{settings.DEMO_PASSWORD}'):")
    for username, first, last, _job, agency, _team, roles in PEOPLE:
        labels = ", ".join(Role.LABELS[r] for r in roles)
        print(f"  {username:<16} {labels:<40} {first} {last}, {agency}")
    print()
    from soclocal.budgeting.models import Process
    from soclocal.budgeting.selectors import demo_voter_codes
    from soclocal.engagement.demo import VOTING_SLUG

    voting = Process.objects.filter(slug=VOTING_SLUG).first()
    codes = demo_voter_codes(voting) if voting else []
    if codes:
        print(f"Try the community pages at /community/. Voter codes for {voting.name} "
              f"(each votes once): {', '.join(codes)}")
        print()
