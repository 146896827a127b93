"""The service report's labels and the star's refusals follow the reader's language; the CSV
export is the same in either."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from soclocal.cases import star
from tests.welsh_catalogue import lay_over

from .test_report_split import plan, wards  # noqa: F401  (a fixture)

WELSH = {"Police": "Heddlu", "Not yet engaged": "Heb ymgysylltu eto",
         "Referrals by source": "Atgyfeiriadau fesul ffynhonnell",
         "Stage %(number)s needs a name": "Mae angen enw ar gam %(number)s"}


@pytest.mark.django_db
def test_the_report_page_speaks_welsh_and_the_csv_does_not_change(client, people, wards,  # noqa: F811
                                                                  settings, tmp_path):
    lay_over(settings, tmp_path, WELSH)
    year = plan(people, wards)
    client.force_login(people["manager"])
    query = {"split": "month", "area_level": "ward", "date_from": f"{year}-01-01",
             "date_to": f"{year}-02-28"}
    english_csv = client.get(reverse("cases:report_csv"), query).content
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    assert client.get(reverse("cases:report_csv"), query).content == english_csv
    assert b"by_source,Police," in english_csv and b"Not yet engaged" in english_csv
    assert f"Feb {year}".encode() in english_csv

    page = client.get(reverse("cases:report"), query).content.decode()
    for words in ("Heddlu", "Heb ymgysylltu eto", "Atgyfeiriadau fesul ffynhonnell"):
        assert words in page, words
    with translation.override("cy"):
        february = date_format(date(year, 2, 1), "M")
    assert february != "Feb" and f"{february} {year}" in page


def test_a_stars_shape_is_refused_in_the_readers_language(settings, tmp_path):
    lay_over(settings, tmp_path, WELSH)
    shape = {"scale_min": 1, "scale_max": 10, "areas": ["Accommodation"],
             "stages": [{"name": "", "from": 1, "to": 10}]}
    for language, expected in (("en-gb", "Stage 1 needs a name"),
                               ("cy", "Mae angen enw ar gam 1")):
        with translation.override(language):
            assert star.check_structure(**shape) == {"stage_0_name": expected}
