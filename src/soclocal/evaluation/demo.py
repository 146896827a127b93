"""The demo evaluation: a synthetic police extract for the demo's young people and for
comparators (young people referred earlier who did not engage), linked and evaluated, so the
report is ready to open. Calibrated to the seed evaluation: about 77% of young people found
in police data, most of them with several arrests and missing episodes in the year before
referral. Every person here is invented.
"""

import csv
import random
import tempfile
from datetime import datetime, time, timedelta
from pathlib import Path

from django.db import transaction
from django.utils import timezone

SEED = 4077
FOUND_SHARE = 0.77
COMPARATORS = 36
WINDOW_MONTHS = 6
FORENAMES = ["Aaron", "Bailey", "Cameron", "Dante", "Elliot", "Frankie", "Gabriel", "Harley",
             "Imran", "Jamal", "Kayden", "Leon", "Marcus", "Nathaniel", "Omari", "Precious",
             "Quinn", "Rico", "Shay", "Tia", "Usman", "Vinnie", "Wes", "Xavier", "Yusuf",
             "Zion", "Amari", "Brooke", "Callum", "Demi", "Eden", "Faith", "Grace", "Hassan",
             "Isaiah", "Jada"]
SURNAMES = ["Ashworth", "Bramley", "Castle", "Denton", "Eastwood", "Fairbairn", "Greaves",
            "Holloway", "Ingram", "Jarvis", "Kirkby", "Lindley", "Mapperley", "Newstead",
            "Oakley", "Pendle", "Radford", "Sneinton", "Trent", "Underwood", "Vernon",
            "Wollaton", "Yardley", "Basford", "Carlton", "Dunkirk", "Lenton", "Bulwell",
            "Clifton", "Hyson", "Meadows", "Bestwood", "Rise", "Sherwood", "Bilborough",
            "Aspley"]
OTHER_POLICE = 40
GROUPS = ["violence", "drugs", "theft", "robbery", "weapons", "public order",
          "criminal damage", "burglary", "other"]
GROUP_WEIGHTS = [28, 24, 16, 8, 8, 6, 5, 3, 2]


def _at(day, hour=10):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _comparators(rng, today):
    """Young people referred 7 to 30 months ago who were signposted, declined or never
    reached: the comparison group."""
    from soclocal.accounts.models import Agency, Team, User
    from soclocal.cases import services as cases
    from soclocal.cases.demo import CONCERNS, SOURCES, YOUTH_JUSTICE
    from soclocal.cases.models import Case, Referral, YoungPerson

    existing = YoungPerson.objects.exclude(home_area=None)
    areas = [yp.home_area for yp in existing.select_related("home_area")[:60]]
    agency = Agency.objects.get(name=YOUTH_JUSTICE[0])
    team = Team.objects.get(agency=agency, name=YOUTH_JUSTICE[1])
    practitioner = User.objects.get(username="practitioner")
    manager = User.objects.get(username="manager")
    for i in range(COMPARATORS):
        received = today - timedelta(days=rng.randint(215, 900))
        dob = received - timedelta(days=int(rng.uniform(11.5, 17.0) * 365.25))
        concerns, reasons, indicators = rng.choice(CONCERNS)
        source, referrer_name = rng.choice(SOURCES)
        referral = cases.record_referral(
            practitioner, person={
                "first_name": FORENAMES[i], "last_name": SURNAMES[i], "date_of_birth": dob,
                "gender": "not_known", "home_area": rng.choice(areas) if areas else None},
            family=[], received_at=_at(received), agency=agency, team=team, source=source,
            referrer_name=referrer_name, reasons=reasons, indicators=indicators,
            concerns=concerns, risks="", young_person_consents_to_service=True,
            caregiver_consents_to_service=True, lawful_basis="consent")
        decision = rng.choice(["decline", "signpost"])
        cases.triage(manager, referral, decision=decision,
                     reason="Did not take up the offer of support.",
                     signposted_to="Youth club" if decision == "signpost" else "")
        decided = _at(received + timedelta(days=rng.randint(2, 10)), 14)
        Referral.objects.filter(pk=referral.pk).update(decided_at=decided)
        Case.objects.filter(pk=referral.case_id).update(closed_at=decided)


def _typo(rng, word):
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    return word[:i] + word[i + 1] + word[i] + word[i + 2:]


def _extract(rng, today, folder: Path):
    """Write people.csv and events.csv for the cohort (and other young people)."""
    from .services import cohort

    people, events = [], []
    start = today - timedelta(days=3 * 365)

    def add_events(ref, rate_before, rate_after, referral, kinds):
        for kind, scale in kinds:
            for first, last, rate in ((start, referral - timedelta(days=1), rate_before),
                                      (referral, today, rate_after)):
                days = (last - first).days + 1
                if days <= 0:
                    continue
                expected = rate * scale * days / 365.25
                for _ in range(_poisson(rng, expected)):
                    day = first + timedelta(days=rng.randrange(days))
                    group = "" if kind == "missing episode" else rng.choices(
                        GROUPS, GROUP_WEIGHTS)[0]
                    events.append([ref, day.isoformat(), kind, group])

    n = 0
    for yp in cohort().prefetch_related("cases__referrals").order_by("pk"):
        if rng.random() > FOUND_SHARE:
            continue
        n += 1
        ref = f"NP{n:05d}"
        forenames, surname = yp.first_name, yp.last_name
        if rng.random() < 0.15:
            forenames = _typo(rng, forenames)
        if rng.random() < 0.1:
            surname = _typo(rng, surname)
        people.append([ref, forenames, surname, yp.date_of_birth.isoformat(),
                       "" if rng.random() < 0.4 else f"NG{rng.randint(1, 11)} "
                       f"{rng.randint(1, 9)}{rng.choice('ABDEFGHJ')}{rng.choice('LNPQRSTU')}"])
        cases = list(yp.cases.all())
        referral = min(timezone.localtime(r.received_at).date()
                       for c in cases for r in c.referrals.all())
        engaged = any(c.first_engaged_on for c in cases)
        # Several arrests and missing episodes a year before referral; fewer after, more so
        # for those who engaged.
        level = rng.gammavariate(2.0, 1.0)
        after = level * (0.55 if engaged else 0.9)
        add_events(ref, level, after, referral,
                   [("arrest", 2.0), ("offence", 2.5), ("missing episode", 2.2)])
    for k in range(OTHER_POLICE):
        ref = f"NP{n + k + 1:05d}"
        dob = today - timedelta(days=rng.randint(12 * 365, 19 * 365))
        people.append([ref, rng.choice(FORENAMES), rng.choice(SURNAMES) + "e", dob.isoformat(),
                       ""])
        add_events(ref, 0.5, 0.5, today, [("arrest", 1.0), ("offence", 1.5)])
    events.sort(key=lambda e: (e[1], e[0]))
    paths = folder / "police-people.csv", folder / "police-events.csv"
    for path, header, rows in ((paths[0], ["police_ref", "forenames", "surname",
                                           "date_of_birth", "postcode"], people),
                               (paths[1], ["police_ref", "date", "kind", "offence_group"],
                                events)):
        with open(path, "w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f)
            writer.writerow(header)
            writer.writerows(rows)
    return paths


def _poisson(rng, mean):
    """A Poisson draw (Knuth; the means here are small)."""
    import math

    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


@transaction.atomic
def load_demo_evaluation(progress=None):
    """Import the demo police extract, link the cohort and save an evaluation, unless one
    is there already."""
    from .models import EvaluationRun
    from .services import import_police, link_cohort, run_evaluation

    if EvaluationRun.objects.exists():
        return None
    from soclocal.cases.models import YoungPerson

    if not YoungPerson.objects.exists():
        return None
    rng = random.Random(SEED)
    today = timezone.localdate()
    if progress:
        progress(0, 3, "Demo evaluation: comparison group")
    _comparators(rng, today)
    with tempfile.TemporaryDirectory() as folder:
        people_path, events_path = _extract(rng, today, Path(folder))
        if progress:
            progress(1, 3, "Demo evaluation: police extract")
        extract = import_police(None, people_path, events_path, today=today)
    link_cohort(None, extract)
    if progress:
        progress(2, 3, "Demo evaluation: linking and estimates")
    run = run_evaluation(None, comparison=EvaluationRun.Comparison.NOT_ENGAGED,
                         window_months=WINDOW_MONTHS, extract=extract, today=today)
    if progress:
        progress(3, 3, "Demo evaluation ready")
    return run
