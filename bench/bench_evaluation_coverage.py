"""Interval coverage and linkage of the standalone outcome evaluation over many synthetic
datasets, made by a generator of its own (not tests/evaluation/synthetic.py), so the check
does not share the assumptions of the code it checks.

    .venv/bin/python bench/bench_evaluation_coverage.py [PEOPLE] [RUNS]

Each run writes a cohort of PEOPLE young people (default 248, as in the seed evaluation),
60% engaged, 77% of them in a police extract under noisy names (one to three of: a typo in
a forename or the surname, forenames in another order, a short form or nickname, a new or no
postcode, day and month of birth swapped, forenames and surname swapped, a middle name
dropped, capitals) among 1.5 times as many other young people (some siblings sharing a
surname and home). Each found young person has a rate of each kind of event drawn from a
gamma distribution (mean 1, shape 1.5); events fall uniformly in 365 days before and after
referral, Poisson with that rate times 2.0 arrests, 2.5 offences and 1.5 missing episodes
before, times 0.85 after for everyone (a common trend), and times the planted effect after
for those engaged (arrests 0.6, offences 0.75, missing episodes 0.7). It then runs
`evaluate_files` (linkage with the model, then the estimates) and counts how often each
planted ratio lies inside its 95% interval, and the linkage's recall and false links.
"""

import csv
import json
import os
import random
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "soclocal.config.settings")

import numpy as np  # noqa: E402

FIRST = {
    "William": ["Will", "Bill", "Liam"], "James": ["Jim", "Jamie"], "Robert": ["Rob", "Bob"],
    "Thomas": ["Tom", "Tommy"], "Daniel": ["Dan", "Danny"], "Joseph": ["Joe", "Joey"],
    "Michael": ["Mike", "Mikey"], "Christopher": ["Chris"], "Matthew": ["Matt"],
    "Anthony": ["Tony"], "Alexander": ["Alex", "Xander"], "Benjamin": ["Ben"],
    "Samuel": ["Sam"], "Jonathan": ["Jon", "Johnny"], "Nathaniel": ["Nathan", "Nate"],
    "Edward": ["Ed", "Eddie"], "Charles": ["Charlie"], "Oliver": ["Ollie"], "Harry": [],
    "Jack": [], "Kai": [], "Tyler": [], "Reece": [], "Callum": ["Cal"], "Jayden": ["Jay"],
    "Mohammed": ["Mo"], "Ibrahim": [], "Kwame": [], "Tyrone": ["Ty"], "Dylan": [],
    "Elizabeth": ["Liz", "Beth", "Lizzie"], "Katherine": ["Kate", "Katie"],
    "Rebecca": ["Becky"], "Jessica": ["Jess"], "Samantha": ["Sam"], "Victoria": ["Vicky"],
    "Abigail": ["Abby"], "Natasha": ["Tash"], "Jennifer": ["Jen", "Jenny"], "Chloe": [],
    "Amelia": ["Millie"], "Olivia": ["Liv"], "Megan": ["Meg"], "Leah": [], "Shannon": [],
    "Aaliyah": [], "Zara": [], "Destiny": [], "Precious": [], "Courtney": [],
}
NAMES = list(FIRST)
SURNAMES = ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies",
            "Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green",
            "Hall", "Wood", "Jackson", "Clarke", "Patel", "Khan", "Begum", "Hussain", "Ali",
            "Campbell", "Stewart", "Murphy", "Kelly", "Okafor", "Mensah", "Adeyemi", "Nowak",
            "Kowalski", "Baker", "Harris", "Lewis", "Martin", "Cooper", "Hill", "Ward",
            "Morris", "Moore", "Clark", "Lee", "King", "Scott", "Turner", "Mitchell", "Parker",
            "Edwards", "Collins", "Bennett", "Cook", "Bailey", "Bell", "Richardson", "Cox",
            "Howard", "Ahmed", "Shah", "Grant", "Francis", "Gordon", "Palmer", "Reid"]
DISTRICTS = [f"NG{i}" for i in range(1, 12)]
KINDS = ["arrest", "offence", "missing episode"]
GROUPS = ["violence", "sexual", "robbery", "burglary", "theft", "drugs", "weapons",
          "public order", "criminal damage", "other"]
GROUP_P = [0.25, 0.02, 0.08, 0.07, 0.18, 0.15, 0.08, 0.07, 0.06, 0.04]


def postcode(rng):
    return f"{rng.choice(DISTRICTS)} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"


def typo(rng, s):
    if len(s) < 3:
        return s
    i = rng.randrange(1, len(s))
    op = rng.choice(["sub", "del", "ins", "trans"])
    letters = "abcdefghijklmnopqrstuvwxyz"
    if op == "sub":
        return s[:i] + rng.choice(letters) + s[i + 1:]
    if op == "del":
        return s[:i] + s[i + 1:]
    if op == "ins":
        return s[:i] + rng.choice(letters) + s[i:]
    if i < len(s) - 1:
        return s[:i] + s[i + 1] + s[i] + s[i + 2:]
    return s


def noisy(rng, p):
    """A police version of a cohort person with one to three kinds of noise."""
    q = dict(p)
    ops = rng.sample(["typo_fore", "typo_sur", "swap_forenames", "nickname", "postcode",
                      "dob_swap", "swap_fore_sur", "drop_middle", "case"], rng.choice([1, 1, 2, 2, 3]))
    for op in ops:
        if op == "typo_fore":
            q["forenames"] = typo(rng, q["forenames"])
        elif op == "typo_sur":
            q["surname"] = typo(rng, q["surname"])
        elif op == "swap_forenames" and " " in q["forenames"]:
            a = q["forenames"].split(" ")
            q["forenames"] = " ".join(reversed(a))
        elif op == "nickname":
            parts = q["forenames"].split(" ")
            nick = FIRST.get(parts[0])
            if nick:
                parts[0] = rng.choice(nick)
                q["forenames"] = " ".join(parts)
        elif op == "postcode":
            q["postcode"] = postcode(rng) if rng.random() < 0.8 else ""
        elif op == "dob_swap":
            d = date.fromisoformat(q["date_of_birth"])
            if d.day <= 12 and d.day != d.month:
                q["date_of_birth"] = date(d.year, d.day, d.month).isoformat()
        elif op == "swap_fore_sur":
            q["forenames"], q["surname"] = q["surname"], q["forenames"]
        elif op == "drop_middle" and " " in q["forenames"]:
            q["forenames"] = q["forenames"].split(" ")[0]
        elif op == "case":
            q["forenames"] = q["forenames"].upper()
            q["surname"] = q["surname"].upper()
    return q, ops


def person(rng, start_year=2003, end_year=2012):
    fore = rng.choice(NAMES)
    if rng.random() < 0.4:
        fore += " " + rng.choice(NAMES)
    dob = date(start_year, 1, 1) + timedelta(days=rng.randrange((end_year - start_year) * 365))
    return {"forenames": fore, "surname": rng.choice(SURNAMES),
            "date_of_birth": dob.isoformat(), "postcode": postcode(rng)}


def main(out, n, seed, effects=None, trend=0.85, window_days=365, found_share=0.77,
         engaged_share=0.6, decoys=1.5, shape=1.5):
    rng = random.Random(seed)
    nrng = np.random.default_rng(seed)
    effects = effects or {"arrests": 0.6, "missing episode": 0.7, "offence": 0.75}
    base = {"arrest": 2.0, "offence": 2.5, "missing episode": 1.5}  # mean per window
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    cohort, people, events, links = [], [], [], {}
    pid = 0
    for i in range(n):
        p = person(rng)
        ref = f"YP{i:05d}"
        referral = date(2021, 1, 1) + timedelta(days=rng.randrange(900))
        engaged = rng.random() < engaged_share
        cohort.append({"ref": ref, **p, "referral_date": referral.isoformat(),
                       "engaged": "yes" if engaged else "no",
                       "area_code": rng.choice(["E05012345", "E05012346", "E05012347"])})
        if rng.random() < found_share:
            pid += 1
            pref = f"P{pid:06d}"
            q, _ = noisy(rng, p)
            people.append({"police_ref": pref, **q})
            links[ref] = pref
            frailty = nrng.gamma(shape, 1 / shape)
            for kind, mu in base.items():
                key = {"arrest": "arrests", "offence": "offence",
                       "missing episode": "missing episode"}[kind]
                after_mult = trend * (effects.get(key, 1.0) if engaged else 1.0)
                nb = nrng.poisson(mu * frailty)
                na = nrng.poisson(mu * frailty * after_mult)
                for k, side in ((nb, -1), (na, 1)):
                    for _ in range(k):
                        off = rng.randrange(window_days)
                        day = referral - timedelta(days=off + 1) if side < 0 else referral + timedelta(days=off)
                        g = "" if kind == "missing episode" else (
                            rng.choices(GROUPS, GROUP_P)[0] if kind == "offence" or rng.random() < 0.7 else "")
                        events.append({"police_ref": pref, "date": day.isoformat(), "kind": kind,
                                       "offence_group": g})
    # decoys: other young people known to police; some siblings of cohort members
    for _ in range(int(n * decoys)):
        pid += 1
        pref = f"P{pid:06d}"
        if rng.random() < 0.15:
            sib = rng.choice(cohort)
            p = person(rng)
            p["surname"], p["postcode"] = sib["surname"], sib["postcode"]
        else:
            p = person(rng)
        people.append({"police_ref": pref, **p})
        for _ in range(nrng.poisson(3)):
            day = date(2020, 1, 1) + timedelta(days=rng.randrange(1900))
            kind = rng.choice(KINDS)
            g = rng.choices(GROUPS, GROUP_P)[0] if kind == "offence" else ""
            events.append({"police_ref": pref, "date": day.isoformat(), "kind": kind,
                           "offence_group": g})
    rng.shuffle(people)
    rng.shuffle(events)
    for name, rows, cols in (("cohort.csv", cohort, ["ref", "forenames", "surname", "date_of_birth", "postcode", "referral_date", "engaged", "area_code"]),
                             ("people.csv", people, ["police_ref", "forenames", "surname", "date_of_birth", "postcode"]),
                             ("events.csv", events, ["police_ref", "date", "kind", "offence_group"])):
        with open(out / name, "w", newline="") as f:
            w = csv.DictWriter(f, cols)
            w.writeheader()
            w.writerows(rows)
    (out / "truth.json").write_text(json.dumps({"links": links, "effects": effects, "trend": trend}))


def run(people=248, runs=100):
    import django

    django.setup()
    from soclocal.core.imports import Problems
    from soclocal.evaluation import linkage
    from soclocal.evaluation.files import read_cohort, read_police_extract
    from soclocal.evaluation.standalone import evaluate_files

    planted = {"arrests": ("arrests", "arrests"), "offences": ("offence", "offences"),
               "missing_episodes": ("missing episode", "missing episodes")}
    inside = {m: 0 for m in planted}
    estimated = {m: 0 for m in planted}
    true_links = made_links = right_links = 0
    worst_recall, worst_false = 1.0, 0.0
    for seed in range(1, runs + 1):
        with tempfile.TemporaryDirectory() as folder:
            main(folder, people, seed)
            folder = Path(folder)
            truth = json.loads((folder / "truth.json").read_text())
            cohort = read_cohort((folder / "cohort.csv").read_bytes(), Problems("cohort"))
            police, _events, _ = read_police_extract(folder / "people.csv",
                                                     folder / "events.csv")
            found = linkage.link(
                [{"ref": m.ref, "forenames": m.forenames, "surname": m.surname,
                  "date_of_birth": m.date_of_birth, "postcode": m.postcode} for m in cohort],
                [{"ref": p.police_ref, "forenames": p.forenames, "surname": p.surname,
                  "date_of_birth": p.date_of_birth, "postcode": p.postcode} for p in police])
            made = {c.cohort_ref: c.police_ref for c in found.links}
            right = sum(1 for c, p in made.items() if truth["links"].get(c) == p)
            true_links += len(truth["links"])
            made_links += len(made)
            right_links += right
            worst_recall = min(worst_recall, right / len(truth["links"]))
            worst_false = max(worst_false, (len(made) - right) / max(len(made), 1))
            doc = evaluate_files(folder / "cohort.csv", folder / "people.csv",
                                 folder / "events.csv")
        misses = []
        for estimate in doc["estimates"]:
            if estimate["measure"] in planted and estimate["ratio"]:
                effect = truth["effects"][planted[estimate["measure"]][0]]
                ratio = estimate["ratio"]
                estimated[estimate["measure"]] += 1
                if ratio["ci_low"] <= effect <= ratio["ci_high"]:
                    inside[estimate["measure"]] += 1
                else:
                    misses.append(f"{estimate['measure']} {effect} not in "
                                  f"[{ratio['ci_low']:.3f}, {ratio['ci_high']:.3f}]")
        print(f"seed {seed}: recall {right / len(truth['links']):.1%}, false links "
              f"{len(made) - right}; {'; '.join(misses) or 'every planted ratio inside'}",
              flush=True)
    print(f"\n{runs} datasets of {people} young people")
    print(f"linkage: recall {right_links / true_links:.2%} (lowest {worst_recall:.1%}), "
          f"false links {(made_links - right_links) / made_links:.2%} of links made "
          f"(highest {worst_false:.1%})")
    for measure in planted:
        share = inside[measure] / estimated[measure] if estimated[measure] else float("nan")
        print(f"{measure}: planted ratio inside its 95% interval in {inside[measure]} of "
              f"{estimated[measure]} ({share:.0%})")


if __name__ == "__main__":
    run(*(int(a) for a in sys.argv[1:3]))
