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
    ("council.analyst", "Fatima", "Clifton", "Community safety analyst",
     "Nottingham Community Safety Partnership", "Partnership Team",
     [Role.ANALYST, Role.COMMUNITY_FACILITATOR]),
]


@transaction.atomic
def load_people():
    services.get_or_create_partnership(PARTNERSHIP, "Nottingham City and Nottinghamshire")
    for name, kind, teams in AGENCIES:
        agency = Agency.objects.filter(name=name).first() or services.create_agency(
            None, name=name, kind=kind)
        for team in teams:
            if not Team.objects.filter(agency=agency, name=team).exists():
                services.create_team(None, agency=agency, name=team)
    for username, first, last, job, agency_name, team_name, roles in PEOPLE:
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
    from soclocal.cases.demo import load_demo_cases

    load_demo_cases(progress=progress)
    from soclocal.evaluation.demo import load_demo_evaluation

    load_demo_evaluation(progress=progress)
    from soclocal.intelligence.demo import load_demo_intelligence

    load_demo_intelligence(progress=progress)
    from soclocal.intelligence.demo_requirements import load_demo_requirements

    load_demo_requirements(progress=progress)
    from soclocal.safeguarding.demo import load_demo_safeguarding

    load_demo_safeguarding(progress=progress)


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
