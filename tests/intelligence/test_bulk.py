"""The bulk import parser: valid files come back whole, every problem is named by file,
line and field, and nothing a file holds raises anything but ImportFailed."""

import csv
import io
import string
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from soclocal.core.imports import ImportFailed
from soclocal.intelligence import bulk
from soclocal.intelligence.bulk import LinkRow, PersonRow

FAST = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])


def csv_bytes(header, rows):
    stream = io.StringIO()
    writer = csv.writer(stream)
    writer.writerow(header)
    writer.writerows(rows)
    return stream.getvalue().encode()


def xlsx_bytes(header, rows):
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def failure(call):
    with pytest.raises(ImportFailed) as caught:
        call()
    return caught.value.errors


PEOPLE_HEADER = list(bulk.PEOPLE_FIELDS)
GOOD_PERSON = ["P1", "Jordan", "Okafor", "04/03/2009", "12 Radford Road", "ng7 5gs",
               "07911 123456", "youth service"]


def test_reads_the_default_people_layout():
    people = bulk.parse_people(csv_bytes(PEOPLE_HEADER, [GOOD_PERSON]), "people.csv")
    assert people == [PersonRow(2, "P1", "Jordan", "Okafor", date(2009, 3, 4),
                                "12 Radford Road", "NG7 5GS", "07911123456", "youth service")]


def test_reads_another_layout_through_a_mapping_and_from_excel():
    header = ["Ref", "First names", "Last name", "DOB", "Post code"]
    rows = [["A-7", "Casey", "Walsh", date(2010, 12, 1), "NG1 1AA"]]
    people = bulk.parse_people(
        xlsx_bytes(header, rows), "partners.xlsx",
        mapping={"reference": "Ref", "forenames": "First names", "surname": "Last name",
                 "date_of_birth": "DOB", "postcode": "Post code"})
    assert people == [PersonRow(2, "A-7", "Casey", "Walsh", date(2010, 12, 1), "", "NG1 1AA",
                                "", "")]


def test_every_problem_is_named_with_file_line_and_field():
    rows = [
        GOOD_PERSON,
        ["P1", "Sam", "Lee", "2001-02-30", "", "NOT A CODE", "phone me", ""],
        ["", "", "", "31/12/2999", "", "", "", ""],
        ["P4", "Ash", "Kay", "1 March 2001", "", "", "", ""],
    ]
    errors = failure(lambda: bulk.parse_people(csv_bytes(PEOPLE_HEADER, rows), "people.csv"))
    where = {(e.file, e.line, e.field) for e in errors}
    assert where == {
        ("people.csv", 3, "reference"), ("people.csv", 3, "date_of_birth"),
        ("people.csv", 3, "postcode"), ("people.csv", 3, "phone"),
        ("people.csv", 4, "reference"), ("people.csv", 4, "surname"),
        ("people.csv", 4, "date_of_birth"), ("people.csv", 5, "date_of_birth"),
    }
    said = "\n".join(str(e) for e in errors)
    assert "people.csv, line 3, field reference: the reference 'P1' is also on line 2" in said
    assert "'2001-02-30' is not a real date" in said
    assert "is in the future" in said


def test_a_missing_column_is_named_on_the_header_line():
    errors = failure(lambda: bulk.parse_people(
        csv_bytes(["reference", "forenames", "surname"], [["P1", "A", "B"]]), "p.csv"))
    assert [(e.line, e.field) for e in errors] == [(1, "date_of_birth")]
    errors = failure(lambda: bulk.parse_people(
        csv_bytes(PEOPLE_HEADER, [GOOD_PERSON]), "p.csv", mapping={"surname": "Family name"}))
    assert [(e.line, e.field) for e in errors] == [(1, "surname")]


LINK_HEADER = list(bulk.LINK_FIELDS)


def test_links_join_known_records_and_people_in_the_same_import():
    people = csv_bytes(PEOPLE_HEADER, [GOOD_PERSON])
    links = csv_bytes(LINK_HEADER, [["P1", "OLD-9", "Member of", "2024-01-01", "", "police"]])
    found_people, found_links = bulk.parse_bulk(
        people=(people, "people.csv"), links=(links, "links.csv"), known_references={"OLD-9"})
    assert [p.reference for p in found_people] == ["P1"]
    assert found_links == [LinkRow(2, "P1", "OLD-9", "member_of", date(2024, 1, 1), None,
                                   "police")]


def test_every_link_problem_is_named():
    rows = [
        ["P1", "NOBODY", "associate", "", "", ""],
        ["P1", "P2", "friend", "", "", ""],
        ["P1", "P2", "family", "2024-05-01", "01/04/2024", ""],
        ["P1", "P1", "uses", "", "", ""],
        ["", "P2", "owns", "soon", "", ""],
    ]
    errors = failure(lambda: bulk.parse_links(csv_bytes(LINK_HEADER, rows), "links.csv",
                                              known_references={"P1", "P2"}))
    assert {(e.line, e.field) for e in errors} == {
        (2, "to_reference"), (3, "kind"), (4, "end"), (5, "to_reference"),
        (6, "from_reference"), (6, "start")}


def test_errors_in_both_files_come_together():
    errors = failure(lambda: bulk.parse_bulk(
        people=(csv_bytes(PEOPLE_HEADER, [["P1", "A", "B", "x", "", "", "", ""]]), "p.csv"),
        links=(csv_bytes(LINK_HEADER, [["P1", "P9", "family", "", "", ""]]), "l.csv")))
    assert {(e.file, e.line, e.field) for e in errors} == {
        ("p.csv", 2, "date_of_birth"), ("l.csv", 2, "to_reference")}


@pytest.mark.parametrize("data, name", [
    (b"", "empty.csv"), (b"\xff\xfe\x00garbage", "bad.csv"), (b"not a workbook", "bad.xlsx"),
    (b"reference,forenames\n", "headonly.csv"), (b"x", "old.xls"),
])
def test_unreadable_files_are_problems_not_crashes(data, name):
    errors = failure(lambda: bulk.parse_people(data, name))
    assert errors and all(e.file == name for e in errors)


# Property-based tests

text = st.text(alphabet=string.ascii_letters + " '-", min_size=1, max_size=20).map(
    str.strip).filter(bool)
people_rows = st.lists(st.tuples(
    text, text, st.dates(date(1940, 1, 1), date(2020, 12, 31)), text,
    st.sampled_from(["NG1 1AA", "NG11 7BD", "DE1 2QQ", "SW1A 1AA", "M1 1AE"]),
    st.from_regex(r"07[0-9]{9}", fullmatch=True), st.sampled_from(["police", "council", ""]),
), min_size=1, max_size=15)


@FAST
@given(rows=people_rows, excel=st.booleans(), uk_dates=st.booleans())
def test_valid_people_come_back_as_written(rows, excel, uk_dates):
    written = []
    for i, (forenames, surname, born, address, postcode, phone, source) in enumerate(rows):
        shown = born.strftime("%d/%m/%Y") if uk_dates else born.isoformat()
        written.append([f"R{i}", forenames, surname, shown, address, postcode, phone, source])
    data = (xlsx_bytes if excel else csv_bytes)(PEOPLE_HEADER, written)
    people = bulk.parse_people(data, "p.xlsx" if excel else "p.csv")
    assert [(p.line, p.reference, p.forenames, p.surname, p.date_of_birth, p.address,
             p.postcode, p.phone, p.source) for p in people] == [
        (i + 2, f"R{i}", *row) for i, row in enumerate(rows)]


BAD_VALUES = {
    "reference": [""],
    "date_of_birth": ["31/02/2001", "2001-13-01", "yesterday", "1/1/01", "3000-01-01"],
    "postcode": ["NG", "12345", "NGG7 2AB7"],
    "phone": ["call me", "12", "+44 (0) x"],
}


@FAST
@given(rows=people_rows, data=st.data())
def test_each_bad_value_is_named_by_line_and_field(rows, data):
    written = [[f"R{i}", r[0], r[1], r[2].isoformat(), r[3], r[4], r[5], r[6]]
               for i, r in enumerate(rows)]
    spoilt = data.draw(st.integers(0, len(written) - 1))
    field = data.draw(st.sampled_from(sorted(BAD_VALUES)))
    written[spoilt][PEOPLE_HEADER.index(field)] = data.draw(st.sampled_from(BAD_VALUES[field]))
    errors = failure(lambda: bulk.parse_people(csv_bytes(PEOPLE_HEADER, written), "p.csv"))
    assert (spoilt + 2, field) in {(e.line, e.field) for e in errors}


@FAST
@given(cells=st.lists(st.lists(st.text(max_size=12), min_size=6, max_size=6), max_size=6),
       known=st.sets(st.text(max_size=5), max_size=5))
def test_anything_in_a_links_file_parses_or_fails_cleanly(cells, known):
    data = csv_bytes(LINK_HEADER, cells)
    try:
        links = bulk.parse_links(data, "l.csv", known_references=known)
    except ImportFailed as e:
        assert all(err.file == "l.csv" and str(err) for err in e.errors)
    else:
        assert all(link.kind in bulk.LINK_KINDS for link in links)


@FAST
@given(data=st.binary(max_size=300), excel=st.booleans())
def test_any_bytes_parse_or_fail_cleanly(data, excel):
    try:
        bulk.parse_people(data, "x.xlsx" if excel else "x.csv")
    except ImportFailed as e:
        assert e.errors


def test_parsed_people_can_be_matched_as_they_are():
    from soclocal.core.matching import find_pairs

    rows = [GOOD_PERSON, ["P2", "Okafor", "Jordan", "2009-03-04", "", "NG7 5GS", "", ""]]
    people = bulk.parse_people(csv_bytes(PEOPLE_HEADER, rows), "people.csv")
    assert [(p.left, p.right) for p in find_pairs("person", people)] == [("P1", "P2")]
