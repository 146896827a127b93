"""Demo vulnerability figures, NRM referrals, places of concern and adults at risk of
cuckooing for Nottingham. Synthetic throughout.

Five partners each upload a file of made-up counts for Nottingham's LSOAs for 2024 and 2025,
through the ordinary importer. The counts are drawn from a seeded random generator around a
rate that rises with the area's deprivation, so the map looks plausible; they are not real
figures about any place. NRM referrals (made-up references, no names) cover every stage.
The system's own figures (recorded crime from the crime store, open early-intervention cases,
intelligence reports and the education deprivation domain) are defined as indicators too.
Places (made-up names and addresses) and two made-up adults are added once.
Safe to run again: indicators are kept, figures are replaced, referrals are added once.
"""

import random
import tempfile
from datetime import timedelta
from pathlib import Path

from django.utils import timezone

from soclocal.accounts.models import Agency, User
from soclocal.areas.models import Area, AreaType, Deprivation

from . import calendar, services
from .imports import import_indicators
from .models import Indicator, NrmReferral, Place, VulnerableAdult

SEED = 12
NOTTINGHAM = "E06000018"
PERIODS = ["2024", "2025"]

# (code, name, owner agency, source, what counts, rate per 1,000 at decile 10 and at decile 1,
#  denominator per 1,000 people or None, weight, upload file)
INDICATORS = [
    ("crisis_grants", "Crisis grant and loan requests", "Nottingham Community Safety Partnership",
     "Local welfare assistance scheme (synthetic demo figures)",
     "Requests for a crisis grant or crisis loan from a household living in the area",
     3, 30, None, 1.0, "welfare-assistance.csv"),
    ("school_exclusions", "Suspensions and exclusions", "Riverside Academy Trust",
     "Schools' census returns (synthetic demo figures)",
     "Suspensions and permanent exclusions of pupils living in the area, per pupil on roll",
     20, 120, 130, 1.0, "school-exclusions.csv"),
    ("missing_episodes", "Missing from home episodes", "Nottinghamshire Police",
     "Missing persons reports (synthetic demo figures)",
     "Episodes of a child reported missing from home or care", 1, 12, None, 1.5,
     "missing-episodes.csv"),
    ("rent_arrears", "Rent arrears and evictions", "Trentside Housing Association",
     "Tenancy management system (synthetic demo figures)",
     "Tenancies more than 8 weeks in arrears, and evictions, per tenancy",
     25, 140, 250, 1.0, "housing.csv"),
    ("drug_treatment", "Drug treatment starts", "Nottingham Community Health",
     "Treatment service starts (synthetic demo figures)",
     "People starting structured drug or alcohol treatment", 1, 9, None, 0.5,
     "drug-treatment.csv"),
]

DEPRIVATION = ("deprivation", "Deprivation (Indices of Deprivation score)",
               "MHCLG English Indices of Deprivation", "The loaded deprivation score", 1.0)

# The system's own figures: (code, name, kind, detail, source, what counts, weight)
SYSTEM = [
    ("recorded_crime", "Recorded crime", Indicator.Kind.CRIME, "",
     "police.uk street-level crime in the crime store",
     "Street crimes recorded in the area in the period, per 1,000 residents", 1.0),
    ("open_cases", "Open early-intervention cases", Indicator.Kind.CASES, "",
     "This system's case records",
     "Young people living in the area with an early-intervention case open in the period",
     0.5),
    ("intelligence_reports", "Intelligence reports", Indicator.Kind.INTELLIGENCE, "",
     "This system's intelligence records",
     "Intelligence reports made in the period naming an address in the area", 0.5),
    ("education_deprivation", "Education, skills and training deprivation",
     Indicator.Kind.DEPRIVATION_DOMAIN, "education", "MHCLG English Indices of Deprivation",
     "The loaded education, skills and training domain score", 0.5),
]


def _define(agencies):
    for code, name, owner, source, counts, *_rest, weight, _file in INDICATORS:
        if not Indicator.objects.filter(code=code).exists():
            services.save_indicator(None, code=code, name=name, owner_agency=agencies.get(owner),
                                    source=source, counts=counts, weight=weight)
    code, name, source, counts, weight = DEPRIVATION
    if not Indicator.objects.filter(code=code).exists():
        services.save_indicator(None, code=code, name=name, kind=Indicator.Kind.DEPRIVATION,
                                source=source, counts=counts, weight=weight)
    for code, name, kind, detail, source, counts, weight in SYSTEM:
        if not Indicator.objects.filter(code=code).exists():
            services.save_indicator(None, code=code, name=name, kind=kind, detail=detail,
                                    source=source, counts=counts, weight=weight)


def _files(folder: Path, lsoas):
    rng = random.Random(SEED)
    deciles = dict(Deprivation.objects.filter(area__in=lsoas, index="imd2025")
                   .values_list("area_id", "decile"))
    for code, _n, _o, _s, _c, low, high, per, _w, file_name in INDICATORS:
        lines = ["area_code,period,indicator,count,denominator"]
        for area in lsoas:
            population = area.population or 1500
            decile = deciles.get(area.pk, 5)
            base = high - (high - low) * (decile - 1) / 9
            denominator = round(population * per / 1000) if per else None
            for year, drift in zip(PERIODS, (1.0, rng.uniform(0.8, 1.25)), strict=True):
                expected = base * drift * (denominator or population) / 1000
                count = max(0, round(rng.gauss(expected, max(1.0, expected ** 0.5))))
                if denominator is not None:
                    count = min(count, denominator)
                lines.append(f"{area.code},{year},{code},{count},"
                             f"{'' if denominator is None else denominator}")
        path = folder / file_name
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        yield path


def _referrals(agencies, lsoas):
    if NrmReferral.objects.exists():
        return
    people = {u.username: u for u in User.objects.filter(
        username__in=["social.worker", "practitioner", "housing.officer"])}
    today = timezone.localdate()
    if len(people) < 3 or today.year > calendar.LAST_YEAR:
        return
    D = NrmReferral.Decision
    # (who, reference, type, age band, days ago, reasonable grounds, conclusive grounds)
    stages = [
        ("social.worker", "NRM-DEMO-001", "criminal", "16-17", 2, D.PENDING, D.PENDING),
        ("social.worker", "NRM-DEMO-002", "criminal", "under-16", 12, D.PENDING, D.PENDING),
        ("practitioner", "NRM-DEMO-003", "criminal", "16-17", 40, D.POSITIVE, D.PENDING),
        ("practitioner", "NRM-DEMO-004", "sexual", "under-16", 200, D.POSITIVE, D.POSITIVE),
        ("social.worker", "NRM-DEMO-005", "mixed", "16-17", 90, D.NEGATIVE, D.PENDING),
        ("housing.officer", "NRM-DEMO-006", "labour", "adult", 30, D.POSITIVE, D.NEGATIVE),
        ("housing.officer", "NRM-DEMO-007", "criminal", "adult", 8, D.PENDING, D.PENDING),
    ]
    rng = random.Random(SEED)
    for who, ref, kind, age, ago, rg, cg in stages:
        user = people[who]
        referred = today - timedelta(days=ago)
        referral = services.record_referral(
            user, reference=ref, exploitation_type=kind, age_band=age, referral_date=referred,
            area=rng.choice(lsoas), support_offered="")
        if rg != D.PENDING:
            services.record_decisions(
                user, referral, reasonable_grounds=rg,
                reasonable_grounds_date=referral.reasonable_grounds_due - timedelta(days=1),
                conclusive_grounds=cg,
                conclusive_grounds_date=referred + timedelta(days=ago - 2) if cg != D.PENDING
                else None,
                support_offered="Safe accommodation offered; a key worker visits weekly."
                if rg == D.POSITIVE else "")


def load_demo_safeguarding(progress=None):
    load_demo_mace()
    lsoas = list(Area.objects.filter(type=AreaType.LSOA21, lad__code=NOTTINGHAM)
                 .order_by("code"))
    if not lsoas:
        return []
    agencies = {a.name: a for a in Agency.objects.all()}
    _define(agencies)
    results = []
    with tempfile.TemporaryDirectory(prefix="soclocal-demo-indicators-") as folder:
        for path in _files(Path(folder), lsoas):
            results.append(import_indicators(path))
    _referrals(agencies, lsoas)
    _places_and_adults(agencies, lsoas)
    return results


# (name, kind, why, indicator seen, days ago) -- made-up places, not real ones
PLACES = [
    ("Flat 2, 17 Cedar Walk", Place.Kind.ADDRESS,
     "Visitors at all hours; the tenant has said people are staying who frighten him.",
     "associates", 6),
    ("Bramble Park, by the skate ramps", Place.Kind.PARK,
     "Young people seen being handed packages by older men after school.", "associates", 3),
    ("Larch Street takeaway", Place.Kind.SHOP,
     "Young people seen being bought food and given phones.", "phones", 9),
    ("Southfield tram stop", Place.Kind.STATION,
     "Young people from out of area met here and taken to addresses nearby.",
     "missing_out_of_area", 12),
    ("Fernbank Academy gates", Place.Kind.SCHOOL,
     "Older associates waiting for pupils at the end of the school day.", "associates", 20),
    ("Flat 5, 3 Hawthorn Court", Place.Kind.ADDRESS,
     "Neighbours report heavy footfall and a new lock on the door.", "paraphernalia", 15),
]

# (first, last, home place, vulnerabilities, risk, owning username, other agencies)
ADULTS = [
    ("Keith", "Ambler", "Flat 2, 17 Cedar Walk",
     "Learning disability; lives alone; recently bereaved.", VulnerableAdult.Risk.HIGH, "intel",
     [("Nottingham City Adult Social Care", "Care Act assessment and safeguarding enquiry"),
      ("Trentside Housing Association", "Landlord: tenancy support visits")]),
    ("Denise", "Furlong", "Flat 5, 3 Hawthorn Court",
     "Long-term heroin use; mental health crisis last year.", VulnerableAdult.Risk.MEDIUM,
     "adult.social.worker",
     [("Nottinghamshire Police", "Neighbourhood officer: welfare checks"),
      ("Nottingham Community Health", "Drug treatment key worker")]),
]


def _places_and_adults(agencies, lsoas):
    from soclocal.cases.models import Case

    from .models import AgencyInvolvement

    if Place.objects.exists():
        return
    people = {u.username: u for u in User.objects.filter(
        username__in=["intel", "practitioner", "adult.social.worker"])}
    if len(people) < 3:
        return
    today = timezone.localdate()
    rng = random.Random(SEED + 1)
    worker = people["practitioner"]
    cases = list(Case.objects.filter(owning_team=worker.team_id,
                                     status__in=[Case.Status.OPEN, Case.Status.AWAITING_TRIAGE,
                                                 Case.Status.CLOSURE_REQUESTED])
                 .order_by("pk")[:4])
    made = {}
    for n, (name, kind, why, seen, ago) in enumerate(PLACES):
        place = services.record_place(people["intel"] if n % 2 else worker, name=name, kind=kind,
                                      area=rng.choice(lsoas), description=why)
        made[name] = place
        case = cases[n % len(cases)] if cases else None
        services.record_sighting(None, place=place, indicator=seen,
                                 seen_on=today - timedelta(days=ago), case=case,
                                 note="Seen by an outreach worker.")
    # Two young people are seen at the same places: those places recur across cases.
    if len(cases) >= 2:
        for place_name in ("Bramble Park, by the skate ramps", "Southfield tram stop"):
            for case in cases[:2]:
                services.link_to_place(None, made[place_name], case=case)
        services.record_sighting(None, place=made["Southfield tram stop"], case=cases[1],
                                 indicator="missing_out_of_area",
                                 seen_on=today - timedelta(days=4),
                                 note="Found here by police after being reported missing.")
        for code in ("unexplained_items", "tickets"):
            services.record_sighting(None, case=cases[0], indicator=code,
                                     seen_on=today - timedelta(days=rng.randint(2, 20)))
    for first, last, home, why, risk, owner, others in ADULTS:
        user = people[owner]
        adult = services.record_adult(user, first_name=first, last_name=last,
                                      home=made[home], vulnerabilities=why, risk=risk)
        for agency_name, role in others:
            if agency_name in agencies and not AgencyInvolvement.objects.filter(
                    adult=adult, agency=agencies[agency_name]).exists():
                services.add_involvement(user, adult, agency=agencies[agency_name], role=role)


# MACE panel and peer-group maps (synthetic: demo cases, made-up places and adults) -----------

def load_demo_mace():
    """A MACE panel that heard four of the demo key worker's children a week ago (three kept
    for review, one stepped down), and two peer-group maps. Added once."""
    from soclocal.cases.models import Case

    from .models import MaceReferral, PanelMeeting

    if PanelMeeting.objects.exists():
        return
    people = {u.username: u for u in User.objects.filter(username__in=[
        "intel", "manager", "social.worker", "housing.officer", "practitioner"])}
    if len(people) < 5:
        return
    owner = people["practitioner"]
    cases = list(Case.objects.filter(practitioner=owner, status=Case.Status.OPEN)
                 .select_related("young_person").order_by("pk")[:4])
    if len(cases) < 4:
        return
    today = timezone.localdate()
    police, chair = people["intel"], people["manager"]
    stories = [
        (["phones", "tickets", "missing_out_of_area"],
         {"phones": "Two phones and a SIM card found by his mum",
          "tickets": "Train tickets to Lincoln in his coat",
          "missing_out_of_area": "Found by Lincolnshire Police 60 miles from home"},
         "Older men are collecting him from school. He has been missing three times in a month.",
         "He trusts his key worker and is back at football on Saturdays.", "high", "review"),
        (["unexplained_items", "associates"],
         {"unexplained_items": "New trainers and cash he cannot account for",
          "associates": "Seen with adults in their twenties at the bus station"},
         "Adults are giving her gifts and asking her to carry packages.",
         "Her grandmother is protective and keeps in touch with school.", "medium", "review"),
        (["school", "isolation"],
         {"school": "Attendance fell from 95% to 60% this term",
          "isolation": "Stopped seeing his old friends and left the youth club"},
         "He is being pulled away from his friends by an older group.",
         "He wants to go to college to study mechanics.", "medium", "review"),
        (["injuries"], {"injuries": "A cut to the hand he would not explain"},
         "One injury, now explained by a kitchen accident confirmed by his mother.",
         "Close family; engaged well with the service.", "low", "step_down"),
    ]
    referrals = []
    for case, (indicators, evidence, concerns, strengths, _tier, _outcome) in zip(
            cases, stories, strict=True):
        referrals.append(services.refer_to_mace(owner, case, indicators=indicators,
                                                evidence=evidence, concerns=concerns,
                                                strengths=strengths))
    # Referred in the fortnight before the panel.
    for n, referral in enumerate(referrals):
        MaceReferral.objects.filter(pk=referral.pk).update(
            referred_at=timezone.now() - timedelta(days=21 - n))
    meeting = services.schedule_panel(
        chair, held_on=today - timedelta(days=7), police_chair=police,
        local_authority_chair=chair, location="Loxley House, meeting room 2",
        members=[people["social.worker"], people["housing.officer"]])
    hearings = []
    for referral, (_i, _e, _c, _s, tier, outcome) in zip(referrals, stories, strict=True):
        hearing = services.list_child(chair, meeting, referral)
        hearings.append(services.record_hearing(
            chair, hearing, presentation="Presented by the key worker from the youth justice "
                                         "service, with the school's safeguarding lead.",
            risk_tier=tier,
            minutes="The panel agreed that the child is being exploited and that the adults "
                    "around them are responsible. Partners shared what they know."
            if outcome == "review" else "The panel agreed the concern is resolved.",
            outcome=outcome,
            outcome_notes="Keep at the panel; review the actions below."
            if outcome == "review" else "Step down to the youth justice service's support."))
    for hearing in hearings[:3]:
        services.add_mace_action(
            chair, hearing, kind="protect",
            description="Key worker to see the child twice a week, including one evening, and "
                        "agree a safety plan with the family.",
            owning_agency=owner.agency, due_on=today + timedelta(days=14))
        services.add_mace_action(
            police, hearing, kind="disrupt",
            description="Find out who is collecting children from the bus station and which "
                        "address they take them to.",
            owning_agency=people["housing.officer"].agency, due_on=today + timedelta(days=21))
    first_disruption = hearings[0].actions.filter(kind="disrupt").first()
    services.raise_disruption(police, first_disruption, as_="requirement")
    services.add_mace_action(
        chair, hearings[1], kind="disrupt",
        description="Closure order on the flat used to store drugs above the shops.",
        owning_agency=police.agency, due_on=today + timedelta(days=30))

    _demo_maps(people, cases, meeting)


def _demo_maps(people, cases, meeting):
    from .models import MapLink, MapNode

    police, social = people["intel"], people["social.worker"]
    first = services.create_map(
        police, title="Bus station group", members=[social, people["manager"]], panel=meeting,
        summary="Children seen together at the bus station after school, and the adults "
                "collecting them.")
    add = services.add_node
    kids = [add(police, first, kind=MapNode.Kind.CHILD, case=case, risk=risk,
                label=f"{case.young_person.first_name} {case.young_person.last_name[:1]}.")
            for case, risk in zip(cases[:3], ["high", "medium", "medium"], strict=True)]
    adult = add(police, first, kind=MapNode.Kind.ADULT, label="Adult known as 'T'", risk="high",
                notes="Man in his twenties; drives a grey hatchback")
    station = add(police, first, kind=MapNode.Kind.PLACE, label="Broad Marsh bus station")
    flat = add(police, first, kind=MapNode.Kind.PLACE, label="Flat above the shops, Radford Road")
    worker = add(police, first, kind=MapNode.Kind.PROFESSIONAL, label="Key worker, youth justice")
    link = services.add_link
    link(police, first, source=adult, target=kids[0], kind=MapLink.Kind.EXPLOITS,
         reliability="1", source_of_information="Police patrols (three sightings)",
         risks="Collects him from school and takes him out of the city",
         action="MACE disruption: intelligence requirement on the flat and the car")
    link(police, first, source=adult, target=kids[1], kind=MapLink.Kind.EXPLOITS,
         reliability="2", source_of_information="School safeguarding lead",
         risks="Gives her gifts and asks her to carry packages",
         action="Child abduction warning notice to be considered by the police")
    link(police, first, source=kids[0], target=kids[2], kind=MapLink.Kind.FRIENDS,
         reliability="1", source_of_information="Key worker",
         strengths="They look out for each other",
         no_action_reason="A protective friendship; nothing to change")
    for kid in kids:
        link(police, first, source=kid, target=station, kind=MapLink.Kind.GOES_TO,
             reliability="1", source_of_information="CCTV review",
             risks="Where the adults meet the children",
             action="Detached youth workers at the bus station 3pm to 6pm on weekdays")
    link(police, first, source=adult, target=flat, kind=MapLink.Kind.GOES_TO, reliability="2",
         source_of_information="Housing officer",
         risks="Suspected to store drugs there", action="Housing to check the tenancy")
    link(police, first, source=worker, target=kids[0], kind=MapLink.Kind.WORKS_WITH,
         reliability="1", strengths="He trusts his key worker",
         action="Keep twice-weekly visits")

    second = services.create_map(
        social, title="Online gaming group", members=[police],
        summary="Children in one online game chat where an adult offers money for errands.")
    chat = add(social, second, kind=MapNode.Kind.ONLINE, label="Game chat server 'Trent Squad'")
    kid = add(social, second, kind=MapNode.Kind.CHILD, label=kids[1].label, case=cases[1],
              risk="medium")
    stranger = add(social, second, kind=MapNode.Kind.ADULT, label="Account 'quickcash99'",
                   risk="high")
    school = add(social, second, kind=MapNode.Kind.PLACE, label="Riverside Academy")
    link(social, second, source=kid, target=chat, kind=MapLink.Kind.ONLINE, reliability="1",
         source_of_information="Her own account to her key worker",
         strengths="She told an adult she trusts",
         action="Online safety session with her and her grandmother")
    link(social, second, source=stranger, target=chat, kind=MapLink.Kind.ONLINE,
         reliability="2", source_of_information="Screenshots from a parent",
         risks="Offers money to children for errands",
         action="Report the account to the platform and to the police")
    link(social, second, source=kid, target=school, kind=MapLink.Kind.SCHOOL, reliability="1",
         strengths="Good attendance", no_action_reason="School is a safe place for her")
