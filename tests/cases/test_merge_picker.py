"""Merging duplicates by searching, picking two records and comparing them side by side."""

import pytest
from django.urls import reverse

from soclocal.cases import selectors, services
from soclocal.cases.models import YoungPerson
from soclocal.core.models import AuditEvent

from .conftest import person_data, referral_data

pytestmark = pytest.mark.django_db


def record(people, who="practitioner", agency=None, **person):
    kwargs = {"agency": agency, "team": None} if agency is not None else {}
    r = services.record_referral(people[who], person=person_data(**person), **kwargs,
                                 **referral_data())
    return r.case.young_person


def test_close_names_with_the_same_birthday_are_suggested_and_others_are_not(people):
    a = record(people, first_name="Jordan", last_name="Smith", police_id="P1")
    b = record(people, first_name="Jordon", last_name="Smith", social_care_id="S9")
    record(people, first_name="Alex", last_name="Brown")  # same birthday, other name
    pairs = selectors.likely_duplicates(people["manager"])
    assert [(p["first"], p["second"]) for p in pairs] == [(a, b)]
    assert pairs[0]["similarity"] >= 80
    # A practitioner cannot merge, so sees no suggestions.
    assert selectors.likely_duplicates(people["practitioner"]) == []


def test_only_records_the_manager_may_see_are_found_or_compared(client, people):
    ours = record(people, first_name="Casey", last_name="Jones")
    theirs = record(people, who="police_manager", agency=people["police_manager"].agency,
                    first_name="Casey", last_name="Jones")
    assert selectors.find_for_merge(people["manager"], name="Casey Jones") == [ours]
    assert selectors.likely_duplicates(people["manager"]) == []
    client.force_login(people["manager"])
    response = client.get(reverse("cases:merge_compare"), {"a": ours.pk, "b": theirs.pk})
    assert response.status_code == 404
    assert AuditEvent.objects.filter(action="access.denied", object_id=str(theirs.pk)).exists()


def test_search_pick_compare_and_merge_keeps_both_histories(client, people):
    keep = record(people, first_name="Jordan", last_name="Smith", police_id="P1")
    dup = record(people, first_name="Jordon", last_name="Smyth", school="Hill Academy")
    client.force_login(people["manager"])
    page = client.get(reverse("cases:merge"), {"search": "1", "name": "Jordan Smith"})
    text = page.content.decode()
    assert f'value="{keep.pk}"' in text and f'value="{dup.pk}"' in text
    one = client.get(reverse("cases:merge"), {"search": "1", "name": "Jordan Smith",
                                              "pick": keep.pk})
    assert "Choose exactly two records to compare" in one.content.decode()
    two = client.get(reverse("cases:merge"), {"search": "1", "name": "Jordan Smith",
                                              "pick": [keep.pk, dup.pk]})
    assert two.status_code == 302 and "/merge/compare/" in two["Location"]
    compare = client.get(two["Location"])
    text = compare.content.decode()
    assert "Hill Academy" in text and "P1" in text and "Jordon Smyth" in text
    viewed = AuditEvent.objects.filter(action="cases.young_person.viewed",
                                       purpose="Checking for duplicate records")
    assert {e.object_id for e in viewed} == {str(keep.pk), str(dup.pk)}
    # Without a reason nothing happens and the choice made is kept.
    response = client.post(two["Location"], {"keep": str(keep.pk)})
    assert response.status_code == 200
    assert "Say why these records are the same young person" in response.content.decode()
    assert f'value="{keep.pk}" checked' in response.content.decode()
    dup.refresh_from_db()
    assert dup.merged_into is None
    response = client.post(two["Location"], {"keep": str(keep.pk), "reason": "Same school "
                                             "and birthday; name misspelt"})
    assert response.status_code == 302
    dup.refresh_from_db()
    keep.refresh_from_db()
    assert dup.merged_into == keep
    assert keep.cases.count() == 2 and keep.school == "Hill Academy"
    event = AuditEvent.objects.filter(action="cases.young_person.merged").last()
    assert event.object_id == str(keep.pk) and event.detail["duplicate"] == dup.pk
    # A merged record is no longer offered.
    assert YoungPerson.objects.get(pk=dup.pk) not in selectors.find_for_merge(
        people["manager"], name="Jordon Smyth")


def test_the_second_record_can_be_the_one_kept_and_bad_picks_are_explained(client, people):
    a = record(people, first_name="Sam", last_name="Lee")
    b = record(people, first_name="Sam", last_name="Lea")
    client.force_login(people["manager"])
    url = reverse("cases:merge_compare") + f"?a={a.pk}&b={b.pk}"
    client.post(url, {"keep": str(b.pk), "reason": "Same person"})
    a.refresh_from_db()
    assert a.merged_into == b
    response = client.get(reverse("cases:merge_compare"), {"a": "x", "b": b.pk}, follow=True)
    assert "Choose two different records to compare" in response.content.decode()
    text = client.get(reverse("cases:merge"), {"search": "1"}).content.decode()
    assert "Enter a name or a date of birth to search for" in text


def test_a_date_of_birth_alone_lists_everyone_born_that_day(people):
    a = record(people, first_name="Robin", last_name="Hart")
    b = record(people, first_name="Kai", last_name="Moss")
    found = selectors.find_for_merge(people["manager"], date_of_birth=a.date_of_birth)
    assert set(found) == {a, b}


def test_one_record_written_two_ways_is_not_compared_with_itself(client, people):
    a = record(people, first_name="Ari", last_name="Cole")
    client.force_login(people["manager"])
    for pair in ({"a": a.pk, "b": f"0{a.pk}"}, {"a": f" {a.pk}", "b": a.pk}):
        response = client.get(reverse("cases:merge_compare"), pair, follow=True)
        assert "Choose two different records to compare" in response.content.decode()
    assert not AuditEvent.objects.filter(action="cases.young_person.viewed").exists()


def test_showing_the_suggested_pairs_is_recorded(client, people):
    a = record(people, first_name="Jordan", last_name="Smith")
    b = record(people, first_name="Jordon", last_name="Smith")
    client.force_login(people["manager"])
    assert client.get(reverse("cases:merge")).status_code == 200
    listed = AuditEvent.objects.get(action="cases.young_person.duplicates_listed")
    assert listed.detail["pairs"] == [[a.pk, b.pk]]
    assert listed.purpose == "Checking for duplicate records"
