"""Properties of the services behind the safeguarding forms (MACE, places of concern, peer
group maps), for anything the forms can send: each call does all it says or refuses with a
message keyed to a field of the form, writing nothing and auditing nothing."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from soclocal.core.access import Role
from soclocal.safeguarding import forms, services
from soclocal.safeguarding.models import (
    COUNTY_LINES_INDICATORS,
    MaceAction,
    MaceHearing,
    MaceReferral,
    MapNode,
    PanelMeeting,
    Place,
)
from tests.properties import PAGE, PROPERTY, dates, post_is_handled, posts, typed, written

pytestmark = pytest.mark.django_db

CODES = [code for code, _label in COUNTY_LINES_INDICATORS]


def keyed_to(refusal, form):
    keys = set(refusal.message_dict) if hasattr(refusal, "error_dict") else {None}
    assert keys <= set(form.fields) | {"__all__", None}, keys
    assert refusal.messages and all(m.strip() for m in refusal.messages)


@pytest.fixture
def people(make_user):
    return {"police_chair": make_user(Role.INTELLIGENCE_OFFICER, agency="police"),
            "la_chair": make_user(Role.MANAGER, agency="youth"),
            "owner": make_user(Role.PRACTITIONER, agency="youth")}


@pytest.fixture
def case(org, people):
    from soclocal.cases.models import Case, YoungPerson

    person = YoungPerson.objects.create(first_name="Synthetic", last_name="Child",
                                        date_of_birth=date(2010, 4, 1),
                                        owning_agency=org["youth"], owning_team=org["youth_team"])
    return Case.objects.create(young_person=person, owning_agency=org["youth"],
                               owning_team=org["youth_team"], practitioner=people["owner"],
                               status=Case.Status.OPEN)


@pytest.fixture
def hearing(case, people):
    referral = services.refer_to_mace(people["owner"], case, indicators=["phones"],
                                      evidence={"phones": "Two phones"}, concerns="Worried")
    meeting = services.schedule_panel(people["la_chair"], held_on=date(2026, 3, 2),
                                      police_chair=people["police_chair"],
                                      local_authority_chair=people["la_chair"])
    return services.list_child(people["la_chair"], meeting, referral)


# A MACE referral ----------------------------------------------------------------------------

@PROPERTY
@given(ticked=st.lists(st.sampled_from(CODES + ["", "unicorns"]), max_size=4, unique=True),
       seen=st.lists(typed(), min_size=4, max_size=4), concerns=typed(),
       strengths=typed())
def test_a_mace_referral_is_kept_whole_or_refused_beside_each_box(people, case, ticked, seen,
                                                                  concerns, strengths):
    evidence = dict(zip(ticked, seen, strict=False))
    before = written(MaceReferral)
    try:
        referral = services.refer_to_mace(people["owner"], case, indicators=ticked,
                                          evidence=evidence, concerns=concerns,
                                          strengths=strengths)
    except ValidationError as refusal:
        keyed_to(refusal, forms.MaceReferralForm())
        assert written(MaceReferral) == before
        for code in ticked:
            if code in CODES and not evidence[code].strip():
                assert f"evidence_{code}" in refusal.message_dict
        return
    chosen = [c for c in ticked if c]
    assert chosen and set(chosen) <= set(CODES) and concerns.strip()
    saved = MaceReferral.objects.get(pk=referral.pk)
    assert saved.indicators == chosen
    assert saved.evidence == {c: evidence[c].strip() for c in chosen}
    assert saved.concerns == concerns.strip() and saved.strengths == strengths.strip()
    assert written(MaceReferral) == (before[0] + 1, before[1] + 1)


@PAGE
@given(data=st.data())
def test_posting_anything_to_the_mace_referral_page_refers_or_shows_it_again(people, case,
                                                                            client, data):
    client.force_login(people["owner"])
    post_is_handled(client, reverse("safeguarding:mace_refer", args=[case.pk]),
                    data.draw(posts(forms.MaceReferralForm())), models=(MaceReferral,))


# A panel, a hearing and an action -----------------------------------------------------------

@PROPERTY
@given(held_on=st.one_of(st.none(), dates()), location=typed(200),
       police=st.sampled_from(["police_chair", "la_chair", None]),
       local=st.sampled_from(["police_chair", "la_chair", None]))
def test_a_panel_is_scheduled_with_its_co_chairs_or_refused(people, held_on, location, police,
                                                            local):
    before = written(PanelMeeting)
    try:
        meeting = services.schedule_panel(people["la_chair"], held_on=held_on,
                                          location=location,
                                          police_chair=people.get(police),
                                          local_authority_chair=people.get(local))
    except ValidationError as refusal:
        keyed_to(refusal, forms.PanelForm())
        assert written(PanelMeeting) == before
        return
    assert held_on and police == "police_chair" and local == "la_chair"
    saved = PanelMeeting.objects.get(pk=meeting.pk)
    assert saved.held_on == held_on and saved.police_chair == people["police_chair"]


@PROPERTY
@given(tier=st.sampled_from(MaceHearing.Tier.values + ["", "extreme"]),
       outcome=st.sampled_from(MaceHearing.Outcome.values + ["", "forget"]),
       minutes=typed(), review_due=st.one_of(st.none(), dates()))
def test_a_hearing_is_recorded_as_the_panel_agreed_or_refused_unchanged(
        people, hearing, tier, outcome, minutes, review_due):
    hearing.refresh_from_db()
    was = (hearing.risk_tier, hearing.outcome, hearing.minutes, hearing.review_due)
    audits = written()[-1]
    try:
        services.record_hearing(people["la_chair"], hearing, presentation="", risk_tier=tier,
                                minutes=minutes, outcome=outcome, review_due=review_due)
    except ValidationError as refusal:
        keyed_to(refusal, forms.HearingForm())
        hearing.refresh_from_db()
        assert (hearing.risk_tier, hearing.outcome, hearing.minutes,
                hearing.review_due) == was
        assert written()[-1] == audits
        return
    hearing.refresh_from_db()
    assert (hearing.risk_tier, hearing.outcome, hearing.minutes) == (tier, outcome,
                                                                    minutes.strip())
    if outcome == MaceHearing.Outcome.REVIEW:
        assert hearing.review_due > hearing.meeting.held_on
    else:
        assert hearing.review_due is None


@PROPERTY
@given(kind=st.sampled_from(MaceAction.Kind.values + ["", "punish"]), description=typed(),
       agency=st.booleans(), due_on=st.one_of(st.none(), dates()))
def test_a_panel_action_is_agreed_whole_or_refused(people, org, hearing, kind, description,
                                                   agency, due_on):
    before = written(MaceAction)
    try:
        action = services.add_mace_action(people["la_chair"], hearing, kind=kind,
                                          description=description,
                                          owning_agency=org["police"] if agency else None,
                                          due_on=due_on)
    except ValidationError as refusal:
        keyed_to(refusal, forms.MaceActionForm())
        assert written(MaceAction) == before
        return
    assert kind in MaceAction.Kind.values and description.strip() and agency and due_on
    saved = MaceAction.objects.get(pk=action.pk)
    assert (saved.kind, saved.description, saved.due_on) == (kind, description.strip(), due_on)


# A place of concern and a peer group map ----------------------------------------------------

@PROPERTY
@given(name=typed(200), kind=st.sampled_from(Place.Kind.values + ["", "castle"]),
       description=typed())
def test_a_place_of_concern_is_recorded_as_given_or_refused(people, name, kind, description):
    before = written(Place)
    try:
        place = services.record_place(people["owner"], name=name[:200], kind=kind,
                                      description=description)
    except ValidationError as refusal:
        keyed_to(refusal, forms.PlaceForm())
        assert written(Place) == before
        return
    assert name[:200].strip() and kind in Place.Kind.values
    saved = Place.objects.get(pk=place.pk)
    assert (saved.name, saved.kind, saved.description) == (name[:200].strip(), kind,
                                                           description)


@PROPERTY
@given(kind=st.sampled_from(MapNode.Kind.values + ["", "ghost"]), label=typed(200),
       risk=st.sampled_from(MapNode.Risk.values + ["", "huge"]), notes=typed())
def test_someone_is_put_on_a_map_as_given_or_refused(people, kind, label, risk, notes):
    peer_map = services.create_map(people["owner"], title="Estate map")
    before = written(MapNode)
    try:
        node = services.add_node(people["owner"], peer_map, kind=kind, label=label[:200],
                                 risk=risk, notes=notes)
    except ValidationError as refusal:
        keyed_to(refusal, forms.MapNodeForm())
        assert written(MapNode) == before
        return
    saved = MapNode.objects.get(pk=node.pk)
    assert (saved.kind, saved.label, saved.risk) == (kind, label[:200].strip(), risk)


# Regression ---------------------------------------------------------------------------------

def test_missing_evidence_is_shown_beside_the_indicator_it_is_for(people, case, client):
    client.force_login(people["owner"])
    response = client.post(reverse("safeguarding:mace_refer", args=[case.pk]), {
        "indicators": ["phones", "weapons"], "evidence_phones": "Two phones",
        "concerns": "Seen with a knife"})
    assert response.status_code == 200 and not MaceReferral.objects.exists()
    errors = response.context["form"].errors
    assert list(errors) == ["evidence_weapons"]
    html = response.content.decode()
    assert 'id="id_evidence_weapons-error"' in html or 'evidence_weapons-error' in html


# An adult at risk of cuckooing, a sighting, the panel's review weeks -----------------------

@PROPERTY
@given(first=typed(100), last=typed(100), born=st.one_of(st.none(), dates()),
       risk=st.sampled_from(["high", "medium", "low", "", "extreme"]),
       home=st.sampled_from(["address", "park", None]))
def test_an_adult_at_risk_is_recorded_as_given_or_refused(make_user, first, last, born, risk,
                                                          home):
    from soclocal.safeguarding.models import VulnerableAdult

    officer = make_user(Role.PRACTITIONER, agency="police")
    place = services.record_place(officer, name="Flat 4", kind=home) if home else None
    before = written(VulnerableAdult)
    try:
        adult = services.record_adult(officer, first_name=first, last_name=last,
                                      date_of_birth=born, home=place, risk=risk)
    except ValidationError as refusal:
        keyed_to(refusal, forms.AdultForm())
        assert written(VulnerableAdult) == before
        return
    assert first.strip() and last.strip() and risk in VulnerableAdult.Risk.values
    saved = VulnerableAdult.objects.get(pk=adult.pk)
    assert (saved.first_name, saved.last_name, saved.date_of_birth, saved.risk) == (
        first.strip(), last.strip(), born, risk)


@PROPERTY
@given(indicator=st.sampled_from(CODES + ["", "aliens"]), seen_on=dates(), note=typed())
def test_a_sighting_at_a_place_is_recorded_or_refused(people, indicator, seen_on, note):
    from django.utils import timezone

    from soclocal.safeguarding.models import Sighting

    place = Place.objects.first() or services.record_place(people["owner"], name="Park",
                                                           kind="park")
    before = written(Sighting)
    try:
        services.record_sighting(people["owner"], indicator=indicator, seen_on=seen_on,
                                 place=place, note=note)
    except ValidationError as refusal:
        keyed_to(refusal, forms.SightingForm())
        assert written(Sighting) == before
        return
    assert indicator in CODES and seen_on <= timezone.localdate()
    assert Sighting.objects.filter(place=place, indicator=indicator, seen_on=seen_on).exists()


@PROPERTY
@given(weeks=st.one_of(st.none(), st.integers(-3, 60)))
def test_the_panels_review_weeks_are_set_or_refused(make_user, weeks):
    admin = make_user(Role.PARTNERSHIP_ADMIN)
    was = services.review_weeks()
    try:
        services.set_review_weeks(admin, weeks)
    except ValidationError as refusal:
        keyed_to(refusal, forms.MaceSettingsForm())
        assert services.review_weeks() == was
        return
    assert 1 <= weeks <= 52 and services.review_weeks() == weeks


def test_an_adult_with_a_risk_not_offered_is_refused_beside_the_risk(make_user):
    from soclocal.safeguarding.models import VulnerableAdult

    officer = make_user(Role.PRACTITIONER, agency="police")
    with pytest.raises(ValidationError) as refusal:
        services.record_adult(officer, first_name="Sam", last_name="Example", risk="extreme")
    assert list(refusal.value.message_dict) == ["risk"]
    assert not VulnerableAdult.objects.exists()
