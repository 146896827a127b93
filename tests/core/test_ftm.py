"""The FollowTheMoney export: every object loads in the followthemoney library and is valid."""

import json
from datetime import date

import pytest
from followthemoney import model

from soclocal.core import ftm

ENTITIES = [
    {"id": 1, "kind": "person", "properties": {
        "forenames": "Jordan Lee", "surname": "Okafor", "date_of_birth": date(2009, 3, 4),
        "address": "12 Radford Road, Nottingham", "postcode": "NG7 5GS",
        "phone": "07911 123456"}},
    {"id": 2, "kind": "person", "properties": {"forenames": "Casey", "surname": "Walsh",
                                               "date_of_birth": None, "phone": "not a phone"}},
    {"id": 3, "kind": "person", "properties": {}},
    {"id": 4, "kind": "organisation", "properties": {"name": "The Meadows crew",
                                                     "organised_crime_group": True}},
    {"id": 5, "kind": "organisation", "properties": {"name": "Youth club",
                                                     "organised_crime_group": False}},
    {"id": 6, "kind": "address", "properties": {"full": "Flat 2, 9 Trent Street, Nottingham",
                                                "postcode": "NG2 3AB"}},
    {"id": 7, "kind": "vehicle", "properties": {"registration": "ab12 cde", "make": "Ford",
                                                "model": "Focus", "colour": "blue"}},
    {"id": 8, "kind": "phone", "properties": {"number": "07911123457"}},
    {"id": 9, "kind": "phone", "properties": {"number": "0000"}},
    {"id": 10, "kind": "online_account", "properties": {"platform": "Snapchat",
                                                        "username": "j_oka"}},
    {"id": 11, "kind": "business", "properties": {"name": "Quick Car Wash Ltd"}},
]
LINKS = [
    {"id": 101, "kind": "associate", "from": 1, "to": 2, "start": "2024-01-01", "end": None},
    {"id": 102, "kind": "family", "from": 1, "to": 3, "start": None, "end": None},
    {"id": 103, "kind": "member_of", "from": 1, "to": 4, "start": date(2023, 5, 1),
     "end": date(2024, 2, 1)},
    {"id": 104, "kind": "owns", "from": 2, "to": 7, "start": None, "end": None},
    {"id": 105, "kind": "occupies", "from": 1, "to": 6, "start": "2022-01-01", "end": None},
    {"id": 106, "kind": "uses", "from": 1, "to": 8, "start": None, "end": None},
    {"id": 107, "kind": "uses", "from": 1, "to": 10, "start": None, "end": None},
    {"id": 108, "kind": "seen_at", "from": 7, "to": 6, "start": "2024-06-01", "end": None},
    {"id": 109, "kind": "pays", "from": 11, "to": 2, "start": "2024-03-01", "end": None},
    {"id": 110, "kind": "owns", "from": 1, "to": 11, "start": None, "end": None},
    # ends that do not fit the schema of their kind
    {"id": 111, "kind": "family", "from": 1, "to": 4, "start": None, "end": None},
    {"id": 112, "kind": "owns", "from": 1, "to": 6, "start": None, "end": None},
    {"id": 113, "kind": "member_of", "from": 1, "to": 2, "start": None, "end": None},
    {"id": 114, "kind": "pays", "from": 1, "to": 8, "start": None, "end": None},
]


@pytest.fixture(scope="module")
def exported():
    return list(ftm.export(ENTITIES, LINKS))


def by_id(exported, our_id, what="entity"):
    wanted = ftm.entity_id(our_id, what)
    return next(e for e in exported if e["id"] == wanted)


def test_every_object_is_valid_ftm(exported):
    assert len(exported) == len(ENTITIES) + len(LINKS)
    ids = {e["id"] for e in exported}
    assert len(ids) == len(exported)
    for data in exported:
        proxy = model.get_proxy(data, cleaned=False)
        proxy.schema.validate(data)  # raises InvalidData if not valid
        for prop in proxy.schema.required:
            assert proxy.get(prop), (data, prop)
        for prop, value in proxy.itervalues():
            if prop.type.name == "entity":  # every reference points at something exported
                assert value in ids


def test_schemata_chosen(exported):
    schema = {e["id"]: e["schema"] for e in exported}
    assert [schema[ftm.entity_id(i)] for i in range(1, 12)] == [
        "Person", "Person", "Person", "Organization", "Organization", "Address", "Vehicle",
        "UserAccount", "UserAccount", "UserAccount", "Company"]
    assert [schema[ftm.entity_id(i, "link")] for i in range(101, 115)] == [
        "Associate", "Family", "Membership", "Ownership", "UnknownLink", "UnknownLink",
        "UnknownLink", "UnknownLink", "Payment", "Ownership",
        "UnknownLink", "UnknownLink", "UnknownLink", "UnknownLink"]


def test_properties_carried_over(exported):
    person = by_id(exported, 1)["properties"]
    assert person["name"] == ["Jordan Lee Okafor"]
    assert person["firstName"] == ["Jordan"] and person["middleName"] == ["Lee"]
    assert person["birthDate"] == ["2009-03-04"]
    assert person["phone"] == ["+447911123456"]
    assert person["address"] == ["12 Radford Road, Nottingham, NG7 5GS"]
    assert "phone" not in by_id(exported, 2)["properties"]  # not a number; dropped
    assert by_id(exported, 3)["properties"]["name"] == [ftm.NO_NAME]
    gang = by_id(exported, 4)["properties"]
    assert gang["topics"] == ["crime"]
    assert "topics" not in by_id(exported, 5)["properties"]
    assert by_id(exported, 7)["properties"]["registrationNumber"] == ["AB12 CDE"]
    phone = by_id(exported, 8)["properties"]
    assert phone["service"] == ["phone"] and phone["phone"] == ["+447911123457"]
    membership = by_id(exported, 103, "link")["properties"]
    assert membership["member"] == [ftm.entity_id(1)]
    assert membership["organization"] == [ftm.entity_id(4)]
    assert membership["startDate"] == ["2023-05-01"] and membership["endDate"] == ["2024-02-01"]
    assert by_id(exported, 105, "link")["properties"]["role"] == ["occupies"]
    assert by_id(exported, 111, "link")["properties"]["role"] == ["family"]


def test_ids_are_stable_and_json_lines_parse():
    first = list(ftm.export_lines(ENTITIES, LINKS))
    assert first == list(ftm.export_lines(ENTITIES, LINKS))
    assert all(line.endswith("\n") and json.loads(line)["id"] for line in first)


def test_a_link_to_an_entity_not_exported_is_an_error():
    with pytest.raises(ValueError, match="link 9: its 'to' entity 99"):
        list(ftm.export(ENTITIES[:1], [{"id": 9, "kind": "family", "from": 1, "to": 99}]))


def test_an_unknown_kind_is_an_error():
    with pytest.raises(ValueError, match="kind 'ship'"):
        list(ftm.export([{"id": 1, "kind": "ship", "properties": {}}], []))


# Whatever the entities hold, the export is valid FtM.

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

FIELDS = {"person": ["forenames", "surname", "date_of_birth", "address", "postcode", "phone"],
          "organisation": ["name"], "address": ["full", "postcode"],
          "vehicle": ["registration", "make", "model", "colour"], "phone": ["number"],
          "online_account": ["platform", "username"], "business": ["name"]}
values = st.one_of(st.none(), st.text(max_size=15), st.dates().map(str),
                   st.from_regex(r"07[0-9]{9}", fullmatch=True))


@st.composite
def networks(draw):
    kinds = draw(st.lists(st.sampled_from(sorted(FIELDS)), min_size=2, max_size=8))
    entities = [{"id": i, "kind": kind, "properties": {
        **{f: draw(values) for f in FIELDS[kind]},
        **({"organised_crime_group": draw(st.booleans())} if kind == "organisation" else {})}}
        for i, kind in enumerate(kinds)]
    dates = st.one_of(st.none(), st.dates(date(1990, 1, 1), date(2030, 1, 1)))
    links = [{"id": f"L{n}", "kind": draw(st.sampled_from(sorted(ftm.LINK_SCHEMA))),
              "from": draw(st.integers(0, len(kinds) - 1)),
              "to": draw(st.integers(0, len(kinds) - 1)), "start": draw(dates),
              "end": draw(dates)} for n in range(draw(st.integers(0, 10)))]
    return entities, links


@settings(max_examples=80, deadline=None)
@given(network=networks())
def test_any_network_exports_as_valid_ftm(network):
    entities, links = network
    for data in ftm.export(entities, links):
        proxy = model.get_proxy(data, cleaned=False)
        proxy.schema.validate(data)
        assert all(proxy.get(prop) for prop in proxy.schema.required), data
