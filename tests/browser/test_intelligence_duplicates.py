"""An officer imports people from a spreadsheet with their own column names, reviews a
suggested pair, merges it and undoes the merge: in a real browser, axe-clean at each step."""

import pytest

from soclocal.core.access import Role
from soclocal.intelligence.models import Entity, Merge
from tests.browser.conftest import axe_violations, sign_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FILE = ("ID,First,Last,Born,Post code\n"
        "N1,Kieran,Brackenbury,12/04/1990,NG7 2AB\n"
        "N2,Brackenbury,Kieran,12/04/1990,NG7 2AB\n"
        "N3,Delphine,Oyelaran,03/11/1985,NG5 1QQ\n"
        "N4,Someone,Else,01/01/1970,\n")


def check(page):
    assert axe_violations(page) == [], page.url
    assert not [e for e in page.console_errors if "Content Security Policy" in e]


def press(page, name):
    page.get_by_role("button", name=name).click()
    page.wait_for_load_state()


def test_import_review_merge_and_undo(page, make_user, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    make_user(Role.INTELLIGENCE_OFFICER, agency="police", username="officer")
    sign_in(page, "officer", PASSWORD)
    page.goto("/intelligence/entities/")
    page.get_by_role("link", name="Import people or links from a spreadsheet").click()
    page.wait_for_load_state()
    check(page)
    page.get_by_label("People", exact=True).check()
    page.get_by_label("The spreadsheet (CSV or Excel .xlsx)").set_input_files(
        files=[{"name": "nominals.csv", "mimeType": "text/csv", "buffer": FILE.encode()}])
    press(page, "Continue")
    check(page)
    page.get_by_label("Reference").select_option("ID")
    page.get_by_label("Forenames").select_option("First")
    page.get_by_label("Surname").select_option("Last")
    press(page, "Import")  # the date of birth is not chosen yet: the page says so
    assert "Choose the column that holds the date of birth" in page.content()
    assert page.get_by_label("Reference").input_value() == "ID"  # kept what was chosen
    check(page)
    page.get_by_label("Date of birth").select_option("Born")
    page.get_by_label("Postcode").select_option("Post code")
    press(page, "Import")
    assert "Imported 4 people and 0 links from nominals.csv" in page.content()
    assert Entity.objects.filter(kind="person").count() == 4

    page.get_by_role("link", name="The same person twice?").click()
    page.wait_for_load_state()
    assert "swapped with surname" in page.content()
    check(page)
    page.get_by_role("link", name="Decide on N1 and N2").click()
    page.wait_for_load_state()
    check(page)
    page.get_by_label("Yes, the same person: merge them").check()
    page.get_by_label("N2: Brackenbury Kieran").check()
    press(page, "Record the decision")
    assert "Merged: the record that stays is N2" in page.content()
    assert Entity.objects.get(reference="N1").merged_into.reference == "N2"
    check(page)
    page.goto("/intelligence/merges/")
    check(page)
    press(page, "Undo the merge of N1 into N2")
    assert "are two records again" in page.content()
    assert Entity.objects.get(reference="N1").merged_into is None
    assert Merge.objects.get().undone_at is not None
