"""Properties of the services behind the profile settings forms (harm weights, SOC fractions)
and the profile period, for anything the forms or a caller can send: each call saves what it
was given or refuses with a message beside the form's box, changing and auditing nothing."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from soclocal.core.access import Role
from soclocal.crime.store import CRIME_TYPES
from soclocal.profiles import forms, selectors, services
from soclocal.profiles.models import HarmWeight, ProfileVersion, SocFraction
from soclocal.profiles.report import SECTIONS
from tests.properties import PAGE, PROPERTY, post_is_handled, posts, typed, written

pytestmark = pytest.mark.django_db

NUMBER = st.one_of(st.decimals(-10, 200_000, places=2, allow_nan=False),
                   st.sampled_from([Decimal("NaN"), Decimal("Infinity"), Decimal("1e30"),
                                    "abc", "", None, "12.5", 0, 100_000]))


def keyed_to(refusal, form):
    keys = set(refusal.message_dict) if hasattr(refusal, "error_dict") else {None}
    assert keys <= set(form.fields) | {"__all__", None}, keys
    assert refusal.messages and all(m.strip() for m in refusal.messages)


@pytest.fixture
def analyst(make_user):
    return make_user(Role.ANALYST, agency="police")


@PROPERTY
@given(robbery=NUMBER, burglary=NUMBER)
def test_harm_weights_are_saved_as_given_or_refused_beside_the_crime_type(analyst, robbery,
                                                                          burglary):
    weights = dict(selectors.current_weights())
    weights["Robbery"], weights["Burglary"] = robbery, burglary
    before = (list(HarmWeight.objects.values_list("crime_type", "weight")), written()[-1])
    try:
        services.save_harm_weights(analyst, weights)
    except ValidationError as refusal:
        keyed_to(refusal, forms.HarmWeightsForm())
        assert (list(HarmWeight.objects.values_list("crime_type", "weight")),
                written()[-1]) == before
        return
    now = selectors.current_weights()
    for crime_type, value in (("Robbery", robbery), ("Burglary", burglary)):
        assert 0 <= Decimal(str(value)) <= 100_000
        assert now[crime_type] == float(Decimal(str(value)).quantize(Decimal("0.01")))


@PROPERTY
@given(low=NUMBER, central=NUMBER, high=NUMBER)
def test_soc_fractions_are_saved_as_given_or_refused_beside_the_crime_type(analyst, low,
                                                                          central, high):
    percentages = {t: [10, 20, 30] for t in CRIME_TYPES}
    percentages["Robbery"] = [low, central, high]
    before = (SocFraction.objects.count(), written()[-1])
    try:
        services.save_soc_fractions(analyst, percentages)
    except ValidationError as refusal:
        keyed_to(refusal, forms.SocFractionsForm())
        assert (SocFraction.objects.count(), written()[-1]) == before
        return
    values = [Decimal(str(v)) for v in (low, central, high)]
    assert 0 <= values[0] <= values[1] <= values[2] <= 100
    saved = selectors.current_fractions()["Robbery"]
    assert list(saved) == [float((v / 100).quantize(Decimal("0.001"))) for v in values]


@PROPERTY
@given(month_from=st.sampled_from(["2024-01", "2024-13", "24-01", "", "2019-06", "٢٠٢٤-٠١",
                                   "2024-1", "9999-12"]),
       month_to=st.sampled_from(["2024-12", "2023-12", "2030-01", "", "2024-00", "nope"]))
def test_a_profile_period_is_taken_or_refused_beside_the_month(month_from, month_to):
    try:
        services.validate_period(month_from, month_to)
    except ValidationError as refusal:
        keyed_to(refusal, forms.BuildForm())
        return
    assert month_from <= month_to


@PAGE
@given(data=st.data())
def test_posting_anything_as_harm_weights_saves_them_or_shows_them_again(analyst, client,
                                                                        data):
    client.force_login(analyst)
    post_is_handled(client, reverse("profiles:harm_weights"),
                    data.draw(posts(forms.HarmWeightsForm())), models=(HarmWeight,))


def test_a_weight_that_is_not_a_number_is_refused_beside_its_box(analyst):
    weights = dict(selectors.current_weights())
    weights["Robbery"], weights["Burglary"] = Decimal("NaN"), Decimal("1e30")
    with pytest.raises(ValidationError) as refusal:
        services.save_harm_weights(analyst, weights)
    assert set(refusal.value.message_dict) == {forms._field_name("Robbery"),
                                               forms._field_name("Burglary")}
    fractions = {t: [10, 20, 30] for t in CRIME_TYPES} | {"Robbery": [1, "NaN", 3]}
    with pytest.raises(ValidationError) as refusal:
        services.save_soc_fractions(analyst, fractions)
    assert list(refusal.value.message_dict) == [forms._field_name("Robbery") + "_low"]


@pytest.fixture
def ward_profile(geography, crime_store, analyst):
    from soclocal.areas.models import Area

    ward = Area.objects.get(type="ward", code="E05012287")
    return services.build_profile(analyst, ward, "2024-11", "2024-12")


SECTION = st.sampled_from([key for key, _label in SECTIONS] + ["not_a_section", ""])


@PROPERTY
@given(texts=st.dictionaries(SECTION, st.one_of(typed(20000), st.sampled_from([None, 7, ["a"]])),
                             max_size=4))
def test_profile_texts_are_saved_as_given_or_refused_beside_the_section(analyst, ward_profile,
                                                                       texts):
    before = written(ProfileVersion)
    try:
        new = services.edit_texts(analyst, ward_profile, texts)
    except ValidationError as refusal:
        keyed_to(refusal, forms.TextsForm())
        assert written(ProfileVersion) == before
        return
    assert written(ProfileVersion) == tuple(n + 1 for n in before)
    saved = ProfileVersion.objects.get(pk=new.pk).texts
    for key, value in texts.items():
        assert isinstance(value, str) or value is None
        assert saved[key] == (value or "").strip() and len(saved[key]) <= 20000
    for key in set(ward_profile.texts) - set(texts):
        assert saved[key] == ward_profile.texts[key]


def test_a_profile_text_that_is_too_long_or_not_text_is_refused_beside_its_box(analyst,
                                                                              ward_profile):
    for value in ("z" * 20001, 7):
        with pytest.raises(ValidationError) as refusal:
            services.edit_texts(analyst, ward_profile, {"threat": value})
        assert list(refusal.value.message_dict) == ["threat"]
    assert ProfileVersion.objects.count() == 1
