"""Linkage on planted data: noisy names, swapped forenames, missing postcodes, siblings."""

from soclocal.evaluation import linkage
from tests.evaluation.synthetic import generate


def _records(data):
    cohort = [{"ref": r["ref"], "forenames": r["forenames"], "surname": r["surname"],
               "date_of_birth": r["date_of_birth"], "postcode": r["postcode"]}
              for r in data.cohort]
    police = [{"ref": p["police_ref"], "forenames": p["forenames"], "surname": p["surname"],
               "date_of_birth": p["date_of_birth"], "postcode": p["postcode"]}
              for p in data.people]
    return cohort, police


def test_finds_the_planted_links_and_few_false_ones():
    data = generate(500, seed=11, noise=0.2)
    found = linkage.link(*_records(data))
    made = {c.cohort_ref: c.police_ref for c in found.links}
    right = sum(1 for c, p in made.items() if data.links.get(c) == p)
    assert right / len(data.links) >= 0.95
    assert (len(made) - right) / len(made) <= 0.02
    # One-to-one: no police record is linked twice.
    assert len(set(made.values())) == len(made)


def test_a_sibling_with_the_same_surname_and_postcode_is_not_linked():
    cohort = [{"ref": "A", "forenames": "Jayden", "surname": "Okafor",
               "date_of_birth": "2009-04-12", "postcode": "NG7 2AB"}]
    police = [{"ref": "P1", "forenames": "Kyle", "surname": "Okafor",
               "date_of_birth": "2011-09-30", "postcode": "NG7 2AB"}]
    assert linkage.link(cohort, police).candidates == []


def test_swapped_names_typos_and_no_postcode_still_link_on_date_of_birth():
    cohort = [{"ref": "A", "forenames": "Jayden Lee", "surname": "Okafor",
               "date_of_birth": "2009-04-12", "postcode": ""},
              {"ref": "B", "forenames": "Maisie", "surname": "Carrington",
               "date_of_birth": "2010-01-05", "postcode": "NG5 1AA"}]
    police = [{"ref": "P1", "forenames": "Lee Jayden", "surname": "Okafor",
               "date_of_birth": "2009-04-12", "postcode": "NG7 2AB"},
              {"ref": "P2", "forenames": "Carrington", "surname": "Maisey",
               "date_of_birth": "2010-01-05", "postcode": ""}]
    found = linkage.link(cohort, police)
    assert {(c.cohort_ref, c.police_ref) for c in found.links} == {("A", "P1"), ("B", "P2")}
    assert found.candidates[0].comparisons["date_of_birth"] == "exact"


def test_the_same_names_with_another_date_of_birth_are_at_most_uncertain():
    cohort = [{"ref": "A", "forenames": "Jayden", "surname": "Okafor",
               "date_of_birth": "2009-04-12", "postcode": ""}]
    police = [{"ref": "P1", "forenames": "Jayden", "surname": "Okafor",
               "date_of_birth": "2007-11-03", "postcode": ""}]
    assert linkage.link(cohort, police).links == []


def test_names_rearranged_shortened_and_mistyped_as_police_records_often_hold_them():
    # Each police record differs from the young person's in ways seen in real extracts: the
    # surname given as a forename with several forenames, a short form with the names swapped,
    # a mistyped surname and day and month swapped with the same home.
    cohort = [{"ref": "A", "forenames": "Michael Zara", "surname": "Green",
               "date_of_birth": "2006-04-29", "postcode": "NG6 9SW"},
              {"ref": "B", "forenames": "Abigail Benjamin", "surname": "Francis",
               "date_of_birth": "2009-05-18", "postcode": "NG8 1YJ"},
              {"ref": "C", "forenames": "Christopher", "surname": "Taylor",
               "date_of_birth": "2010-09-05", "postcode": "NG9 4BU"},
              {"ref": "D", "forenames": "William Elizabeth", "surname": "Hall",
               "date_of_birth": "2007-01-09", "postcode": "NG7 6SZ"},
              {"ref": "E", "forenames": "Samantha", "surname": "Okafor",
               "date_of_birth": "2008-03-14", "postcode": "NG3 2AB"}]
    police = [{"ref": "P1", "forenames": "Green", "surname": "Michael",
               "date_of_birth": "2006-04-29", "postcode": ""},
              {"ref": "P2", "forenames": "FRANCIS", "surname": "ABBY BENJAMIN",
               "date_of_birth": "2009-05-18", "postcode": "NG8 1YJ"},
              {"ref": "P3", "forenames": "Taylor", "surname": "Chris",
               "date_of_birth": "2010-09-05", "postcode": "NG9 4BU"},
              {"ref": "P4", "forenames": "William Elizabeth", "surname": "Hal",
               "date_of_birth": "2007-09-01", "postcode": "NG7 6SZ"},
              {"ref": "P5", "forenames": "Sam", "surname": "Okafor",
               "date_of_birth": "2008-03-14", "postcode": "NG5 7QT"},
              # Others of the same ages who are not in the cohort.
              {"ref": "P6", "forenames": "Kyle", "surname": "Green",
               "date_of_birth": "2008-02-11", "postcode": "NG6 9SW"},
              {"ref": "P7", "forenames": "Sandra", "surname": "Okafor",
               "date_of_birth": "2005-03-14", "postcode": "NG3 2AB"}]
    found = linkage.link(cohort, police)
    assert {(c.cohort_ref, c.police_ref) for c in found.links} == {
        ("A", "P1"), ("B", "P2"), ("C", "P3"), ("D", "P4"), ("E", "P5")}
