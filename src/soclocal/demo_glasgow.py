"""The Scottish demo: Glasgow City's data zones and SIMD, a synthetic Police Scotland extract
and one community justice partnership's agencies (`soclocal demo --place glasgow`).

The geography is the real open data (areas/demo_data/glasgow/, loaded with the ordinary
importers). The extract is SYNTHETIC, made here at demo time: for each data zone, each month's
count of each crime type is drawn (Poisson, fixed seed) around SIMD 2020's recorded crime for
the data zone, spread over the crime types by fixed shares. It looks like Glasgow's recorded
crime in where it falls, not in any real figure. Safe to run again.
"""

import csv
import math
import random
from pathlib import Path

from django.conf import settings

from soclocal.accounts.models import Agency
from soclocal.core.access import Role

GLASGOW = "S12000049"
DATA = Path(__file__).resolve().parent / "areas" / "demo_data" / "glasgow"
FILES = [("lookups", "dz11_iz11_ltla20.csv"), ("boundaries", "ltla24.geojson"),
         ("boundaries", "dz11.geojson"), ("deprivation", "simd2020_scotland_dz11.csv"),
         ("population", "simd2020_scotland_dz11_indicators.csv")]
MONTHS = [f"{y}-{m:02d}" for y in (2023, 2024) for m in range(1, 13)]
SEED = 2020
PARTNERSHIP = "Glasgow Community Justice Partnership"

# How SIMD's recorded crime (its crime domain counts violence, sexual crimes, housebreaking,
# vandalism, drugs and other crimes) is spread over the extract's crime types: fixed shares,
# made up for the demo, summing to 1.
SHARES = {
    ("Non-sexual crimes of violence", "Common assault"): 0.16,
    ("Non-sexual crimes of violence", "Attempted murder and serious assault"): 0.03,
    ("Non-sexual crimes of violence", "Robbery"): 0.02,
    ("Non-sexual crimes of violence", "Domestic abuse"): 0.02,
    ("Sexual crimes", "Sexual assault"): 0.03,
    ("Crimes of dishonesty", "Housebreaking"): 0.06,
    ("Crimes of dishonesty", "Shoplifting"): 0.12,
    ("Crimes of dishonesty", "Other theft"): 0.1,
    ("Crimes of dishonesty", "Fraud"): 0.06,
    ("Damage and reckless behaviour", "Vandalism"): 0.1,
    ("Damage and reckless behaviour", "Fire-raising"): 0.01,
    ("Crimes against society", "Drugs - Supply"): 0.03,
    ("Crimes against society", "Drugs - Possession"): 0.08,
    ("Crimes against society", "Weapons possession (not used)"): 0.03,
    ("Crimes against society", "Offences relating to serious organised crime"): 0.005,
    ("Crimes against society", "Crimes against public justice"): 0.085,
    ("Antisocial offences", "Threatening and abusive behaviour"): 0.06,
}

AGENCIES = [
    ("Police Scotland, Greater Glasgow Division", Agency.Kind.POLICE, ["Divisional Analysts"]),
    ("Community Justice Glasgow", Agency.Kind.COMMUNITY_SAFETY, ["Partnership Team"]),
    ("Glasgow City Health and Social Care Partnership", Agency.Kind.ADULT_SERVICES,
     ["Justice Social Work"]),
    ("Glasgow City Council Education Services", Agency.Kind.EDUCATION, ["Inclusion"]),
    ("Clydeside Youth Work Collective", Agency.Kind.YOUTH_COMMUNITY, ["Street Work"]),
]
PEOPLE = [
    ("glasgow.admin", "Morag", "Lindsay", "Community justice coordinator",
     "Community Justice Glasgow", "Partnership Team", [Role.PARTNERSHIP_ADMIN]),
    ("glasgow.analyst", "Iain", "Kerr", "Crime analyst",
     "Police Scotland, Greater Glasgow Division", "Divisional Analysts", [Role.ANALYST]),
    ("glasgow.board", "Ailsa", "Moffat", "Partnership chair", "Community Justice Glasgow",
     None, [Role.BOARD_MEMBER]),
]


def load_people():
    from soclocal.demo import load_partnership

    load_partnership(PARTNERSHIP, "Glasgow City", AGENCIES, PEOPLE)


def _poisson(rng: random.Random, mean: float) -> int:
    """A Poisson draw (Knuth's method for small means, normal approximation above 30)."""
    if mean <= 0:
        return 0
    if mean > 30:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def synthetic_extract(path: Path, indicators: Path = DATA / "simd2020_scotland_dz11_indicators.csv",
                      months=MONTHS, seed=SEED) -> Path:
    """Write the synthetic extract: per data zone and month, each type's count drawn around
    SIMD 2020's recorded crime for the zone (a year's count, as published) / 12 x its share.
    Where SIMD suppresses the count ('*'), its rate per 10,000 and the population are used."""
    rng = random.Random(seed)
    with open(indicators, newline="", encoding="utf-8") as f:
        zones = list(csv.DictReader(f))
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["month", "data_zone", "crime_group", "crime_type", "count"])
        for zone in zones:
            yearly = _number(zone["crime_count"])
            if yearly is None:
                rate, people = _number(zone["crime_rate"]), _number(zone["Total_population"])
                yearly = rate * people / 10000 if rate is not None and people else 2.0
            for month in months:
                for (group, crime_type), share in SHARES.items():
                    n = _poisson(rng, yearly / 12 * share)
                    if n:
                        writer.writerow([month, zone["dz11_code"], group, crime_type, n])
    return path


def _number(text):
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def load_glasgow_demo(progress=None):
    """Everything the Glasgow demo needs, and its profile of Glasgow City."""
    from soclocal.areas.imports import run_import
    from soclocal.areas.models import Area, AreaType
    from soclocal.crime.imports import import_paths
    from soclocal.profiles.models import ProfileVersion
    from soclocal.profiles.services import build_profile

    report = progress or (lambda done, total, message="": None)
    steps = len(FILES) + 3
    report(0, steps, "People and agencies")
    load_people()
    for number, (kind, name) in enumerate(FILES, start=1):
        report(number, steps, f"Geography: {name}")
        run_import(kind, DATA / name)
    report(len(FILES) + 1, steps, "A synthetic Police Scotland extract")
    extract = synthetic_extract(Path(settings.DATA_DIR) / "demo"
                                / "police-scotland-glasgow-SYNTHETIC.csv")
    import_paths([extract], skip_unchanged=True)
    report(len(FILES) + 2, steps, "The profile of Glasgow City")
    glasgow = Area.objects.get(type=AreaType.LAD, code=GLASGOW)
    if not ProfileVersion.objects.filter(area=glasgow).exists():
        build_profile(None, glasgow, MONTHS[12], MONTHS[-1])
    report(steps, steps, "Done")


def print_logins():
    print(f"\n{PARTNERSHIP} demo: sign in as {', '.join(p[0] for p in PEOPLE)} "
          f"(password '{settings.DEMO_PASSWORD}'). The Police Scotland extract is synthetic.")
