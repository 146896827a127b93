"""The MoRiLE factors and the method in words follow the reader's language; the CSV export
and the API say the same in either."""

from django.urls import reverse
from django.utils import translation

from soclocal.priorities import scoring, selectors, services
from soclocal.priorities.forms import AssessmentForm
from soclocal.priorities.models import Threat
from tests.welsh_catalogue import lay_over

ADDITIVE_TEXT = "Score = 100 × Σ(weight × score) ÷ (Σ weight × %(top)s) over every factor."
WELSH = {"Physical harm": "Niwed corfforol", "injury, violence, death": "anaf, trais, marwolaeth",
         "A place": "Lle", "Weighted sum of every factor": "Swm wedi'i bwysoli pob ffactor",
         ADDITIVE_TEXT: "Sgôr = 100 × Σ(pwysiad × sgôr) ÷ (Σ pwysiad × %(top)s) dros bob ffactor."}


def test_the_factors_are_named_in_the_readers_language(settings, tmp_path):
    lay_over(settings, tmp_path, WELSH)
    for language, name, hint, formula in (
            ("en-gb", "Physical harm", "injury, violence, death", "Weighted sum of every factor"),
            ("cy", "Niwed corfforol", "anaf, trais, marwolaeth", "Swm wedi'i bwysoli pob ffactor")):
        with translation.override(language):
            field = AssessmentForm(method=scoring.DEFAULT_METHOD).fields["harm_physical"]
            assert (str(field.label), str(field.help_text)) == (name, f"High: {hint}")
            assert str(selectors.compare([])[0]["label"]) == name
            assert str(dict(scoring.FORMULAS)[scoring.ADDITIVE]) == formula


def test_the_csv_and_the_api_say_the_same_in_either_language(client, people, settings,
                                                             tmp_path):
    lay_over(settings, tmp_path, WELSH)
    analyst = people["police_analyst"]
    services.save_method(people["admin"], dict(scoring.DEFAULT_METHOD, formula=scoring.ADDITIVE))
    threat = services.raise_threat(analyst, kind=Threat.Kind.PLACE, title="The underpass")
    services.assess(analyst, threat, dict.fromkeys(scoring.KEYS, 3))
    client.force_login(analyst)

    def read():
        return (client.get(reverse("priorities:csv")).content.decode(),
                client.get("/api/v1/priorities/method").json(),
                client.get(reverse("priorities:list")).content.decode())

    csv, api, page = read()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    welsh_csv, welsh_api, welsh_page = read()
    assert (welsh_csv, welsh_api) == (csv, api)
    assert ",A place," in csv and api["description"] == ADDITIVE_TEXT % {"top": 4}
    assert ADDITIVE_TEXT % {"top": 4} in page
    assert WELSH[ADDITIVE_TEXT] % {"top": 4} in welsh_page
