"""The bulk import page and the clerical review pages, through HTTP as an officer uses them."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from soclocal.core.audit import AuditEvent
from soclocal.intelligence import services
from soclocal.intelligence.models import Entity, Merge, PairReview

pytestmark = pytest.mark.django_db


def upload(client, name, content, kind="people"):
    return client.post(reverse("intelligence:import"), {
        "action": "upload", "kind": kind, "file": SimpleUploadedFile(name, content)},
        follow=True)


def xlsx(rows):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def officer(client, people, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    client.force_login(people["intel"])
    return people["intel"]


def test_import_with_a_column_mapping_chosen_on_the_page(client, officer, tmp_path):
    content = xlsx([["ID", "First", "Last", "DOB", "Post code"],
                    ["N1", "Jo", "Lee", date(2001, 3, 4), "ng1 1aa"],
                    ["N2", "Sam", "Kay", "31/12/1999", ""]])
    page = upload(client, "nominals.xlsx", content)
    text = page.content.decode()
    assert "nominals.xlsx" in text and '<option value="DOB">DOB</option>' in text
    # The required fields the header does not name are not guessed: the form says so.
    page = client.post(reverse("intelligence:import"), {"action": "import", "forenames": "First"})
    text = page.content.decode()
    assert "Choose the column that holds the reference" in text
    assert '<option value="First" selected>First</option>' in text  # what was chosen is kept
    assert not Entity.objects.exists()
    page = client.post(reverse("intelligence:import"), {
        "action": "import", "reference": "ID", "forenames": "First", "surname": "Last",
        "date_of_birth": "DOB", "postcode": "Post code"}, follow=True)
    assert page.redirect_chain[-1][0] == reverse("intelligence:entities")
    assert "Imported 2 people and 0 links from nominals.xlsx" in page.content.decode()
    assert sorted(Entity.objects.values_list("reference", "postcode", "date_of_birth")) == [
        ("N1", "NG1 1AA", date(2001, 3, 4)), ("N2", "", date(1999, 12, 31))]
    assert set(Entity.objects.values_list("owning_agency", flat=True)) == {officer.agency_id}
    assert AuditEvent.objects.filter(action="intelligence.import.done",
                                     actor_id=officer.pk).exists()
    assert not list((tmp_path / "imports").iterdir())  # the held file is gone


def test_every_problem_is_shown_and_nothing_is_saved(client, officer):
    content = (b"reference,forenames,surname,date_of_birth\nA1,Jo,Lee,2001-02-30\n"
               b"A1,,,\n")
    upload(client, "people.csv", content)
    page = client.post(reverse("intelligence:import"), {
        "action": "import", "reference": "reference", "forenames": "forenames",
        "surname": "surname", "date_of_birth": "date_of_birth"})
    text = page.content.decode()
    assert "Nothing was imported: the file has 3 problems" in text
    assert "&#x27;2001-02-30&#x27; is not a real date" in text
    assert "the reference &#x27;A1&#x27; is also on line 2" in text
    assert not Entity.objects.exists()
    page = upload(client, "people.ods", b"x")
    assert "Choose a CSV or Excel .xlsx file" in page.content.decode()
    page = upload(client, "big.csv", b"reference\n" + b"A" * (1024 * 1024))
    assert "big.csv is larger than 1 MB" in page.content.decode()


def test_links_file_through_the_page(client, officer):
    a = services.create_person(officer, reference="L1", surname="One")
    b = services.create_person(officer, reference="L2", surname="Two")
    upload(client, "links.csv", b"from_reference,to_reference,kind\nL1,L2,associate\n",
           kind="links")
    page = client.post(reverse("intelligence:import"), {
        "action": "import", "from_reference": "from_reference", "to_reference": "to_reference",
        "kind": "kind"}, follow=True)
    assert "Imported 0 people and 1 links" in page.content.decode()
    assert a.links_out.get().to_entity == b


@pytest.fixture
def twins(people):
    intel = people["intel"]
    a = services.create_person(intel, reference="T1", forenames="Kieran",
                               surname="Brackenbury", date_of_birth=date(1990, 4, 12),
                               postcode="NG7 2AB", phone="07700900111")
    b = services.create_person(intel, reference="T2", forenames="Brackenbury",
                               surname="Kieran", date_of_birth=date(1990, 4, 12),
                               postcode="NG7 2AB")
    for i in range(10):
        services.create_person(intel, reference=f"X{i}", forenames=f"Someone{chr(65 + i)}",
                               surname=f"Else{chr(80 + i)}", date_of_birth=date(1960 + i, 2, 2))
    return a, b


def test_review_confirm_merges_and_undo_from_the_pages(client, officer, people, twins):
    a, b = twins
    page = client.get(reverse("intelligence:duplicates"))
    text = page.content.decode()
    assert "T1 and T2: probability" in text and "swapped with surname" in text
    assert "X1" not in text
    url = reverse("intelligence:pair", args=[a.pk, b.pk])
    page = client.post(url, {"decision": "same", "survivor": "", "note": "Same DOB"})
    text = page.content.decode()
    assert "Choose which record stays" in text and "Same DOB" in text  # kept what was typed
    page = client.post(url, {"decision": "same", "survivor": str(b.pk)}, follow=True)
    assert "Merged: the record that stays is T2" in page.content.decode()
    a.refresh_from_db()
    assert a.merged_into == b
    review = PairReview.objects.get()
    assert (review.decided_by, review.decision) == (officer, "same")
    assert review.probability > 0.8 and review.comparisons["forenames"] == "swapped with surname"
    assert "T1 and T2" not in client.get(reverse("intelligence:duplicates")).content.decode()
    page = client.get(reverse("intelligence:entity", args=[a.pk]))
    assert "This record is merged into" in page.content.decode()
    merge = Merge.objects.get()
    assert client.get(reverse("intelligence:merge_undo", args=[merge.pk])).status_code == 405
    page = client.post(reverse("intelligence:merge_undo", args=[merge.pk]), follow=True)
    assert "are two records again" in page.content.decode()
    a.refresh_from_db()
    assert a.merged_into is None
    for action in ("intelligence.duplicates.listed", "intelligence.pair.viewed",
                   "intelligence.pair.reviewed", "intelligence.entity.merged",
                   "intelligence.entity.merge_undone"):
        assert AuditEvent.objects.filter(action=action, actor_id=officer.pk).exists(), action


def test_reject_is_not_suggested_again(client, officer, twins):
    a, b = twins
    client.post(reverse("intelligence:pair", args=[b.pk, a.pk]), {"decision": "not_same"})
    assert PairReview.objects.get().decision == "not_same"
    assert "T1 and T2" not in client.get(reverse("intelligence:duplicates")).content.decode()
    assert not Merge.objects.exists()


def test_other_agencies_cannot_reach_the_pair(client, people, twins):
    a, b = twins
    for who in ("housing", "youth", "board"):
        client.force_login(people[who])
        url = reverse("intelligence:pair", args=[a.pk, b.pk])
        assert client.get(url).status_code in (403, 404)
        assert client.post(url, {"decision": "same", "survivor": a.pk}).status_code in (403,
                                                                                       404)
    assert not PairReview.objects.exists()
