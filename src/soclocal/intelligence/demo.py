"""Demo intelligence: partners' submissions, graded reports, releases to partners, and a
network in Nottingham: about 150 submissions and reports from five agencies, 80 invented
people (and a dozen of them recorded twice, with slips, for the duplicate review), three
suspected organised crime groups with their members and denser clusters of associates,
addresses placed in their LSOAs, vehicles and phones.

Every name, place detail, registration and number here is made up (phone numbers are in
Ofcom's range kept for drama; registrations start ZZ, which is never issued). The records are
made through the services, so the rules and the audit trail apply to each one; the network
is drawn from a seeded random generator, so every load is the same. Safe to run again: if
demo submissions exist, nothing is done.
"""

import random
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from soclocal.accounts.models import Agency, User
from soclocal.partnership.demo import INTELLIGENCE_AGREEMENT, agreement_titled

from . import services
from .models import Submission

HOUSING = "Trentside Housing Association"
CONDITION = ("Share only with Trentside's tenancy enforcement team; do not disclose to the "
             "tenant or act on it without speaking to the Force Intelligence Bureau")

SUBMISSIONS = [
    # (username, what, where, when, who, how_known, urgency, child, adult, days ago)
    ("housing.officer",
     "Different cars stop outside flat 12 late at night; callers stay a few minutes. The "
     "tenant, who is vulnerable, says 'friends' are staying and seems frightened of them.",
     "Flat 12, Sneinton Court (invented), Sneinton", "Most nights for about three weeks",
     "A man who calls himself Dean; a grey hatchback", "saw", "soon", False, True, 12),
    ("social.worker",
     "A 14 year old girl I work with was seen getting into a car with two older men after "
     "school. She has new clothes and a second phone she will not explain.",
     "Outside the shops on Carlton Road", "Yesterday about 4pm",
     "Two men in their twenties; grey hatchback, partial registration ZZ19", "told_direct",
     "urgent", True, False, 1),
    ("practitioner",
     "Older boys wait at the school gate at home time and hand phones to younger pupils.",
     "Riverside Academy gate, Meadows", "Fridays this half term",
     "Three young men, one called D", "hearsay", "routine", True, False, 20),
    ("mentor",
     "A young person I mentor says he has been asked to carry packages to Mansfield on the "
     "train for money.", "Meadows", "Last weekend", "Someone he knows as Dean",
     "told_direct", "soon", True, False, 6),
]


def demo_present():
    return Submission.objects.exists()


COMMUNITY = [
    ({"what": "Cars pull up by the garages at night and lads on bikes ride off with small "
              "bags a few minutes later.",
      "where": "Garages behind Carlton Road, Sneinton", "when": "Most nights after 10pm",
      "identifying": "A black estate car, often the same one"}, 3),
    ({"what": "A girl of about 14 is being collected from the park by older men in a car and "
              "looks frightened.", "where": "Victoria Park, St Ann's",
      "when": "Yesterday about 4pm", "urgency": "urgent", "child_at_risk": True,
      "contact_name": "Demo Resident (invented)", "contact": "07700900999"}, 0),
]


def load_demo_intelligence(progress=None):
    if demo_present() or not User.objects.filter(username="intel").exists():
        return False
    with transaction.atomic():
        _load()
        _load_network()
    if progress:
        progress(1, 1, "Intelligence loaded")
    return True


def _load():
    intel = User.objects.get(username="intel")
    second = User.objects.filter(username="intel2").first()
    made = []
    for username, what, where, when, who, how, urgency, child, adult, ago in SUBMISSIONS:
        user = User.objects.filter(username=username).first()
        if user is None:
            continue
        s = services.submit(user, what=what, where=where, when=when, who=who, how_known=how,
                            urgency=urgency, child_at_risk=child, adult_at_risk=adult)
        Submission.objects.filter(pk=s.pk).update(
            submitted_at=timezone.now() - timedelta(days=ago))
        made.append(s)
    flat_note, _urgent, gate, _mentor = made + [None] * (4 - len(made))
    for fields, ago in COMMUNITY:  # residents' reports from the public pages, invented
        c = services.submit_community(**fields)
        Submission.objects.filter(pk=c.pk).update(
            submitted_at=timezone.now() - timedelta(days=ago))
    today = timezone.localdate()

    source = services.create_source(intel, identity="Demo source 1 (invented): a resident "
                                                    "of Sneinton Court",
                                    contact="Through the handler only",
                                    handlers=[second] if second else ())
    flat = services.create_report(
        intel, submission=flat_note, title="Cuckooing suspected at Sneinton Court",
        text=(flat_note.what if flat_note else "") + " A resident who knows the tenant "
             "confirms a man called Dean has moved in and sells drugs from the flat.",
        source_type="partner", source=source, source_grade="2", intelligence_grade="B",
        handling="C", handling_conditions=CONDITION, outcome="disseminate",
        outcome_reasons="The landlord can protect the tenant and disrupt the use of the flat",
        review_on=today - timedelta(days=2))
    gate_report = services.create_report(
        intel, submission=gate, title="Phones handed out at Riverside Academy gate",
        text=gate.what if gate else "Phones handed to pupils at the gate.",
        source_type="partner", source_grade="3", intelligence_grade="C", handling="P",
        outcome="develop", outcome_reasons="Ask the school and neighbourhood team to watch",
        review_on=today + timedelta(days=14))
    vehicle_report = services.create_report(
        intel, title="Grey hatchback used to move young people",
        text="ANPR and patrol sightings put the grey hatchback ZZ19 DMO in Sneinton and "
             "Mansfield on the same evenings.",
        source_type="police", source_grade="1", intelligence_grade="A", handling="P",
        outcome="develop", outcome_reasons="Links the flat to county lines activity",
        review_on=today + timedelta(days=28))

    dean = services.create_person(intel, forenames="Dean", surname="Brackley-Orme",
                                  date_of_birth=date(1998, 3, 14), postcode="NG2 4AA",
                                  address="Flat 12, Sneinton Court, Nottingham",
                                  phone="07700 900123", source="demo", report=flat)
    tyrese = services.create_person(intel, forenames="Tyrese", surname="Holloway-Venn",
                                    date_of_birth=date(2001, 9, 2), source="demo",
                                    report=gate_report)
    tenant = services.create_person(intel, forenames="Graham", surname="Pettinger-Lowe",
                                    date_of_birth=date(1961, 6, 30), postcode="NG2 4AA",
                                    address="Flat 12, Sneinton Court, Nottingham",
                                    source="demo", report=flat)
    address = services.create_entity(intel, "address", address="Flat 12, Sneinton Court, "
                                      "Nottingham", postcode="NG2 4AA", latitude=52.9537,
                                      longitude=-1.1301, source="demo", report=flat)
    car = services.create_entity(intel, "vehicle", name="ZZ19 DMO",
                                 description="Grey Ford hatchback", source="demo",
                                 report=vehicle_report)
    phone = services.create_entity(intel, "phone", name="07700 900123", source="demo",
                                   report=flat)
    crew = services.create_entity(intel, "organisation", name="Sneinton Court crew",
                                  organised_crime_group=True, source="demo",
                                  report=vehicle_report)
    for a, b, kind, start, report in (
        (dean, tyrese, "associate", date(2025, 6, 1), gate_report),
        (dean, address, "occupies", today - timedelta(days=21), flat),
        (tenant, address, "occupies", date(2015, 4, 1), flat),
        (dean, phone, "uses", None, flat),
        (dean, car, "uses", None, vehicle_report),
        (car, address, "seen_at", today - timedelta(days=10), vehicle_report),
        (dean, crew, "member_of", None, vehicle_report),
        (tyrese, crew, "member_of", None, gate_report),
    ):
        services.create_link(intel, a, b, kind, start=start, source="demo", report=report)

    version = services.sanitise(
        intel, flat, text="A vulnerable tenant at flat 12, Sneinton Court is believed to have "
                          "had their home taken over by a man who sells drugs from it. Cars "
                          "call late at night.")
    housing = Agency.objects.filter(name=HOUSING).first()
    if second is not None and housing is not None:
        services.approve_sanitised(second, version)
        services.release(second, version, agency=housing,
                         purpose="Tenancy enforcement and protecting the tenant",
                         agreement=agreement_titled(INTELLIGENCE_AGREEMENT))


# The network -----------------------------------------------------------------------------------

SEED = 2026
FORENAMES = ["Aaron", "Bradley", "Callum", "Darnell", "Ethan", "Faisal", "Gavin", "Harley",
             "Isaac", "Jayden", "Kai", "Liam", "Mason", "Nathaniel", "Owen", "Reece", "Shane",
             "Tyler", "Wesley", "Zane", "Amber", "Bethany", "Chantelle", "Demi", "Ellie",
             "Jade", "Kayleigh", "Leanne", "Macy", "Shannon", "Tanisha", "Yasmin", "Connor",
             "Jordan", "Kieran", "Levi", "Marcus", "Rio", "Troy", "Dionne"]
# Surnames made of two parts so that they belong to nobody in particular.
SURNAME_PARTS = (["Ash", "Brack", "Cald", "Dray", "Elm", "Fen", "Gorse", "Hollin", "Kess",
                  "Lark", "Marl", "Nettle", "Orme", "Pell", "Quarn", "Rush", "Sedge", "Thistle",
                  "Wend", "Yarrow"],
                 ["by", "croft", "dene", "field", "gate", "holme", "ley", "mere", "stow",
                  "thorpe", "well", "wick"])
# Neighbourhoods of Nottingham (a point near the middle of each) and their postcode districts.
PLACES = [("Meadows", 52.9385, -1.1480, "NG2"), ("Sneinton", 52.9530, -1.1290, "NG2"),
          ("St Ann's", 52.9640, -1.1390, "NG3"), ("Bulwell", 53.0010, -1.1970, "NG6"),
          ("Radford", 52.9580, -1.1760, "NG7"), ("Hyson Green", 52.9680, -1.1670, "NG7"),
          ("Aspley", 52.9700, -1.2050, "NG8"), ("Bestwood", 52.9990, -1.1600, "NG5"),
          ("Clifton", 52.9070, -1.1810, "NG11"), ("Lenton", 52.9460, -1.1760, "NG7")]
STREETS = ["Vale Road", "Copse Close", "Mill Walk", "Garden Row", "Orchard Court",
           "Station Mews", "Ferry Lane", "Willow Rise", "Canal View", "Beacon Way"]
GROUPS = [("Meadows line (invented)", "Meadows"), ("Bulwell Forest crew (invented)", "Bulwell"),
          ("Radford Road group (invented)", "Radford")]
SUBMITTERS = ["housing.officer", "social.worker", "practitioner", "mentor", "facilitator"]
CONCERNS = [
    ("Young people seen going in and out of {address} at all hours.", "saw", "soon"),
    ("A car ({vehicle}) picks up teenagers near {place} after school.", "saw", "soon"),
    ("{person} is said to be running drugs to the coast for an older man.", "hearsay",
     "routine"),
    ("A tenant at {address} has stopped answering the door; strangers come and go.",
     "saw", "soon"),
    ("{person} has new trainers and a second phone and will not say where from.",
     "told_direct", "routine"),
    ("A young person says {person} is threatening him over a debt.", "told_direct", "urgent"),
    ("Graffiti tags and a new group hanging around the shops in {place}.", "saw", "routine"),
    ("Our records show repeated missing episodes linked to {address}.", "records", "soon"),
]
GRADES = [("1", "A", "P"), ("2", "B", "P"), ("2", "B", "C"), ("2", "C", "P"), ("3", "C", "P"),
          ("3", "D", "P"), ("2", "A", "C")]
PARTNERS = ["Trentside Housing Association", "Nottingham City Children's Services",
            "Nottingham Youth Justice Service"]
DUPLICATES = 12


def _slip(rng, word):
    i = rng.randrange(1, len(word) - 1)
    return word[:i] + word[i + 1] + word[i] + word[i + 2:]  # two letters the wrong way round


def _network_people(rng):
    people, taken = [], set()
    while len(people) < 80:
        forenames = rng.choice(FORENAMES)
        surname = rng.choice(SURNAME_PARTS[0]) + rng.choice(SURNAME_PARTS[1])
        if (forenames, surname) in taken:
            continue
        taken.add((forenames, surname))
        young = len(people) % 3 == 0
        born = (date(2007, 1, 1) if young else date(1975, 1, 1)) + timedelta(
            days=rng.randrange(365 * (4 if young else 28)))
        place = rng.choice(PLACES)
        people.append({"forenames": forenames, "surname": surname, "date_of_birth": born,
                       "place": place})
    return people


def _load_network():
    rng = random.Random(SEED)
    intel = User.objects.get(username="intel")
    second = User.objects.filter(username="intel2").first()
    today = timezone.localdate()

    # Places, vehicles and phones
    addresses = []
    for i in range(40):
        name, lat, lon, district = PLACES[i % len(PLACES)]
        street = rng.choice(STREETS)
        addresses.append(services.create_entity(
            intel, "address", address=f"{rng.randint(1, 120)} {street} (invented), {name}, "
            "Nottingham", postcode=f"{district} {rng.randint(1, 9)}ZZ",
            latitude=round(lat + rng.uniform(-0.004, 0.004), 5),
            longitude=round(lon + rng.uniform(-0.006, 0.006), 5), source="demo",
            place=False))
    services.place_entities(intel, addresses)
    vehicles = [services.create_entity(
        intel, "vehicle", name=f"ZZ{rng.randint(10, 72)} {''.join(rng.sample('ABCDEFGHJKLMNPRSTUVWXY', 3))}",
        description=rng.choice(["Grey hatchback", "Black saloon", "White van",
                                "Silver estate", "Red hatchback"]), source="demo")
        for _ in range(12)]
    phones = [services.create_entity(intel, "phone", name=f"07700 900{200 + i:03d}",
                                     description="Pay as you go", source="demo")
              for i in range(20)]

    # Partners' submissions and the reports graded from them, and reports of the force's own
    people = _network_people(rng)
    for p in people:
        p["address"] = rng.choice([a for a in addresses if p["place"][0] in a.address])
    reports, made = [], []
    for i in range(90):
        user = User.objects.filter(username=SUBMITTERS[i % len(SUBMITTERS)]).first()
        if user is None:
            continue
        what, how, urgency = rng.choice(CONCERNS)
        if i >= 40 and urgency == "urgent":  # only those assessed below may be urgent
            urgency = "soon"
        person = rng.choice(people)
        text = what.format(address=person["address"].address, place=person["place"][0],
                           person=f"{person['forenames']} {person['surname']}",
                           vehicle=rng.choice(vehicles).name)
        submission = services.submit(
            user, what=text, where=person["place"][0], when=f"{rng.randint(1, 6)} weeks ago",
            who=f"{person['forenames']} {person['surname']}", how_known=how, urgency=urgency,
            child_at_risk=urgency == "urgent")
        Submission.objects.filter(pk=submission.pk).update(
            submitted_at=timezone.now() - timedelta(days=rng.randint(2, 300)))
        made.append((submission, person, text))
    for submission, person, text in made[:40] + [(None, None, None)] * 20:
        person = person or rng.choice(people)
        source_grade, intelligence_grade, handling = rng.choice(GRADES)
        report = services.create_report(
            intel, submission=submission,
            title=(f"{person['place'][0]}: {person['forenames']} {person['surname']}"
                   if submission else f"Patrol sighting in {person['place'][0]}"),
            text=text or (f"Officers saw {person['forenames']} {person['surname']} with "
                          f"others near {person['address'].address}."),
            source_type="partner" if submission else "police", source_grade=source_grade,
            intelligence_grade=intelligence_grade, handling=handling,
            handling_conditions=CONDITION if handling == "C" else "",
            outcome=rng.choice(["develop", "develop", "disseminate", "file"]),
            outcome_reasons="Adds to the picture of exploitation in the area",
            review_on=today + timedelta(days=rng.randint(-30, 90)))
        reports.append(report)

    # The people, each from a report or two, where they live and what they use
    for p in people:
        p["reports"] = rng.sample(reports, rng.randint(1, 2))
        p["entity"] = services.create_person(
            intel, forenames=p["forenames"], surname=p["surname"],
            date_of_birth=p["date_of_birth"], address=p["address"].address,
            postcode=p["address"].postcode, phone=f"07700 900{rng.randint(500, 999):03d}"
            if rng.random() < 0.6 else "", source="demo", report=p["reports"][0])
        services.create_link(intel, p["entity"], p["address"], "occupies",
                             start=today - timedelta(days=rng.randint(30, 2000)),
                             source="demo", report=p["reports"][-1])
        if rng.random() < 0.4:
            services.create_link(intel, p["entity"], rng.choice(phones), "uses",
                                 source="demo", report=p["reports"][0])
        if rng.random() < 0.2:
            services.create_link(intel, p["entity"], rng.choice(vehicles), "uses",
                                 source="demo", report=p["reports"][0])

    # Three suspected groups: an organisation each, members, and dense ties among them
    for g, (name, home) in enumerate(GROUPS):
        group = services.create_entity(intel, "organisation", name=name,
                                       organised_crime_group=True, source="demo",
                                       report=reports[g])
        locals_ = [p for p in people if p["place"][0] == home]
        members = (locals_ + [p for p in people if p not in locals_])[:9 + g]
        for p in members:
            p["group"] = g
            services.create_link(intel, p["entity"], group, "member_of",
                                 start=today - timedelta(days=rng.randint(60, 700)),
                                 source="demo", report=rng.choice(p["reports"]))
        for a_i, a in enumerate(members):
            for b in members[a_i + 1:]:
                if rng.random() < 0.45:
                    services.create_link(intel, a["entity"], b["entity"], "associate",
                                         source="demo", report=rng.choice(a["reports"]))
        car = vehicles[g]
        services.create_link(intel, members[0]["entity"], car, "owns", source="demo",
                             report=reports[g])
        services.create_link(intel, car, members[0]["address"], "seen_at",
                             start=today - timedelta(days=rng.randint(1, 30)), source="demo",
                             report=reports[g])
    # Looser ties across the rest: family and occasional associates
    loners = [p for p in people if "group" not in p]
    for p in loners:
        other = rng.choice(people)
        if other is not p:
            services.create_link(intel, p["entity"], other["entity"],
                                 rng.choice(["associate", "family"]), source="demo",
                                 report=p["reports"][0])

    # A dozen people recorded twice, as a second system would have them
    for k, p in enumerate(rng.sample(people, DUPLICATES)):
        forenames, surname, born = p["forenames"], p["surname"], p["date_of_birth"]
        slip = k % 3
        if slip == 0:
            surname = _slip(rng, surname)
        elif slip == 1:
            forenames, surname = surname, forenames
        elif born.day <= 12:
            born = date(born.year, born.day, born.month)
        else:
            forenames = _slip(rng, forenames)
        twin = services.create_person(
            intel, forenames=forenames, surname=surname, date_of_birth=born,
            postcode=p["address"].postcode, source="demo (second record)",
            report=rng.choice(reports))
        services.create_link(intel, twin, rng.choice(phones), "uses", source="demo")

    # Releases to partners of a few reports for dissemination
    if second is None:
        return
    for report, agency_name in zip([r for r in reports if r.outcome == "disseminate"][:3],
                                   PARTNERS, strict=False):
        agency = Agency.objects.filter(name=agency_name).first()
        if agency is None:
            continue
        version = services.sanitise(intel, report, text="Information received suggests young "
                                    f"people are being exploited in {report.title.split(':')[0]}."
                                    " Please share any concerns with the police.")
        services.approve_sanitised(second, version)
        services.release(second, version, agency=agency,
                         purpose="Safeguarding young people in the area",
                         agreement=agreement_titled(INTELLIGENCE_AGREEMENT))
