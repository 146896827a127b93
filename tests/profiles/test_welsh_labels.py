"""A profile's section titles, charts and messages follow the reader's language; its JSON and
CSV files stay the same in either."""

import io
import json
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from soclocal.core.access import Role
from soclocal.profiles import services
from tests.welsh_catalogue import lay_over

WELSH = {"Key findings": "Prif ganfyddiadau", "Intelligence gaps": "Bylchau gwybodaeth",
         "Crime by type": "Troseddu fesul math", "Crime type": "Math o drosedd",
         "A profile covers at most 60 months.": "Mae proffil yn cwmpasu 60 mis ar y mwyaf."}


@pytest.fixture
def ward_profile(geography, crime_store, make_user):
    from soclocal.areas.models import Area

    ward = Area.objects.get(type="ward", code="E05012287")
    return services.build_profile(make_user(Role.ANALYST), ward, "2024-11", "2024-12")


def _csv_tables(content: bytes) -> dict:
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        return {name: z.read(name) for name in z.namelist()}


def test_the_page_speaks_welsh_and_the_files_do_not_change(ward_profile, client, settings,
                                                           tmp_path):
    lay_over(settings, tmp_path, WELSH)
    client.force_login(ward_profile.built_by)
    page = reverse("profiles:profile", args=[ward_profile.pk])
    files = {fmt: reverse("profiles:download", args=[ward_profile.pk, fmt])
             for fmt in ("json", "csv")}
    english_page = client.get(page).content.decode()
    english = {fmt: client.get(url).content for fmt, url in files.items()}

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    welsh_page = client.get(page).content.decode()
    assert "Key findings" in english_page and "Prif ganfyddiadau" not in english_page
    for word in ("Prif ganfyddiadau", "Bylchau gwybodaeth", "Troseddu fesul math",
                 "Math o drosedd"):
        assert word in welsh_page, word
    assert ">Key findings<" not in welsh_page

    welsh_json = client.get(files["json"]).content
    assert welsh_json == english["json"]
    titles = {t["key"]: t["title"] for t in json.loads(welsh_json)["texts"]}
    assert titles["key_findings"] == "Key findings"
    assert _csv_tables(client.get(files["csv"]).content) == _csv_tables(english["csv"])


def test_a_refusal_is_in_the_readers_language(settings, tmp_path):
    lay_over(settings, tmp_path, WELSH)
    for language, expected in (("en-gb", "A profile covers at most 60 months."),
                               ("cy", "Mae proffil yn cwmpasu 60 mis ar y mwyaf.")):
        with translation.override(language), pytest.raises(ValidationError) as refused:
            services.validate_period("2019-01", "2024-12")
        assert refused.value.message_dict["month_to"] == [expected]
