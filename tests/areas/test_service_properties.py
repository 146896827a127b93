"""Properties of the service behind drawing and changing a neighbourhood, for anything its form
can send (a name, LSOA codes ticked and typed, a description): it keeps the neighbourhood as
given or refuses it beside a box of the form, writing nothing and auditing nothing, and the
page shows a refused neighbourhood again as typed."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import event, given
from hypothesis import strategies as st

from soclocal.areas import forms, services
from soclocal.areas.models import Area, Neighbourhood
from soclocal.core.access import Role
from tests.properties import PAGE, PROPERTY, post_is_handled, posts, typed, written

pytestmark = pytest.mark.usefixtures("demo_geography")

WITHIN = "lad/E06000018"  # Nottingham, in the demo geography
# LSOAs of St Ann's and beyond; a data zone is never mixed with them.
LSOAS = ["E01013810", "E01013811", "E01013812", "E01013813", "E01033406"]
NOT_MEMBERS = ["E09999999", "E05012287", "E06000018", "not a code", "", "  "]

# Half as a careful analyst fills it in (a new name, codes of the area), half anything at all.
CAREFUL_NAMES = st.builds(lambda n, i, pad: f"{pad}{n} {i}{pad}",
                          st.sampled_from(["Sneinton", "St Ann's estate", "Ward 7 — Meadows"]),
                          st.integers(1, 10**9), st.sampled_from(["", " "]))
CAREFUL_CODES = st.lists(st.sampled_from(LSOAS).flatmap(
    lambda c: st.sampled_from([c, c.lower(), f" {c} "])), min_size=1, max_size=4)
DRAWINGS = st.one_of(
    st.tuples(CAREFUL_NAMES, CAREFUL_CODES, st.just("The estate and its park")),
    st.tuples(st.one_of(typed(200), st.sampled_from(["Sneinton 1", "sneinton 1 "])),
              st.lists(st.sampled_from(LSOAS + NOT_MEMBERS), max_size=4), typed()))


def keyed_to(refusal):
    keys = set(refusal.message_dict) if hasattr(refusal, "error_dict") else {None}
    assert keys <= set(forms.NeighbourhoodForm().fields) | {"__all__", None}, keys
    assert refusal.messages and all(m.strip() for m in refusal.messages)


def kept_as_given(hood, name, codes, description):
    hood = Neighbourhood.objects.get(pk=hood.pk)
    assert hood.area.name == name.strip() and hood.description == description.strip()
    assert sorted(hood.members.values_list("code", flat=True)) == sorted(
        {c.strip().upper() for c in codes if c.strip()})


@pytest.fixture
def analyst(make_user):
    return make_user(Role.ANALYST)


@PROPERTY
@given(drawing=DRAWINGS)
def test_a_neighbourhood_is_drawn_as_given_or_refused(analyst, drawing):
    name, codes, description = drawing
    before = written(Area, Neighbourhood)
    try:
        hood = services.create_neighbourhood(analyst, name=name, member_codes=codes,
                                             description=description)
    except ValidationError as refusal:
        keyed_to(refusal)
        event("refused")
        assert written(Area, Neighbourhood) == before
        return
    assert set(c.strip().upper() for c in codes if c.strip()) <= set(LSOAS)
    event("kept")
    kept_as_given(hood, name, codes, description)


@PROPERTY
@given(drawing=DRAWINGS)
def test_a_neighbourhood_is_changed_as_given_or_refused(analyst, drawing):
    name, codes, description = drawing
    hood = Neighbourhood.objects.filter(area__name="Original").first() or \
        services.create_neighbourhood(analyst, name="Original", member_codes=LSOAS[:2],
                                      description="As drawn first")
    services.update_neighbourhood(analyst, hood, name="Original", member_codes=LSOAS[:2],
                                  description="As drawn first")
    before = written(Area, Neighbourhood)
    try:
        services.update_neighbourhood(analyst, hood, name=name, member_codes=codes,
                                      description=description)
    except ValidationError as refusal:
        keyed_to(refusal)
        event("refused")
        assert written(Area, Neighbourhood) == before
        kept_as_given(hood, "Original", LSOAS[:2], "As drawn first")
        return
    event("kept")
    kept_as_given(hood, name, codes, description)


def _form():
    return forms.NeighbourhoodForm(member_choices=[(c, c) for c in Area.objects.filter(
        type="lsoa21", lad__code="E06000018").values_list("code", flat=True)])


@PAGE
@given(data=st.data())
def test_posting_anything_as_a_neighbourhood_draws_it_or_shows_it_again(analyst, client,
                                                                         data):
    client.force_login(analyst)
    post = data.draw(st.one_of(
        posts(_form(), fixed={"within": WITHIN}),
        st.tuples(DRAWINGS, st.lists(st.sampled_from(LSOAS), max_size=3)).map(
            lambda d: {"csrfmiddlewaretoken": "token", "within": WITHIN, "name": d[0][0],
                       "members": d[1], "codes": "\n".join(d[0][1]),
                       "description": d[0][2]})))
    _response, taken = post_is_handled(client, reverse("areas:neighbourhood_create"), post,
                                       models=(Area, Neighbourhood))
    event("kept" if taken else "refused")
