"""Synthetic people with planted duplicates, for measuring and testing record matching.

Every person here is invented. Names come from the lists below, dates of birth give ages
11 to 60, postcodes look like Nottingham ones (NG1 to NG11) and phones are 07 numbers. About
a third of people share a household (surname, address, postcode) with someone else, so the
file holds near misses, not only strangers. Duplicates of a tenth of the people are then
planted, each with one to three of: a typo in a name, forenames and surname swapped, a middle
name dropped, day and month of birth swapped, a typo in the date of birth, a new address, a
new or missing phone. `generate` is seeded, so the same size and seed give the same file.

    python bench/synthetic_people.py 1000 people.csv
"""

import csv
import random
import sys
from datetime import date, timedelta

FORENAMES = """
Oliver George Harry Jack Jacob Noah Charlie Muhammad Thomas Oscar William James Henry Leo
Alfie Joshua Freddie Archie Ethan Isaac Alexander Joseph Edward Samuel Max Daniel Arthur
Lucas Mohammed Logan Theo Harrison Benjamin Mason Sebastian Finley Adam Dylan Zachary Riley
Teddy Theodore David Toby Jake Louie Elijah Reuben Arlo Hugo Luca Jaxon Matthew Harvey
Reggie Michael Tommy Jenson Rory Ryan Kai Ibrahim Ronnie Jayden Aaron Callum Connor Kieran
Tyler Liam Nathan Jordan Ashley Darren Lee Wayne Dean Craig Gary Paul Mark Stephen Andrew
Olivia Amelia Isla Ava Emily Isabella Mia Poppy Ella Lily Evie Sophia Grace Sophie Freya
Charlotte Scarlett Chloe Daisy Alice Phoebe Matilda Ruby Florence Sienna Evelyn Harper
Millie Jessica Layla Rosie Eva Maya Esme Elsie Erin Maryam Zara Aisha Fatima Amira Keira
Megan Hannah Holly Lauren Bethany Shannon Courtney Jade Chelsea Leanne Kelly Donna Tracey
Claire Nicola Emma Rebecca Sarah Laura Amy Gemma Kirsty Hayley Natalie Stacey Abigail
""".split()

SURNAMES = """
Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts Robinson
Thompson Wright Walker White Edwards Hughes Green Hall Lewis Harris Clarke Patel Jackson
Wood Turner Martin Cooper Hill Ward Morris Moore Clark Lee King Baker Harrison Morgan Allen
James Scott Phillips Watson Davis Parker Price Bennett Young Griffiths Mitchell Kelly Cook
Carter Richardson Bailey Collins Bell Shaw Murphy Miller Cox Richards Khan Marshall Anderson
Simpson Ellis Adams Singh Begum Wilkinson Foster Chapman Powell Webb Rogers Gray Mason Ali
Hunt Hussain Campbell Matthews Owen Palmer Holmes Mills Barnes Knight Lloyd Butler Russell
Barker Fisher Stevens Jenkins Murray Dixon Harvey Graham Pearson Ahmed Fletcher Walsh Kaur
Gibson Howard Andrews Stewart Elliott Reynolds Saunders Payne Fox Ford Pearce Day Brooks
West Lawrence Cole Atkinson Bradley Spencer Gill Dawson Ball Burton O'Brien Watts Rose
Booth Perry Ryan Grant Wells Armstrong Francis Rees Hayes Hart Hudson Newman Barrett Webster
Hunter Gregory Carr Lowe Page Marsh Riley Dunn Woods Parsons Berry Stone Reid Holland
Hawkins Harding Porter Robertson Newton Oliver Reed Kennedy Williamson Bird Gardner Shah
Dean Lane Cooke Bates Henderson Parry Burgess Bishop Walton Burns Nicholson Shepherd Ross
Cross Long Freeman Warren Nicholls Hamilton Byrne Sutton McDonald Yates Hodgson Robson
Curtis Hopkins O'Connor Harper Coleman Watkins Moss McCarthy Chambers O'Neill Griffin Sharp
Hardy Wheeler Potter Osborne Johnston Gordon Doyle Wallace George Jordan Hutchinson Rahman
Okafor Mensah Nowak Kowalski Popescu Ibrahim Mohamed Osei Adeyemi Hassan Chowdhury Akhtar
""".split()

STREETS = """
Alfreton Mansfield Derby Woodborough Carlton Radford Hucknall Sneinton Bulwell Arnold
Gregory Castle Station Church Chapel Mill Park Queens Kings Victoria Albert Windmill Forest
Meadow Trent Lenton Beeston Basford Clifton Wollaton Mapperley Sherwood Bestwood Aspley
""".split()
STREET_KINDS = ["Road", "Street", "Lane", "Avenue", "Close", "Drive", "Grove", "Way"]
SOURCES = ["police", "council", "youth service", "housing", "school"]
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # the letters UK inward codes use
TODAY = date(2026, 1, 1)

COLUMNS = ["reference", "forenames", "surname", "date_of_birth", "address", "postcode", "phone",
           "source"]


def _weighted(rng, names):
    # A few names are common and most are rare, as in life: the first in each list is
    # about twenty times as common as the last.
    weights = _WEIGHTS.setdefault(len(names), [1 / (rank + 8) for rank in range(len(names))])
    return rng.choices(names, weights)[0]


_WEIGHTS: dict[int, list[float]] = {}


def _postcode(rng):
    district = rng.randint(1, 11)
    return (f"NG{district} {rng.randint(1, 9)}"
            f"{rng.choice(INWARD_LETTERS)}{rng.choice(INWARD_LETTERS)}")


def _address(rng):
    return (f"{rng.randint(1, 220)} {rng.choice(STREETS)} {rng.choice(STREET_KINDS)}, "
            "Nottingham")


def _phone(rng):
    return "07" + "".join(str(rng.randint(0, 9)) for _ in range(9))


def _typo(rng, text):
    """One slip of the keyboard: a letter changed, dropped, doubled or two swapped."""
    if len(text) < 3:
        return text + text[-1]
    i = rng.randrange(1, len(text) - 1)
    how = rng.choice(["change", "drop", "double", "swap"])
    if how == "change":
        return text[:i] + rng.choice("aeioulnrst") + text[i + 1:]
    if how == "drop":
        return text[:i] + text[i + 1:]
    if how == "double":
        return text[:i] + text[i] + text[i:]
    return text[:i - 1] + text[i] + text[i - 1] + text[i + 1:]


def _date_typo(rng, iso):
    while True:
        i = rng.choice([2, 3, 6, 8, 9])
        candidate = iso[:i] + str(rng.randint(0, 9)) + iso[i + 1:]
        try:
            if candidate != iso and date.fromisoformat(candidate):
                return candidate
        except ValueError:
            continue


def _person(rng, household=None):
    forenames = _weighted(rng, FORENAMES)
    if rng.random() < 0.15:
        forenames += " " + rng.choice(FORENAMES)
    born = TODAY - timedelta(days=rng.randint(11 * 365 + 3, 60 * 365))
    person = {
        "forenames": forenames,
        "surname": _weighted(rng, SURNAMES),
        "date_of_birth": born.isoformat(),
        "address": _address(rng),
        "postcode": _postcode(rng),
        "phone": _phone(rng) if rng.random() < 0.8 else "",
        "source": rng.choice(SOURCES),
    }
    if household:
        for key in ("surname", "address", "postcode"):
            person[key] = household[key]
    return person


def _duplicate(rng, original):
    copy = dict(original, source=rng.choice(SOURCES))
    changes = rng.sample(["name typo", "swap names", "drop middle name", "swap day and month",
                          "date typo", "move", "new phone", "no phone"], k=rng.randint(1, 3))
    for change in changes:
        if change == "name typo":
            key = rng.choice(["forenames", "surname"])
            copy[key] = _typo(rng, copy[key])
        elif change == "swap names":
            copy["forenames"], copy["surname"] = copy["surname"], copy["forenames"]
        elif change == "drop middle name":
            copy["forenames"] = copy["forenames"].split(" ")[0]
        elif change == "swap day and month":
            y, m, d = copy["date_of_birth"].split("-")
            if int(d) <= 12:
                copy["date_of_birth"] = f"{y}-{d}-{m}"
            else:
                copy["date_of_birth"] = _date_typo(rng, copy["date_of_birth"])
        elif change == "date typo":
            copy["date_of_birth"] = _date_typo(rng, copy["date_of_birth"])
        elif change == "move":
            copy["address"], copy["postcode"] = _address(rng), _postcode(rng)
        elif change == "new phone":
            copy["phone"] = _phone(rng)
        else:
            copy["phone"] = ""
    if rng.random() < 0.2:  # how a postcode is typed is not a difference
        copy["postcode"] = copy["postcode"].replace(" ", "").lower()
    return copy


def generate(n: int, seed: int = 1, duplicate_share: float = 0.1, rounds: int = 1):
    """`n` records (people and planted duplicates) and the set of true duplicate pairs.

    Each duplicate gets one to three slips, `rounds` times over (2 makes harder duplicates).
    Returns (records, pairs): records are dicts in the default people layout; pairs is a set
    of (reference, reference) tuples, the smaller reference first."""
    rng = random.Random(seed)
    originals = round(n / (1 + duplicate_share))
    people = []
    while len(people) < originals:
        person = _person(rng)
        people.append(person)
        if rng.random() < 0.3:  # a brother, sister, parent or child at the same address
            people.append(_person(rng, household=person))
    people = people[:originals]
    records = [(i, p) for i, p in enumerate(people)]
    while len(records) < n:
        i = rng.randrange(originals)
        copy = people[i]
        for _ in range(rounds):
            copy = _duplicate(rng, copy)
        records.append((i, copy))
    rng.shuffle(records)
    by_person: dict[int, list[str]] = {}
    out = []
    for number, (identity, record) in enumerate(records, start=1):
        reference = f"P{number:07d}"
        out.append({"reference": reference, **record})
        by_person.setdefault(identity, []).append(reference)
    pairs = {(a, b) for refs in by_person.values() for a in refs for b in refs if a < b}
    return out, pairs


def write_csv(records, stream):
    writer = csv.DictWriter(stream, fieldnames=COLUMNS, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(records)


if __name__ == "__main__":
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    with open(sys.argv[2], "w", newline="", encoding="utf-8") if len(sys.argv) > 2 \
            else sys.stdout as f:
        write_csv(generate(size)[0], f)
