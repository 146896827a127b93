"""Demo intelligence: partners' submissions, graded reports, a release to the housing
association, and a small network of invented people, an address, a vehicle and a phone.

Every name, place detail, registration and number here is made up (the phone number is in
Ofcom's range kept for drama). The records are made through the services, so the rules and
the audit trail apply. Safe to run again: if demo submissions exist, nothing is done.
"""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from soclocal.accounts.models import Agency, User

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


def load_demo_intelligence(progress=None):
    if demo_present() or not User.objects.filter(username="intel").exists():
        return False
    with transaction.atomic():
        _load()
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
                         purpose="Tenancy enforcement and protecting the tenant")
