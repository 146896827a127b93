"""Finding the same person recorded twice (Splink), on synthetic people only."""

import csv
import io
import sys
from datetime import date
from pathlib import Path

import pytest

from soclocal.core import matching
from soclocal.core.matching import Pair, find_pairs

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from synthetic_people import generate  # noqa: E402


def person(reference, forenames, surname, born, postcode=None, phone=None):
    return {"reference": reference, "forenames": forenames, "surname": surname,
            "date_of_birth": born, "postcode": postcode, "phone": phone}


# Hand-made people: each planted pair differs in one of the ways records go wrong.
PEOPLE = [
    person("A1", "Jordan", "Okafor", "2009-03-04", "NG7 5GS", "07911123456"),
    person("A2", "Okafor", "Jordan", date(2009, 3, 4), "ng75gs", None),  # names swapped
    person("B1", "Casey", "Walsh", "2010-05-11", "NG3 2AB", "07911000111"),
    person("B2", "Casey", "Walsh", "2010-11-05", "NG9 8ZZ", None),  # day and month swapped
    person("C1", "Tyler James", "Hussain", "2007-08-21", "NG5 1QQ", "07700111222"),
    person("C2", "Tyler", "Husain", "2007-08-21", "NG5 1QQ", "07700111222"),  # typo, no middle
    person("D1", "Megan", "Price", "1999-01-30", "NG1 1AA", None),
    person("D2", "Ella", "Price", "2003-06-14", "NG1 1AA", None),  # her sister: not the same
    person("E1", "Harry", None, None, None, None),  # hardly anything known
    person("F1", "Kieran", "Mensah", "2008-10-02", "NG2 4BB", None),
    person("F2", "Mensha", "Kieran", "2008-10-02", "NG6 7CC", "07911222333"),  # both slips
]


@pytest.fixture(scope="module")
def hand_pairs():
    return find_pairs("person", PEOPLE)


def test_finds_each_kind_of_planted_duplicate_and_not_the_sister(hand_pairs):
    assert {(p.left, p.right) for p in hand_pairs} == {
        ("A1", "A2"), ("B1", "B2"), ("C1", "C2"), ("F1", "F2")}
    assert all(p.probability >= matching.DEFAULT_THRESHOLD for p in hand_pairs)


def test_says_how_each_field_compared(hand_pairs):
    said = {(p.left, p.right): p.comparisons for p in hand_pairs}
    assert said["A1", "A2"] == {"forenames": "swapped with surname",
                                "surname": "swapped with forenames", "date_of_birth": "exact",
                                "postcode": "exact", "phone": "missing"}
    assert said["B1", "B2"]["date_of_birth"] == "day and month swapped"
    assert said["B1", "B2"]["postcode"] == "different"
    assert said["C1", "C2"]["forenames"] == "first forename matches"
    assert said["C1", "C2"]["surname"] == "very similar"
    assert said["F1", "F2"]["forenames"] == "swapped with surname"  # even with a typo


def test_a_lower_threshold_shows_the_near_miss():
    pairs = find_pairs("person", PEOPLE, threshold=0.0001)
    sisters = next(p for p in pairs if (p.left, p.right) == ("D1", "D2"))
    assert sisters.probability < matching.DEFAULT_THRESHOLD
    assert sisters.comparisons["forenames"] == "different"


def test_precision_and_recall_on_synthetic_people():
    records, truth = generate(400, seed=11)
    found = {(p.left, p.right) for p in find_pairs("person", records)}
    right = len(found & truth)
    assert right / len(found) >= 0.9
    assert right / len(truth) >= 0.85


def test_the_same_records_give_the_same_pairs_in_any_order():
    records, _ = generate(300, seed=5)
    first = find_pairs("person", records)
    again = find_pairs("person", list(reversed(records)))
    assert first and first == again
    assert [p.comparisons for p in first] == [p.comparisons for p in again]
    assert all(p.left < p.right for p in first)
    assert first == sorted(first, key=lambda p: (-p.probability, p.left, p.right))


@pytest.mark.parametrize("records", [[], [PEOPLE[0]]])
def test_nothing_to_pair(records):
    assert find_pairs("person", records) == []


def test_refuses_repeated_references_and_unknown_kinds():
    with pytest.raises(ValueError, match="repeated: A1"):
        find_pairs("person", [PEOPLE[0], PEOPLE[0]])
    with pytest.raises(ValueError, match="needs a reference"):
        find_pairs("person", [PEOPLE[0], {"forenames": "No", "surname": "Reference"}])
    with pytest.raises(ValueError, match="kind 'vehicle'"):
        find_pairs("vehicle", PEOPLE)


def test_pairs_as_json_and_csv():
    pair = Pair("A1", "A2", 0.987654, {"surname": "exact", "phone": "missing"})
    assert matching.pair_as_dict(pair) == {
        "reference_left": "A1", "reference_right": "A2", "probability": 0.987654,
        "comparisons": {"surname": "exact", "phone": "missing"}}
    risky = Pair("=HYPERLINK()", "B", 0.9, {"surname": "exact"})
    rows = list(csv.reader(io.StringIO(matching.pairs_csv([pair, risky]))))
    assert rows == [["reference_left", "reference_right", "probability", "comparisons"],
                    ["A1", "A2", "0.987654", "surname: exact; phone: missing"],
                    ["'=HYPERLINK()", "B", "0.9", "surname: exact"]]
