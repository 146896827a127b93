"""The evaluation report and the board's headline follow the reader's language; the JSON file
keeps the English the document was saved with."""

import pytest
from django.urls import reverse
from django.utils import translation

from soclocal.evaluation import report
from tests.welsh_catalogue import lay_over

from .test_services import evaluated  # noqa: F401  (a fixture)

pytestmark = pytest.mark.django_db

SELECTION = dict(report.CAVEATS)["Selection"]
WELSH = {"Selection": "Dethol", SELECTION: "Mae pobl ifanc yn dewis a ydynt am ymgysylltu.",
         report.METHOD[1]: "Ar ôl eu cysylltu, ni ddefnyddir enwau mwyach.",
         report.METHOD[2]: "Cyfrifir arestiadau mewn ffenestri o %(months)s mis.",
         "Arrests": "Arestiadau",
         "What changed for the young people the service worked with":
             "Beth newidiodd i'r bobl ifanc y bu'r gwasanaeth yn gweithio gyda nhw"}


def test_the_report_speaks_welsh_and_the_json_does_not_change(client, evaluated, settings,  # noqa: F811
                                                              tmp_path):
    lay_over(settings, tmp_path, WELSH)
    run = evaluated["run"]
    client.force_login(evaluated["analyst"])
    page_url = reverse("evaluation:report", args=[run.pk])
    json_url = reverse("evaluation:download", args=[run.pk, "json"])
    english_json = client.get(json_url).content

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    page = client.get(page_url).content.decode()
    assert "Dethol" in page and "Mae pobl ifanc yn dewis a ydynt am ymgysylltu." in page
    assert "Ar ôl eu cysylltu, ni ddefnyddir enwau mwyach." in page
    months = run.figures["window_months"]
    assert f"Cyfrifir arestiadau mewn ffenestri o {months} mis." in page
    assert ">Arestiadau<" in page
    assert SELECTION not in page

    welsh_json = client.get(json_url).content
    assert welsh_json == english_json
    assert SELECTION.encode() in welsh_json and b"Dethol" not in welsh_json


def test_a_method_saved_in_other_words_is_shown_as_it_was_saved(evaluated, settings,  # noqa: F811
                                                                tmp_path):
    lay_over(settings, tmp_path, WELSH)
    doc = dict(evaluated["run"].figures, method=["Written another way."])
    with translation.override("cy"):
        assert report.displayed(doc)["method"] == ["Written another way."]
        assert report.displayed(evaluated["run"].figures)["method"][1] == WELSH[report.METHOD[1]]


def test_the_boards_headline_in_welsh(client, evaluated, settings, tmp_path):  # noqa: F811
    lay_over(settings, tmp_path, WELSH)
    client.force_login(evaluated["board"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    page = client.get(reverse("dashboards:board")).content.decode()
    assert WELSH["What changed for the young people the service worked with"] in page.replace(
        "&#x27;", "'")
