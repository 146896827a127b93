"""Linkage recall and precision, and interval coverage, of the outcome evaluation on
synthetic data with planted links and a planted effect (tests/evaluation/synthetic.py).

    .venv/bin/python bench/bench_evaluation.py [PEOPLE] [RUNS]

Each run generates a cohort of PEOPLE young people (default 3000) and a police extract
(77% of them found, with noisy names, plus as many other young people), runs the standalone
evaluation, and prints the share of true links found (recall), the share of links made that
are true (precision), and whether each planted effect lies inside its 95% interval.
"""

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "soclocal.config.settings")


def main(people=3000, runs=3):
    import django

    django.setup()
    from tests.evaluation.synthetic import generate

    from soclocal.core.imports import Problems
    from soclocal.evaluation import linkage
    from soclocal.evaluation.files import read_cohort, read_police_extract
    from soclocal.evaluation.standalone import evaluate_files

    covered, total = 0, 0
    for seed in range(1, runs + 1):
        data = generate(people, seed=seed)
        with tempfile.TemporaryDirectory() as folder:
            cohort_path, people_path, events_path = data.write(folder)
            started = time.monotonic()
            cohort = read_cohort(cohort_path.read_bytes(), Problems("cohort"))
            police, _events, _ = read_police_extract(people_path, events_path)
            found = linkage.link(
                [{"ref": m.ref, "forenames": m.forenames, "surname": m.surname,
                  "date_of_birth": m.date_of_birth, "postcode": m.postcode} for m in cohort],
                [{"ref": p.police_ref, "forenames": p.forenames, "surname": p.surname,
                  "date_of_birth": p.date_of_birth, "postcode": p.postcode} for p in police])
            made = {c.cohort_ref: c.police_ref for c in found.links}
            right = sum(1 for c, p in made.items() if data.links.get(c) == p)
            recall = right / len(data.links)
            precision = right / len(made) if made else 1.0
            doc = evaluate_files(cohort_path, people_path, events_path)
            took = time.monotonic() - started
        print(f"seed {seed}: {people} young people, {len(police)} police people; "
              f"recall {recall:.2%}, precision {precision:.2%} (false links "
              f"{len(made) - right}, uncertain {len(found.uncertain)}); {took:.0f} s")
        for e in doc["estimates"]:
            if e["measure"] in data.effect:
                truth = data.effect[e["measure"]]
                ratio = e["ratio"]
                inside = ratio["ci_low"] <= truth <= ratio["ci_high"]
                expected = data.expected_difference(e["measure"], doc["window_months"])
                diff = e["difference"]
                inside_d = diff["ci_low"] <= expected <= diff["ci_high"]
                found = e["found_only"]["difference"]
                expected_f = data.expected_difference(e["measure"], doc["window_months"],
                                                      found_only=True)
                inside_f = found["ci_low"] <= expected_f <= found["ci_high"]
                covered += inside + inside_d + inside_f
                total += 3
                print(f"  {e['measure']}: ratio {ratio['estimate']:.3f} "
                      f"({ratio['ci_low']:.3f} to {ratio['ci_high']:.3f}), planted {truth} "
                      f"{'inside' if inside else 'OUTSIDE'}; difference "
                      f"{diff['estimate']:+.3f} ({diff['ci_low']:+.3f} to {diff['ci_high']:+.3f}),"
                      f" expected {expected:+.3f} {'inside' if inside_d else 'OUTSIDE'}; "
                      f"among those found {found['estimate']:+.3f} ({found['ci_low']:+.3f} to "
                      f"{found['ci_high']:+.3f}), expected {expected_f:+.3f} "
                      f"{'inside' if inside_f else 'OUTSIDE'}")
    print(f"planted effects inside their 95% intervals: {covered} of {total}")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
