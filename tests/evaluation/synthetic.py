"""A synthetic cohort and police extract with planted links and a planted effect.

Every person is invented. Young people are referred between `first_referral` and
`last_referral`, aged 11 to 17; about `found_share` of them have a police record, written
with the noise real extracts have: typos in names, forenames given in another order or
swapped with the surname, middle names dropped, missing or changed postcodes, and a few
dates of birth with the day and month swapped. The extract also holds other young people
(some of them brothers and sisters, and twins, of the cohort: same surname and postcode).

Events (arrests, offences, missing episodes) happen at a steady rate per person, different
for each person, over the whole extract period; from referral on, everyone's rate changes by
`trend`, and engagers' rates by `effect` on top (a ratio per measure: 0.6 means 40% fewer).
`truth` gives the true links, the planted ratios, and the expected difference-in-differences
per person for a window length (from the rates, so it is the value the estimator aims at).

    python -m tests.evaluation.synthetic 3000 /tmp/eval  (writes cohort.csv, people.csv, events.csv)
"""

import csv
import random
import string
import sys
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

FORENAMES = """Oliver George Harry Jack Jacob Noah Charlie Muhammad Thomas Oscar William James
Henry Leo Alfie Joshua Freddie Archie Ethan Isaac Alexander Joseph Edward Samuel Max Daniel
Arthur Lucas Mohammed Logan Theo Harrison Benjamin Mason Sebastian Finley Adam Dylan Zachary
Riley Teddy David Toby Jake Louie Elijah Reuben Arlo Hugo Luca Jaxon Matthew Harvey Reggie
Michael Tommy Jenson Rory Ryan Kai Ibrahim Ronnie Jayden Aaron Callum Connor Kieran Tyler
Liam Nathan Jordan Olivia Amelia Isla Ava Emily Isabella Mia Poppy Ella Lily Evie Sophia
Grace Sophie Freya Charlotte Scarlett Chloe Daisy Alice Phoebe Matilda Ruby Florence Sienna
Evelyn Harper Millie Jessica Layla Rosie Eva Maya Esme Elsie Erin Maryam Zara Aisha Fatima
Amira Keira Megan Hannah Holly Lauren Bethany Shannon Courtney Jade Chelsea Leanne""".split()

SURNAMES = """Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts
Robinson Thompson Wright Walker White Edwards Hughes Green Hall Lewis Harris Clarke Patel
Jackson Wood Turner Martin Cooper Hill Ward Morris Moore Clark Lee King Baker Harrison Morgan
Allen James Scott Phillips Watson Davis Parker Price Bennett Young Griffiths Mitchell Kelly
Cook Carter Richardson Bailey Collins Bell Shaw Murphy Miller Cox Richards Khan Marshall
Anderson Simpson Ellis Adams Singh Begum Wilkinson Foster Chapman Powell Webb Rogers Gray
Mason Ali Hunt Hussain Campbell Matthews Owen Palmer Holmes Mills Barnes Knight Lloyd Butler
Russell Barker Fisher Stevens Jenkins Murray Dixon Harvey Graham Pearson Ahmed Fletcher
Walsh Kaur Gibson Howard Andrews Stewart Elliott Reynolds Saunders Payne Fox Ford Pearce
Day Brooks West Lawrence Cole Atkinson Bradley Spencer Gill Dawson Ball Burton O'Brien Watts
Rose Booth Perry Ryan Grant Wells Armstrong Francis Rees Hayes Hart Hudson Newman Barrett
Webster Hunter Gregory Carr Lowe Page Marsh Riley Dunn Woods Parsons Berry Stone Reid
Holland Hawkins Harding Porter Robertson Newton Oliver Reed Kennedy Williamson Bird Gardner
Shah Dean Lane Cooke Bates Henderson Parry Burgess Bishop Walton Burns Nicholson Shepherd
Ross Cross Long Freeman Warren Nicholls Hamilton Byrne Sutton McDonald Yates Hodgson
Robson Curtis Hopkins O'Connor Harper Coleman Watkins Moss McCarthy Chambers""".split()

AREAS = ["E05012270", "E05012271", "E05012272", "E05012273", "E05012274", "E05012275"]
GROUPS = ["violence", "sexual", "robbery", "burglary", "theft", "drugs", "weapons",
          "public order", "criminal damage", "other"]
GROUP_WEIGHTS = [25, 2, 8, 6, 18, 20, 8, 6, 5, 2]
MEASURES = {"arrest": "arrests", "offence": "offences", "missing episode": "missing_episodes"}
DAYS_PER_MONTH = 365.25 / 12


@dataclass
class Synthetic:
    cohort: list
    people: list
    events: list
    links: dict  # cohort ref -> police ref
    effect: dict  # measure -> planted ratio for engagers after referral
    rates: dict = field(default_factory=dict)  # police ref -> {kind: (before, after) per day}
    referral: dict = field(default_factory=dict)  # cohort ref -> (date, engaged)
    data_from: date = date(2020, 1, 1)
    data_to: date = date(2025, 12, 31)

    def expected_difference(self, measure: str, months: int, found_only=False) -> float:
        """The expected difference-in-differences per person (engaged minus comparison
        change) for a window of `months`, over the members whose windows the data covers
        (with `found_only`, over those with a police record alone)."""
        from soclocal.evaluation.windows import add_months

        kind = {v: k for k, v in MEASURES.items()}[measure]
        change = {True: [], False: []}
        for row in self.cohort:
            day, engaged = self.referral[row["ref"]]
            start, end = add_months(day, -months), add_months(day, months)
            if start < self.data_from or end - timedelta(days=1) > self.data_to:
                continue
            police = self.links.get(row["ref"])
            if found_only and not police:
                continue
            before_rate, after_rate = self.rates[police][kind] if police else (0.0, 0.0)
            change[engaged].append(after_rate * (end - day).days
                                   - before_rate * (day - start).days)
        return (sum(change[True]) / len(change[True])
                - sum(change[False]) / len(change[False]))

    def write(self, folder):
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        for name, rows in (("cohort.csv", self.cohort), ("people.csv", self.people),
                           ("events.csv", self.events)):
            with open(folder / name, "w", newline="", encoding="utf-8") as f:
                writer = csv.DictWriter(f, fieldnames=list(rows[0]))
                writer.writeheader()
                writer.writerows(rows)
        return folder / "cohort.csv", folder / "people.csv", folder / "events.csv"


def _typo(rng, word):
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    action = rng.choice(["swap", "drop", "replace", "double"])
    if action == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if action == "drop":
        return word[:i] + word[i + 1:]
    if action == "double":
        return word[:i] + word[i] + word[i:]
    return word[:i] + rng.choice(string.ascii_lowercase) + word[i + 1:]


def _postcode(rng):
    return (f"NG{rng.randint(1, 11)} {rng.randint(1, 9)}"
            f"{rng.choice('ABDEFGHJLNPQRSTUWXY')}{rng.choice('ABDEFGHJLNPQRSTUWXY')}")


def _noisy(rng, forenames, surname, dob, postcode, noise):
    """A police record of a person as an extract might hold it."""
    names = forenames.split()
    if len(names) > 1 and rng.random() < 0.2:
        names = names[:1]  # middle name dropped
    elif len(names) > 1 and rng.random() < 0.15:
        names = names[1:] + names[:1]  # forenames in another order
    forenames = " ".join(names)
    if rng.random() < noise:
        forenames = _typo(rng, forenames)
    if rng.random() < noise:
        surname = _typo(rng, surname)
    if rng.random() < noise / 3:
        forenames, surname = surname, forenames  # swapped
    if rng.random() < 0.01:
        dob = date(dob.year, dob.day, dob.month) if dob.day <= 12 else dob
    roll = rng.random()
    if roll < 0.3:
        postcode = ""  # missing
    elif roll < 0.45:
        postcode = _postcode(rng)  # moved
    return forenames, surname, dob, postcode


def generate(n=2000, *, seed=1, found_share=0.77, engaged_share=0.55, others=None,
             noise=0.15, effect=None, trend=0.85, first_referral=date(2021, 6, 1),
             last_referral=date(2024, 6, 30)) -> Synthetic:
    import numpy as np

    rng = random.Random(seed)
    nprng = np.random.default_rng(seed)
    effect = effect or {"arrests": 0.6, "offences": 0.7, "missing_episodes": 0.5}
    data = Synthetic([], [], [], {}, dict(effect))
    span = (last_referral - first_referral).days
    police_n = 0

    def new_police_ref():
        nonlocal police_n
        police_n += 1
        return f"P{police_n:07d}"

    def person(age_from=11, age_to=17, at=None):
        at = at or first_referral
        forenames = rng.choice(FORENAMES)
        if rng.random() < 0.3:
            forenames += " " + rng.choice(FORENAMES)
        dob = at - timedelta(days=rng.randint(age_from * 365, age_to * 365 + 364))
        return forenames, rng.choice(SURNAMES), dob, _postcode(rng)

    def add_events(ref, before, after, referral):
        """Events at `before` per day up to referral, `after` from it (referral None: one
        rate throughout)."""
        for kind, (b, a) in {k: (before[k], after[k]) for k in before}.items():
            segments = [(data.data_from, data.data_to, b)] if referral is None else [
                (data.data_from, referral - timedelta(days=1), b), (referral, data.data_to, a)]
            for start, end, rate in segments:
                days = (end - start).days + 1
                for _ in range(nprng.poisson(rate * days)):
                    day = start + timedelta(days=int(nprng.integers(0, days)))
                    group = ("" if kind == "missing episode"
                             else rng.choices(GROUPS, GROUP_WEIGHTS)[0])
                    data.events.append({"police_ref": ref, "date": day.isoformat(),
                                        "kind": kind, "offence_group": group})

    def monthly_rates():
        # Most young people referred have several arrests and missing episodes a year before.
        level = nprng.gamma(2.0, 0.5)
        return {"arrest": level * 0.35 / DAYS_PER_MONTH,
                "offence": level * 0.45 / DAYS_PER_MONTH,
                "missing episode": nprng.gamma(1.5, 0.4) / DAYS_PER_MONTH}

    households = []
    for i in range(1, n + 1):
        ref = f"YP{i:06d}"
        referral = first_referral + timedelta(days=rng.randint(0, span))
        forenames, surname, dob, postcode = person(at=referral)
        engaged = rng.random() < engaged_share
        area = rng.choice(AREAS)
        households.append((surname, postcode, dob))
        cohort_postcode = postcode if rng.random() > 0.15 else ""
        data.cohort.append({"ref": ref, "forenames": forenames, "surname": surname,
                            "date_of_birth": dob.isoformat(), "postcode": cohort_postcode,
                            "referral_date": referral.isoformat(),
                            "engaged": "yes" if engaged else "no", "area_code": area})
        data.referral[ref] = (referral, engaged)
        if rng.random() < found_share:
            police = new_police_ref()
            f, s, d, p = _noisy(rng, forenames, surname, dob, postcode, noise)
            data.people.append({"police_ref": police, "forenames": f, "surname": s,
                                "date_of_birth": d.isoformat(), "postcode": p})
            data.links[ref] = police
            before = monthly_rates()
            after = {k: v * trend * (effect[MEASURES[k]] if engaged else 1.0)
                     for k, v in before.items()}
            data.rates[police] = {k: (before[k], after[k]) for k in before}
            add_events(police, before, after, referral)

    # Other young people in the extract: strangers, and brothers, sisters and twins.
    for _ in range(n if others is None else others):
        police = new_police_ref()
        if rng.random() < 0.25 and households:
            surname, postcode, dob = rng.choice(households)
            if rng.random() < 0.05:
                sibling_dob = dob  # a twin
            else:
                sibling_dob = dob + timedelta(days=rng.choice([-1, 1]) * rng.randint(300, 1500))
            forenames = rng.choice(FORENAMES)
            record = (forenames, surname, sibling_dob, postcode if rng.random() < 0.7 else "")
        else:
            f, s, d, p = person()
            record = (f, s, d, p if rng.random() < 0.7 else "")
        data.people.append({"police_ref": police, "forenames": record[0], "surname": record[1],
                            "date_of_birth": record[2].isoformat(), "postcode": record[3]})
        rates = monthly_rates()
        data.rates[police] = {k: (v, v) for k, v in rates.items()}
        add_events(police, rates, rates, None)
    rng.shuffle(data.people)
    data.events.sort(key=lambda e: (e["date"], e["police_ref"]))
    return data


if __name__ == "__main__":
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    out = sys.argv[2] if len(sys.argv) > 2 else "."
    made = generate(size)
    print(*made.write(out), sep="\n")
