"""Properties of the services behind the partnership forms (information-sharing agreements
and the directory of services), for anything the forms can send: each call does all it says
or refuses with a message keyed to a field of the form, writing nothing and auditing
nothing."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from soclocal.partnership import forms, services
from soclocal.partnership.models import Agreement, Need, Service
from tests.properties import PAGE, PROPERTY, dates, post_is_handled, posts, typed, written

pytestmark = pytest.mark.django_db


def keyed_to(refusal, form):
    keys = set(refusal.message_dict) if hasattr(refusal, "error_dict") else {None}
    assert keys <= set(form.fields) | {"__all__", None}, keys
    assert refusal.messages and all(m.strip() for m in refusal.messages)


@PROPERTY
@given(title=typed(200), status=st.sampled_from(Agreement.Status.values + ["", "secret"]),
       purposes=typed(), bases=typed(), categories=typed(), retention=typed(),
       signatories=typed(), starts_on=st.one_of(st.none(), dates()),
       review_on=st.one_of(st.none(), dates()), parties=st.integers(0, 2))
def test_an_agreement_is_recorded_as_given_or_refused(
        people, org, title, status, purposes, bases, categories, retention, signatories,
        starts_on, review_on, parties):
    agencies = [org["police"], org["youth"]][:parties]
    before = written(Agreement)
    try:
        made = services.create_agreement(
            people["admin"], parties=agencies, title=title, status=status, purposes=purposes,
            lawful_bases=bases, data_categories=categories, retention_terms=retention,
            signatories=signatories, starts_on=starts_on, review_on=review_on)
    except ValidationError as refusal:
        keyed_to(refusal, forms.AgreementForm())
        assert written(Agreement) == before
        return
    assert parties == 2 and title.strip() and review_on
    assert (status or "draft") in Agreement.Status.values
    saved = Agreement.objects.get(pk=made.pk)
    assert (saved.title, saved.status, saved.review_on) == (title, status or "draft",
                                                            review_on)
    assert set(saved.parties.all()) == set(agencies)


AGE = st.one_of(st.none(), st.integers(-3, 40), st.sampled_from([32767, 32768, 10**9]))


@PROPERTY
@given(name=typed(200), description=typed(), refer=typed(), lo=AGE, hi=AGE,
       needs=st.lists(st.sampled_from(Need.values + ["", "telepathy"]), max_size=3,
                      unique=True),
       email=st.sampled_from(["", "team@example.org"]), phone=st.sampled_from(["", "0115 000"]))
def test_a_service_enters_the_directory_as_given_or_refused(
        people, org, name, description, refer, lo, hi, needs, email, phone):
    before = written(Service)
    try:
        made = services.create_service(
            people["admin"], agency=org["youth"], name=name, description=description,
            how_to_refer=refer, age_from=lo, age_to=hi, needs=needs, contact_email=email,
            contact_phone=phone)
    except ValidationError as refusal:
        keyed_to(refusal, forms.ServiceForm())
        assert written(Service) == before
        return
    assert name.strip() and description.strip() and refer.strip() and (email or phone)
    saved = Service.objects.get(pk=made.pk)
    assert (saved.name, saved.age_from, saved.age_to, saved.needs) == (name, lo, hi, needs)
    assert all(0 <= age <= 120 for age in (lo, hi) if age is not None)


@PAGE
@given(data=st.data())
def test_posting_anything_as_a_new_service_lists_it_or_shows_it_again(people, client, data):
    client.force_login(people["admin"])
    post_is_handled(client, reverse("partnership:service_new"),
                    data.draw(posts(forms.ServiceForm())), models=(Service,))


def test_an_age_out_of_range_or_a_status_not_offered_is_refused_beside_its_box(people, org):
    with pytest.raises(ValidationError) as refusal:
        services.create_service(people["admin"], agency=org["youth"], name="Boxing",
                                description="Boxing club", how_to_refer="Call us",
                                contact_phone="0115", age_from=-1, age_to=40_000)
    assert {"age_from", "age_to"} <= set(refusal.value.message_dict)
    with pytest.raises(ValidationError) as refusal:
        services.create_agreement(
            people["admin"], parties=[org["police"], org["youth"]], title="ISA",
            status="secret", purposes="p", lawful_bases="b", data_categories="c",
            retention_terms="r", review_on=None)
    assert {"status", "review_on"} <= set(refusal.value.message_dict)
    assert not Service.objects.exists() and not Agreement.objects.exists()
