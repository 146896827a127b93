"""Demo agreements and directory for Nottingham: three information-sharing agreements and
about twenty services. The services are synthetic (made-up names, addresses and numbers on
reserved example domains and numbers) but plausible. Safe to run again: what exists is kept.
"""

from datetime import timedelta

from django.utils import timezone

from soclocal.accounts.models import Agency
from soclocal.areas.models import Area, AreaType

from . import services
from .models import Agreement, Service

POLICE = "Nottinghamshire Police"
CHILDREN = "Nottingham City Children's Services"
YJS = "Nottingham Youth Justice Service"
MEADOWS = "Meadows Youth Project"
HOUSING = "Trentside Housing Association"
SCHOOLS = "Riverside Academy Trust"
CSP = "Nottingham Community Safety Partnership"
HEALTH = "Nottingham Community Health"

# The titles the other demo loaders look agreements up by.
CASES_AGREEMENT = "Early intervention for young people at risk of exploitation"
INTELLIGENCE_AGREEMENT = "Disclosure of police information to partners for crime reduction"
SAFEGUARDING_AGREEMENT = "Multi-agency child exploitation (MACE) safeguarding"

# (title, status, parties, purposes, lawful bases, data categories, retention, months since it
#  started, months to its review (negative: past review), signatories)
AGREEMENTS = [
    (CASES_AGREEMENT, Agreement.Status.ACTIVE,
     [YJS, CHILDREN, MEADOWS, HOUSING, SCHOOLS, HEALTH, CSP],
     ["Referring young people aged 11 to 18 at risk of criminal exploitation to the "
      "early-intervention service",
      "Planning and delivering support for the young person and their family across agencies",
      "Reviewing and closing cases, and measuring the service's outcomes in aggregate"],
     ["UK GDPR Article 6(1)(e): a task in the public interest or in the exercise of official "
      "authority",
      "UK GDPR Article 9(2)(g) and DPA 2018 Schedule 1 paragraph 18: safeguarding of children "
      "and individuals at risk",
      "Children Act 2004 section 11: the duty to safeguard and promote the welfare of children",
      "Crime and Disorder Act 1998 section 115: disclosure to reduce crime and disorder"],
     ["Name, date of birth, address and school of the young person",
      "Family members and caregivers' contact details",
      "Reasons for referral, needs assessment (outcomes star) and plan",
      "Health and well-being information relevant to the plan (special category)"],
     "Case records are kept for 6 years after the case closes, or until the young person is "
     "25 if later, then deleted. A receiving agency deletes what it was sent when the share "
     "ends, unless it has opened its own record.",
     14, 10,
     ["Helen Stapleford, Service manager, Nottingham Youth Justice Service, signed 2 Sep 2025",
      "Director of Children's Services, Nottingham City Children's Services, signed 2 Sep 2025",
      "Chief Executive, Meadows Youth Project, signed 9 Sep 2025",
      "Head of Tenancy Services, Trentside Housing Association, signed 9 Sep 2025",
      "Safeguarding lead, Riverside Academy Trust, signed 16 Sep 2025",
      "Head of Safeguarding, Nottingham Community Health, signed 16 Sep 2025",
      "Priya Hallam, Partnership coordinator, Nottingham Community Safety Partnership, "
      "signed 2 Sep 2025"]),
    (INTELLIGENCE_AGREEMENT, Agreement.Status.ACTIVE,
     [POLICE, CHILDREN, YJS, MEADOWS, HOUSING, SCHOOLS, CSP, HEALTH],
     ["Releasing sanitised intelligence to partners so that they can act to prevent and "
      "disrupt serious organised crime",
      "Tasking partners to gather information against intelligence requirements",
      "Partners submitting what they see and hear to the force's intelligence officers"],
     ["Crime and Disorder Act 1998 section 115: disclosure to a relevant authority for the "
      "purposes of the Act",
      "DPA 2018 Part 3 (law enforcement processing), sections 31 and 35: processing by a "
      "competent authority for a law enforcement purpose",
      "UK GDPR Article 6(1)(e) for partners receiving and acting on what is released"],
     ["Sanitised intelligence reports with their 3x5x2 grading and handling conditions",
      "Names and addresses of people and places of concern",
      "Partners' own observations submitted as intelligence"],
     "Released intelligence is kept only as long as the purpose it was released for, and no "
     "more than 12 months, then destroyed; handling conditions travel with it.",
     26, -2,
     ["Detective Superintendent, Head of Intelligence, Nottinghamshire Police, signed 1 Oct 2024",
      "Director of Children's Services, Nottingham City Children's Services, signed 8 Oct 2024",
      "Head of Service, Nottingham Youth Justice Service, signed 8 Oct 2024",
      "Chief Executive, Meadows Youth Project, signed 15 Oct 2024",
      "Head of Tenancy Services, Trentside Housing Association, signed 15 Oct 2024",
      "Safeguarding lead, Riverside Academy Trust, signed 22 Oct 2024",
      "Head of Safeguarding, Nottingham Community Health, signed 22 Oct 2024",
      "Priya Hallam, Partnership coordinator, Nottingham Community Safety Partnership, "
      "signed 1 Oct 2024"]),
    (SAFEGUARDING_AGREEMENT, Agreement.Status.ACTIVE,
     [POLICE, CHILDREN, YJS, SCHOOLS, HEALTH],
     ["Hearing a child's situation at the MACE panel and agreeing actions to protect them",
      "Disrupting adults who exploit children",
      "Referring children to the National Referral Mechanism as a first responder"],
     ["Children Act 2004 section 11 and Children Act 1989 sections 17 and 47",
      "UK GDPR Article 6(1)(e) and Article 9(2)(g), with DPA 2018 Schedule 1 paragraph 18",
      "DPA 2018 Part 3 for the police's law enforcement processing"],
     ["The child's identity, family and professionals involved",
      "Indicators of exploitation, places and adults of concern",
      "Panel decisions, actions and reviews"],
     "Panel minutes are kept for 6 years after the child's 18th birthday; each agency keeps "
     "its own actions under its own retention schedule.",
     8, 4,
     ["Detective Chief Inspector, Public Protection, Nottinghamshire Police, signed 10 Apr 2026",
      "Head of Safeguarding, Nottingham City Children's Services, signed 10 Apr 2026",
      "Head of Service, Nottingham Youth Justice Service, signed 17 Apr 2026",
      "Safeguarding lead, Riverside Academy Trust, signed 17 Apr 2026",
      "Named Nurse for Safeguarding, Nottingham Community Health, signed 24 Apr 2026"]),
]

WARDS = {"Aspley": "E05012270", "Basford": "E05012271", "Berridge": "E05012272",
         "Bestwood": "E05012273", "Bilborough": "E05012274", "Bulwell": "E05012275",
         "Bulwell Forest": "E05012276", "Castle": "E05012277", "Clifton East": "E05012278",
         "Clifton West": "E05012279", "Dales": "E05012280", "Hyson Green": "E05012281",
         "Leen Valley": "E05012282", "Lenton": "E05012283", "Mapperley": "E05012284",
         "Meadows": "E05012285", "Radford": "E05012286", "St Ann's": "E05012287",
         "Sherwood": "E05012288", "Wollaton West": "E05012289"}
WHOLE = None  # the whole partnership area

# (agency, name, description, ages, needs, wards or WHOLE, how to refer, contact name, phone)
SERVICES = [
    (YJS, "Turning Point early intervention",
     "Key workers for young people at risk of criminal exploitation: assertive outreach, a "
     "needs assessment with the outcomes star, a plan with the family, 1:1 and group work, and "
     "out-of-hours contact.", (11, 18), ["exploitation", "mentoring", "family"], WHOLE,
     "Refer through soclocal (Young people, Refer a young person), or phone the duty worker.",
     "Duty key worker", "0115 496 0101"),
    (MEADOWS, "Meadows peer mentoring",
     "Mentors with lived experience meet young people weekly, in the community and online, and "
     "stay alongside them through court, school moves and setbacks.", (12, 21),
     ["mentoring", "exploitation", "activities"], ["Meadows", "Castle", "Clifton East"],
     "Email the project with the young person's consent and a short summary of needs.",
     "Mentoring coordinator", "0115 496 0102"),
    (MEADOWS, "Friday night boxing and youth club",
     "Open-access boxing, music studio and hot food on Friday evenings; detached youth workers "
     "walk young people home.", (11, 19), ["activities"], ["Meadows", "Lenton"],
     "No referral needed: young people can drop in. Workers can phone ahead to introduce "
     "someone.", "Youth club lead", "0115 496 0103"),
    (CHILDREN, "Child exploitation team",
     "Social workers for children at risk of or experiencing criminal or sexual exploitation, "
     "including county lines; leads the MACE panel with the police.", (10, 18),
     ["exploitation", "missing", "family"], WHOLE,
     "Through the Children and Families Direct front door; urgent concerns by phone.",
     "Children and Families Direct", "0115 496 0104"),
    (CHILDREN, "Return home interviews",
     "An independent conversation with every child after a missing episode, to understand why "
     "they went missing and what would help.", (0, 17), ["missing", "exploitation"], WHOLE,
     "Automatic when the police report a missing episode; partners can also ask.",
     "Missing children coordinator", "0115 496 0105"),
    (CHILDREN, "Family support hub",
     "Early help for families under strain: parenting programmes, family group conferences "
     "and a named family support worker.", (0, 18), ["family", "money"], WHOLE,
     "With the family's consent, through the early help assessment.",
     "Early help hub", "0115 496 0106"),
    (HEALTH, "Young people's substance misuse service",
     "Confidential advice, harm reduction and treatment for young people using drugs or "
     "alcohol, in clinics, schools and at home.", (10, 21), ["drugs_alcohol", "health"], WHOLE,
     "Young people can refer themselves; professionals use the referral form with consent.",
     "Duty worker", "0115 496 0107"),
    (HEALTH, "School nursing drop-ins",
     "Weekly drop-ins in secondary schools for health, sexual health and emotional well-being.",
     (11, 19), ["health", "mental_health"], WHOLE,
     "No referral needed in school; staff can book a slot with the school nurse.",
     "School nursing team", "0115 496 0108"),
    (HEALTH, "Children's emotional well-being service",
     "Short-term therapy and group support for anxiety, low mood, trauma and self-harm.",
     (5, 18), ["mental_health"], WHOLE,
     "Professional referral with consent; urgent risk to life through A&E or 999.",
     "Single point of access", "0115 496 0109"),
    (HOUSING, "Tenancy sustainment",
     "Support for households at risk of losing their tenancy, including those whose homes are "
     "being used by others for drug dealing (cuckooing).", None, ["housing", "money"],
     ["St Ann's", "Sherwood", "Mapperley", "Dales", "Bestwood"],
     "Phone or email the tenancy support team; tenants can ask themselves.",
     "Tenancy support team", "0115 496 0110"),
    (HOUSING, "Young people's supported lodgings",
     "Rooms with trained hosts for 16 to 21 year olds who cannot live at home, with a key "
     "worker.", (16, 21), ["housing"], WHOLE,
     "Through the council's youth homelessness assessment.", "Lodgings officer",
     "0115 496 0111"),
    (SCHOOLS, "Inclusion and re-engagement programme",
     "A small-group timetable, mentoring and college taster days for pupils at risk of "
     "exclusion.", (11, 16), ["education", "mentoring"],
     ["Bulwell", "Bulwell Forest", "Basford", "Aspley", "Bilborough"],
     "The pupil's school makes the referral to the Trust's inclusion lead.",
     "Inclusion lead", "0115 496 0112"),
    (SCHOOLS, "Summer holiday activities and food",
     "Free sport, arts and a hot meal in the summer holidays for pupils on free school meals.",
     (5, 16), ["activities", "money"], WHOLE,
     "Families book a place; schools can book on a family's behalf.", "Holiday programme team",
     "0115 496 0113"),
    (CSP, "Community safety fund: small grants",
     "Grants up to £2,000 for community groups running activities that keep young people "
     "safe, decided with residents through participatory budgeting.", None, ["activities"],
     WHOLE, "Community groups apply in the bidding round (see the community pages).",
     "Community development worker", "0115 496 0114"),
    (CSP, "Victim and witness support",
     "Practical and emotional support for victims and witnesses of crime, including young "
     "people harmed by exploitation.", None, ["victims"], WHOLE,
     "Anyone can refer, with the person's consent; people can also refer themselves.",
     "Victim support coordinator", "0115 496 0115"),
    (POLICE, "Neighbourhood youth engagement officers",
     "Police officers who run sessions in schools and youth clubs and offer a trusted point of "
     "contact for young people and parents worried about exploitation.", (10, 18),
     ["exploitation", "victims"], ["Hyson Green", "Radford", "Berridge", "Sherwood"],
     "Email the neighbourhood team; in an emergency always phone 999.",
     "Neighbourhood inspector", "0115 496 0116"),
    (POLICE, "Operation Divert custody navigators",
     "Youth workers in custody who offer young people arrested a route into support before "
     "they leave the station.", (10, 24), ["exploitation", "mentoring"], WHOLE,
     "Automatic in custody; officers can also flag a young person to the navigator.",
     "Custody navigator lead", "0115 496 0117"),
    (YJS, "Education, training and employment advisers",
     "Advisers who help young people known to the service back into school, college, "
     "apprenticeships or work.", (15, 18), ["education"], WHOLE,
     "Through the young person's key worker.", "Education lead", "0115 496 0118"),
    (YJS, "Parenting support for families",
     "Parenting programmes and 1:1 support for parents and carers of young people at risk.",
     (10, 18), ["family"], WHOLE, "Through the young person's key worker, or phone the team.",
     "Parenting team", "0115 496 0119"),
    (MEADOWS, "Girls' group",
     "A weekly group for young women on healthy relationships, online safety and confidence, "
     "run with the school nurses.", (12, 18), ["exploitation", "mental_health", "health"],
     ["Meadows", "Clifton East", "Clifton West"],
     "Professionals or young people email the project.", "Girls' worker", "0115 496 0120"),
    (CSP, "Money and debt advice",
     "Free debt, benefits and budgeting advice at community centres, including for families "
     "pressured to hold money or goods for others.", None, ["money"],
     ["St Ann's", "Bulwell", "Aspley", "Meadows"],
     "Book through the community centre or phone the advice line.", "Advice line",
     "0115 496 0121"),
]


def _agreements(agencies, today):
    for (title, status, parties, purposes, bases, categories, retention, months_ago,
         months_to_review, signatories) in AGREEMENTS:
        if Agreement.objects.filter(title=title).exists():
            continue
        services.create_agreement(
            None, parties=[agencies[p] for p in parties if p in agencies],
            title=title, status=status, purposes="\n".join(purposes),
            lawful_bases="\n".join(bases), data_categories="\n".join(categories),
            retention_terms=retention, starts_on=today - timedelta(days=30 * months_ago),
            review_on=today + timedelta(days=30 * months_to_review),
            signatories="\n".join(signatories))


def _services(agencies):
    wards = {w.code: w for w in Area.objects.filter(type=AreaType.WARD,
                                                     code__in=WARDS.values())}
    for (agency, name, description, ages, needs, areas, how, contact,
         phone) in SERVICES:
        if agency not in agencies or Service.objects.filter(name=name).exists():
            continue
        slug = "".join(c for c in agency.lower() if c.isalnum())[:20]
        services.create_service(
            None, agency=agencies[agency], name=name, description=description,
            age_from=ages[0] if ages else None, age_to=ages[1] if ages else None, needs=needs,
            whole_area=areas is WHOLE,
            areas=[wards[WARDS[a]] for a in (areas or ()) if WARDS[a] in wards],
            how_to_refer=how, contact_name=contact, contact_email=f"referrals@{slug}.example.org",
            contact_phone=phone, website="", active=True)


def load_demo_partnership(progress=None):
    agencies = {a.name: a for a in Agency.objects.all()}
    today = timezone.localdate()
    _agreements(agencies, today)
    _services(agencies)
    if progress:
        progress(1, 1, f"Partnership: {Agreement.objects.count()} information-sharing "
                       f"agreements, {Service.objects.count()} services in the directory")


def agreement_titled(title):
    """The demo agreement another demo loader names its shares after; the demo agreements
    are recorded first if they are not yet, so each demo loader can run on its own."""
    found = Agreement.objects.filter(title=title).first()
    if found is None:
        _agreements({a.name: a for a in Agency.objects.all()}, timezone.localdate())
        found = Agreement.objects.filter(title=title).first()
    return found
