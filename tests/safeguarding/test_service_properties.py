"""Properties of the services behind the safeguarding forms (MACE, places of concern, peer
group maps), for anything the forms can send: each call does all it says or refuses with a
message keyed to a field of the form, writing nothing and auditing nothing."""

import math
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
    MapLink,
    MapNode,
    PanelMeeting,
    Place,
)
from tests.properties import (
    PAGE,
    PROPERTY,
    dates,
    post_is_handled,
    posts,
    purposes,
    read_is_handled,
    text,
    typed,
    written,
)

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


# Half the examples as a careful person gives them, so that both answers are seen often ------

@st.composite
def careful_or_not(draw, valid, anything):
    """Keyword arguments: all from `valid` (a careful person), or each from `valid` or
    `anything` (what else a form or a caller can send)."""
    careful = draw(st.booleans())
    return {name: draw(strategy if careful or name not in anything
                       else st.one_of(strategy, anything[name]))
            for name, strategy in valid.items()}


def fits(most):
    """Text that fits its column: empty, any script, and exactly as long as it may be."""
    return st.one_of(st.just(""), text(min(most, 60)), st.just("x" * most))


def named(most):
    return st.one_of(st.sampled_from(["Crisis grants", " Exclusions ", "王小明", "O'Brien & <Sons>"]),
                     text(min(most, 60), min_size=1).filter(str.strip), st.just("n" * most))


# An indicator's definition ------------------------------------------------------------------

INDICATOR = careful_or_not(
    {"code": st.from_regex(r"[a-z][a-z0-9_-]{0,59}", fullmatch=True),
     "name": named(200), "kind": st.sampled_from(["uploaded", "deprivation"]),
     "owner_agency": st.sampled_from(["police", None]), "source": fits(300),
     "detail": st.one_of(fits(100), st.sampled_from(["income", "Burglary"])),
     "counts": typed(), "suppression_threshold": st.integers(1, 32767),
     "weight": st.floats(-100, 100)},
    {"code": st.one_of(typed(60), st.sampled_from(["b" * 61, "two words", "ÆØÅ", "CAPS"])),
     "name": typed(200), "kind": st.sampled_from(["crime", "deprivation_domain", "", "guessed"]),
     "source": typed(300), "detail": typed(100),
     "suppression_threshold": st.sampled_from([-1, 0, 32768, 10**12, None, "7", "x"]),
     "weight": st.one_of(st.floats(allow_nan=True, allow_infinity=True),
                         st.sampled_from([None, "1.5", "abc"]))})


@PROPERTY
@given(fields=INDICATOR)
def test_an_indicator_is_defined_as_given_or_refused_beside_its_box(analyst, org, fields):
    from soclocal.safeguarding.models import Indicator

    fields = {**fields, "owner_agency": org.get(fields["owner_agency"])}
    before = written(Indicator)
    try:
        indicator = services.save_indicator(analyst, **fields)
    except ValidationError as refusal:
        keyed_to(refusal, forms.IndicatorForm())
        assert written(Indicator) == before
        return
    saved = Indicator.objects.values(*fields).get(pk=indicator.pk)
    saved["owner_agency"] = org.get("police") if saved["owner_agency"] else None
    assert saved == {**fields, "name": fields["name"].strip(),
                     "suppression_threshold": int(fields["suppression_threshold"]),
                     "weight": float(fields["weight"])}
    assert fields["code"] and fields["name"].strip() and 1 <= saved["suppression_threshold"]
    assert fields["kind"] in Indicator.Kind.values and math.isfinite(saved["weight"])
    assert written(Indicator) == (before[0] + 1, before[1] + 1)


@PAGE
@given(data=st.data())
def test_posting_anything_to_the_indicators_page_defines_one_or_shows_it_again(analyst, client,
                                                                              data):
    from soclocal.safeguarding.models import Indicator

    client.force_login(analyst)
    post_is_handled(client, reverse("safeguarding:indicators"),
                    data.draw(posts(forms.IndicatorForm())), models=(Indicator,))


def test_an_indicator_weight_that_is_not_a_number_is_refused_beside_it(analyst):
    from soclocal.safeguarding.models import Indicator

    for weight in (float("nan"), float("inf"), "abc", None):
        with pytest.raises(ValidationError) as refusal:
            services.save_indicator(analyst, code="grants", name="Grants", weight=weight)
        assert list(refusal.value.message_dict) == ["weight"]
    with pytest.raises(ValidationError) as refusal:
        services.save_indicator(analyst, code="", name=" ", kind="guessed")
    assert set(refusal.value.message_dict) == {"code", "name", "kind"}
    assert not Indicator.objects.exists()


# An NRM referral and its decisions ----------------------------------------------------------

REFERRAL = careful_or_not(
    {"reference": named(60), "case_reference": fits(60),
     "jurisdiction": st.sampled_from(["england-and-wales", "scotland"]),
     "exploitation_type": st.sampled_from(["criminal", "labour", "unknown"]),
     "age_band": st.sampled_from(["under-16", "16-17", "adult"]),
     "referral_date": st.dates(date(2024, 1, 1), date(2027, 12, 20)),
     "support_offered": typed()},
    {"reference": typed(60), "case_reference": typed(60),
     "jurisdiction": st.sampled_from(["", "wales"]),
     "exploitation_type": st.sampled_from(["", "football"]),
     "age_band": st.sampled_from(["", "elderly"]), "referral_date": st.one_of(st.none(), dates())})


@PROPERTY
@given(fields=REFERRAL)
def test_an_nrm_referral_is_recorded_as_given_or_refused_beside_its_box(people, fields):
    from soclocal.safeguarding.models import NrmReferral

    before = written(NrmReferral)
    try:
        referral = services.record_referral(people["owner"], **fields)
    except ValidationError as refusal:
        keyed_to(refusal, forms.ReferralForm())
        assert written(NrmReferral) == before
        return
    saved = NrmReferral.objects.values(*fields, "reasonable_grounds_due").get(pk=referral.pk)
    assert saved.pop("reasonable_grounds_due") > fields["referral_date"]
    assert saved == {**fields, "reference": fields["reference"].strip()}
    assert fields["reference"].strip()
    assert fields["jurisdiction"] in NrmReferral.Jurisdiction.values
    assert fields["exploitation_type"] in NrmReferral.Exploitation.values
    assert fields["age_band"] in NrmReferral.AgeBand.values


@PAGE
@given(data=st.data())
def test_posting_anything_to_the_new_nrm_referral_page_records_or_shows_it_again(people, client,
                                                                                data):
    from soclocal.safeguarding.models import NrmReferral

    client.force_login(people["owner"])
    post_is_handled(client, reverse("safeguarding:nrm_new"),
                    data.draw(posts(forms.ReferralForm())), models=(NrmReferral,))


def test_an_nrm_referral_with_no_date_or_an_unknown_jurisdiction_is_refused_beside_them(people):
    from soclocal.safeguarding.models import NrmReferral

    with pytest.raises(ValidationError) as refusal:
        services.record_referral(people["owner"], reference=" ", jurisdiction="wales",
                                 exploitation_type="criminal", age_band="adult",
                                 referral_date=None)
    assert set(refusal.value.message_dict) == {"reference", "jurisdiction", "referral_date"}
    assert not NrmReferral.objects.exists()


DECISIONS = careful_or_not(
    {"reasonable_grounds": st.sampled_from(["pending", "positive", "negative"]),
     "reasonable_grounds_date": st.one_of(st.none(), st.dates(date(2026, 2, 2),
                                                              date(2026, 12, 31))),
     "conclusive_grounds": st.sampled_from(["pending", "positive", "negative"]),
     "conclusive_grounds_date": st.one_of(st.none(), st.dates(date(2026, 2, 2),
                                                              date(2026, 12, 31))),
     "support_offered": typed()},
    {"reasonable_grounds": st.sampled_from(["", "maybe"]),
     "reasonable_grounds_date": dates(), "conclusive_grounds": st.sampled_from(["", "maybe"]),
     "conclusive_grounds_date": dates()})


@pytest.fixture
def nrm(people):
    return services.record_referral(
        people["owner"], reference="NRM-1", jurisdiction="england-and-wales",
        exploitation_type="criminal", age_band="16-17", referral_date=date(2026, 2, 2))


@PROPERTY
@given(fields=DECISIONS)
def test_nrm_decisions_are_recorded_as_given_or_refused_unchanged(people, nrm, fields):
    from soclocal.safeguarding.models import NrmReferral

    was = NrmReferral.objects.values(*fields).get(pk=nrm.pk)
    audits = written()[-1]
    try:
        services.record_decisions(people["owner"], NrmReferral.objects.get(pk=nrm.pk), **fields)
    except ValidationError as refusal:
        keyed_to(refusal, forms.DecisionForm())
        assert NrmReferral.objects.values(*fields).get(pk=nrm.pk) == was
        assert written()[-1] == audits
        return
    assert NrmReferral.objects.values(*fields).get(pk=nrm.pk) == fields
    rg, rg_on = fields["reasonable_grounds"], fields["reasonable_grounds_date"]
    cg, cg_on = fields["conclusive_grounds"], fields["conclusive_grounds_date"]
    assert {rg, cg} <= set(NrmReferral.Decision.values)
    assert rg == "pending" or rg_on and cg == "pending" or (rg == "positive" and cg_on)
    for decided_on in (rg_on, cg_on):
        assert decided_on is None or decided_on >= nrm.referral_date
    assert not (rg_on and cg_on) or cg_on >= rg_on


@PAGE
@given(data=st.data())
def test_posting_anything_to_the_nrm_decisions_page_saves_or_shows_it_again(people, nrm, client,
                                                                           data):
    from soclocal.safeguarding.models import NrmReferral

    client.force_login(people["owner"])
    before = NrmReferral.objects.values().get(pk=nrm.pk)
    _response, taken = post_is_handled(
        client, reverse("safeguarding:nrm_decide", args=[nrm.pk]),
        data.draw(posts(forms.DecisionForm())), models=(NrmReferral,))
    if not taken:
        assert NrmReferral.objects.values().get(pk=nrm.pk) == before


def test_a_conclusive_decision_before_the_reasonable_grounds_one_is_refused(people, nrm):
    with pytest.raises(ValidationError) as refusal:
        services.record_decisions(people["owner"], nrm, reasonable_grounds="positive",
                                  reasonable_grounds_date=date(2026, 3, 10),
                                  conclusive_grounds="positive",
                                  conclusive_grounds_date=date(2026, 3, 9))
    assert list(refusal.value.message_dict) == ["conclusive_grounds_date"]
    with pytest.raises(ValidationError) as refusal:
        services.record_decisions(people["owner"], nrm, reasonable_grounds="maybe")
    assert list(refusal.value.message_dict) == ["reasonable_grounds"]


# Links to a place, and agencies working with an adult ---------------------------------------

@pytest.fixture
def place(people):
    return services.record_place(people["owner"], name="The underpass", kind="park")


@pytest.fixture
def report(people, org):
    from soclocal.intelligence.models import IntelligenceReport

    return IntelligenceReport.objects.create(
        reference="IR-77", owning_agency=org["police"], title="Deals from the back door",
        text="t", source_type="police", source_grade="B", intelligence_grade="2",
        handling="P", created_by=people["police_chair"])


@PROPERTY
@given(with_case=st.booleans(), with_report=st.booleans())
def test_a_place_is_linked_once_to_a_case_or_a_report_or_refused(people, case, place, report,
                                                                  with_case, with_report):
    from soclocal.safeguarding.models import PlaceLink

    case, report = case if with_case else None, report if with_report else None
    linked = PlaceLink.objects.filter(place=place, case=case, report=report).exists()
    before = written(PlaceLink)
    try:
        link = services.link_to_place(people["owner"], place, case=case, report=report)
    except ValidationError as refusal:
        keyed_to(refusal, forms.LinkForm())
        assert written(PlaceLink) == before
        assert with_case == with_report or linked
        return
    assert with_case != with_report and not linked
    saved = PlaceLink.objects.get(pk=link.pk)
    assert (saved.place, saved.case, saved.report) == (place, case, report)


@PAGE
@given(data=st.data())
def test_posting_anything_to_link_a_place_links_or_shows_it_again(people, case, place, client,
                                                                 data):
    from soclocal.safeguarding.models import PlaceLink

    client.force_login(people["owner"])
    form = forms.LinkForm(cases=[(case.pk, "The case")])
    post_is_handled(client, reverse("safeguarding:place_link", args=[place.pk]),
                    data.draw(posts(form)), models=(PlaceLink,), form_key="link_form",
                    refused=(400,))


@pytest.fixture
def adult(make_user):
    officer = make_user(Role.PRACTITIONER, agency="police")
    return services.record_adult(officer, first_name="Sam", last_name="Example", risk="high")


INVOLVEMENT = careful_or_not(
    {"agency": st.just("youth"), "role": named(200), "contact": fits(200)},
    {"agency": st.sampled_from(["police", None]), "role": typed(200), "contact": typed(200)})


@PROPERTY
@given(fields=INVOLVEMENT, again=st.booleans())
def test_an_agency_working_with_an_adult_is_added_as_given_or_refused(org, adult, fields, again):
    from soclocal.safeguarding.models import AgencyInvolvement

    if not again:  # someone else at risk, with only the police involved so far
        adult = services.record_adult(adult.owner, first_name="Jo", last_name="Example")
    agency = org.get(fields["agency"])
    involved = AgencyInvolvement.objects.filter(adult=adult, agency=agency).exists()
    before = written(AgencyInvolvement)
    try:
        added = services.add_involvement(adult.owner, adult, **{**fields, "agency": agency})
    except ValidationError as refusal:
        keyed_to(refusal, forms.InvolvementForm())
        assert written(AgencyInvolvement) == before
        return
    assert agency and not involved and fields["role"].strip()
    saved = AgencyInvolvement.objects.get(pk=added.pk)
    assert (saved.adult, saved.agency, saved.role, saved.contact) == (
        adult, agency, fields["role"].strip(), fields["contact"].strip())


@PAGE
@given(data=st.data())
def test_posting_anything_to_add_an_agency_adds_it_or_shows_it_again(adult, client, data):
    from soclocal.safeguarding.models import AgencyInvolvement

    client.force_login(adult.owner)
    post_is_handled(client, reverse("safeguarding:adult_involvement", args=[adult.pk]),
                    data.draw(posts(forms.InvolvementForm())), models=(AgencyInvolvement,),
                    form_key="involvement_form", refused=(400,))


# A child listed at a panel, and a disruption raised from it ---------------------------------

LISTING = careful_or_not(
    {"which": st.just("waiting"), "review": st.none(), "elsewhere": st.booleans()},
    {"which": st.just("listed"),
     "review": st.sampled_from(["review", "step_down", "unheard", "reviewed", "other"])})


@PROPERTY
@given(choice=LISTING)
def test_a_child_is_listed_once_at_a_panel_or_refused_unchanged(people, case, hearing, choice):
    Hearing = MaceHearing
    first = hearing.meeting
    if not hearing.recorded_at:
        services.record_hearing(people["la_chair"], hearing, presentation="", risk_tier="high",
                                minutes="Heard.", outcome="review")
    meeting = PanelMeeting.objects.exclude(pk=first.pk).first() if choice["elsewhere"] else first
    if meeting is None:
        meeting = services.schedule_panel(people["la_chair"], held_on=date(2026, 6, 1),
                                          police_chair=people["police_chair"],
                                          local_authority_chair=people["la_chair"])
    waiting = MaceReferral.objects.filter(status="waiting").first() or services.refer_to_mace(
        people["owner"], case, indicators=["tickets"], evidence={"tickets": "Tickets"},
        concerns="Out of area")
    referral = waiting if choice["which"] == "waiting" else hearing.referral
    review_of = {
        None: None, "review": hearing,
        "step_down": Hearing.objects.filter(outcome="step_down").first(),
        "unheard": Hearing.objects.filter(recorded_at=None).first(),
        "reviewed": Hearing.objects.filter(reviews__isnull=False).first(),
        "other": Hearing.objects.exclude(referral=referral).first()}[choice["review"]]
    status = referral.status
    before = written(Hearing)
    try:
        listed = services.list_child(people["la_chair"], meeting, referral, review_of=review_of)
    except ValidationError as refusal:
        keyed_to(refusal, forms.ListChildForm())
        assert written(Hearing) == before
        assert MaceReferral.objects.get(pk=referral.pk).status == status
        return
    saved = Hearing.objects.get(pk=listed.pk)
    assert (saved.meeting, saved.referral, saved.review_of) == (meeting, referral, review_of)
    assert meeting.hearings.filter(referral=referral).count() == 1
    if review_of is None:
        assert status == "waiting"
    else:
        assert review_of.referral_id == referral.pk and review_of.outcome == "review"
        assert list(review_of.reviews.all()) == [saved]
    assert MaceReferral.objects.get(pk=referral.pk).status == "listed"


@PAGE
@given(data=st.data())
def test_posting_anything_to_a_panels_agenda_lists_or_shows_it_again(people, case, hearing,
                                                                    client, data):
    from soclocal.safeguarding.views import _listing_choices

    MaceReferral.objects.filter(status="waiting").first() or services.refer_to_mace(
        people["owner"], case, indicators=["tickets"], evidence={"tickets": "Tickets"},
        concerns="Out of area")
    client.force_login(people["la_chair"])
    form = forms.ListChildForm(choices=_listing_choices(people["la_chair"], hearing.meeting))
    post_is_handled(client, reverse("safeguarding:panel", args=[hearing.meeting.pk]),
                    data.draw(posts(form)), models=(MaceHearing,))


def test_only_a_hearing_kept_for_review_is_reviewed(people, hearing):
    later = services.schedule_panel(people["la_chair"], held_on=date(2026, 6, 1),
                                    police_chair=people["police_chair"],
                                    local_authority_chair=people["la_chair"])
    with pytest.raises(ValidationError) as refusal:  # not yet heard
        services.list_child(people["la_chair"], later, hearing.referral, review_of=hearing)
    assert list(refusal.value.message_dict) == ["referral"]
    services.record_hearing(people["la_chair"], hearing, presentation="", risk_tier="low",
                            minutes="Heard.", outcome="step_down")
    with pytest.raises(ValidationError):
        services.list_child(people["la_chair"], later, hearing.referral, review_of=hearing)
    assert not later.hearings.exists()


@pytest.fixture
def raiser(make_user, hearing):
    """A police officer on the panel who may set requirements and add plan actions."""
    officer = make_user(Role.INTELLIGENCE_OFFICER, Role.ANALYST, agency="police")
    hearing.meeting.members.add(officer)
    return officer


@pytest.fixture
def plan(raiser):
    from soclocal.priorities import services as priorities
    from soclocal.responses import services as responses

    threat = priorities.raise_threat(raiser, kind="place", title="Drug market by the flats")
    return responses.create_plan(raiser, threat, title="Close the market", framework="4ps",
                                 objectives="Fewer children drawn in")


def _raised():
    from soclocal.intelligence.models import Requirement
    from soclocal.responses.models import Action

    return written(Requirement, Action)


RAISING = careful_or_not(
    {"kind": st.just("disrupt"),
     "description": st.sampled_from(["Who rents the lock-up?", "x" * 5000, "😀 " * 40]),
     "as_": st.sampled_from(["requirement", "plan_action"]), "with_plan": st.just(True),
     "strand": st.sampled_from(["pursue", "prevent", "protect", "prepare"]),
     "twice": st.just(False)},
    {"kind": st.just("protect"), "as_": st.sampled_from(["", "both"]),
     "with_plan": st.just(False), "strand": typed(20), "twice": st.just(True)})


@PROPERTY
@given(choice=RAISING)
def test_a_disruption_is_raised_once_as_asked_or_refused_beside_the_form(org, hearing, raiser,
                                                                         plan, choice):
    from soclocal.core import origins

    action = services.add_mace_action(raiser, hearing, kind=choice["kind"],
                                      description=choice["description"],
                                      owning_agency=org["youth"], due_on=date(2026, 4, 1))
    if choice["twice"] and choice["kind"] == "disrupt":
        services.raise_disruption(raiser, action, as_="requirement")
    before = _raised()
    try:
        made = services.raise_disruption(raiser, action, as_=choice["as_"],
                                         plan=plan if choice["with_plan"] else None,
                                         strand=choice["strand"])
    except ValidationError as refusal:
        keyed_to(refusal, forms.RaiseForm())
        assert _raised() == before
        return
    assert choice["kind"] == "disrupt" and not choice["twice"]
    assert origins.came_of(action).count() == 1
    asked = choice["description"].strip()
    if choice["as_"] == "requirement":
        assert (made.question, made.tasked_agency) == (asked, org["youth"])
    else:  # a plan action's title is the first 200 characters of what the panel agreed
        assert choice["as_"] == "plan_action" and choice["with_plan"]
        assert (made.plan, made.strand, made.title, made.owning_agency) == (
            plan, choice["strand"], asked[:200].strip(), org["youth"])


@PAGE
@given(data=st.data())
def test_posting_anything_to_raise_a_disruption_raises_it_or_shows_it_again(org, hearing, raiser,
                                                                           plan, client, data):
    from soclocal.intelligence.models import Requirement
    from soclocal.responses.models import Action

    action = services.add_mace_action(raiser, hearing, kind="disrupt",
                                      description="Who rents the lock-up?",
                                      owning_agency=org["youth"], due_on=date(2026, 4, 1))
    client.force_login(raiser)
    post_is_handled(client, reverse("safeguarding:mace_action_raise", args=[action.pk]),
                    data.draw(posts(forms.RaiseForm(plans=[plan]))),
                    models=(Requirement, Action), form_key="raise_form")


def test_a_refused_raise_is_shown_beside_the_action_with_the_strand_as_typed(
        org, hearing, raiser, plan, client):
    action = services.add_mace_action(raiser, hearing, kind="disrupt", description="Who?",
                                      owning_agency=org["youth"], due_on=date(2026, 4, 1))
    client.force_login(raiser)
    response = client.post(reverse("safeguarding:mace_action_raise", args=[action.pk]),
                           {"as_": "plan_action", "plan": str(plan.pk), "strand": "Disrupt <it>"})
    assert response.status_code == 200
    assert list(response.context["raise_form"].errors) == ["strand"]
    html = response.content.decode()
    assert 'value="Disrupt &lt;it&gt;"' in html and 'id="id_strand-error"' in html
    assert 'value="plan_action" checked' in html


# A peer group map and its links -------------------------------------------------------------

@PROPERTY
@given(fields=careful_or_not({"title": named(200), "summary": typed()}, {"title": typed(200)}),
       members=st.lists(st.sampled_from(["police_chair", "la_chair"]), unique=True))
def test_a_peer_group_map_is_started_as_given_or_refused(people, fields, members):
    from soclocal.safeguarding.models import PeerGroupMap

    chosen = [people[m] for m in members]
    before = written(PeerGroupMap)
    try:
        peer_map = services.create_map(people["owner"], members=chosen, **fields)
    except ValidationError as refusal:
        keyed_to(refusal, forms.PeerMapForm())
        assert written(PeerGroupMap) == before
        return
    saved = PeerGroupMap.objects.get(pk=peer_map.pk)
    assert (saved.title, saved.summary) == (fields["title"].strip(), fields["summary"].strip())
    assert saved.title and set(saved.members.all()) == set(chosen) | {people["owner"]}


@PAGE
@given(data=st.data())
def test_posting_anything_to_start_a_map_starts_it_or_shows_it_again(people, client, data):
    from soclocal.safeguarding.models import PeerGroupMap

    client.force_login(people["owner"])
    post_is_handled(client, reverse("safeguarding:map_new"),
                    data.draw(posts(forms.PeerMapForm())), models=(PeerGroupMap,))


@pytest.fixture
def peer_map(people):
    made = services.create_map(people["owner"], title="Estate map")
    other = services.create_map(people["owner"], title="Another map")
    for on, label, kind in ((made, "AB", "child"), (made, "The flats", "place"),
                            (other, "CD", "child")):
        services.add_node(people["owner"], on, kind=kind, label=label)
    return made


LINK = careful_or_not(
    {"source": st.just("AB"), "target": st.just("The flats"),
     "kind": st.sampled_from(MapLink.Kind.values),
     "reliability": st.sampled_from(MapLink.Reliability.values),
     "source_of_information": fits(200), "risks": typed(), "strengths": typed(),
     "action": named(200), "no_action_reason": st.just("")},
    {"source": st.sampled_from(["CD", None]), "target": st.sampled_from(["AB", "CD", None]),
     "kind": st.sampled_from(["", "enemies"]), "reliability": st.sampled_from(["", "Z"]),
     "source_of_information": typed(200), "action": typed(), "no_action_reason": typed()})


@PROPERTY
@given(fields=LINK)
def test_a_link_on_a_map_is_added_as_given_or_refused(people, peer_map, fields):
    nodes = {n.label: n for n in MapNode.objects.all()}
    before = written(MapLink)
    try:
        link = services.add_link(people["owner"], peer_map,
                                 **{**fields, "source": nodes.get(fields["source"]),
                                    "target": nodes.get(fields["target"])})
    except ValidationError as refusal:
        keyed_to(refusal, forms.MapLinkForm())
        assert written(MapLink) == before
        return
    assert fields["source"] != fields["target"]
    assert {fields["source"], fields["target"]} <= {"AB", "The flats"}
    saved = MapLink.objects.values(*fields).get(pk=link.pk)
    assert saved == {name: (nodes[value].pk if name in ("source", "target") else
                            value if name in ("kind", "reliability") else value.strip())
                     for name, value in fields.items()}
    assert bool(saved["action"]) != bool(saved["no_action_reason"])


@PAGE
@given(data=st.data())
def test_posting_anything_to_link_two_on_a_map_links_or_shows_it_again(people, peer_map, client,
                                                                      data):
    client.force_login(people["owner"])
    form = forms.MapLinkForm(nodes=peer_map.nodes.all())
    post_is_handled(client, reverse("safeguarding:map_link_new", args=[peer_map.pk]),
                    data.draw(posts(form)), models=(MapLink,))


def test_a_link_with_both_an_action_and_a_reason_for_none_is_refused_not_cut(people, peer_map):
    a, b = peer_map.nodes.order_by("pk")
    with pytest.raises(ValidationError) as refusal:
        services.add_link(people["owner"], peer_map, source=a, target=b, kind="friends",
                          reliability="1", action="Youth worker visits",
                          no_action_reason="Protective friendship")
    assert list(refusal.value.message_dict) == ["no_action_reason"]
    assert not MapLink.objects.exists()


# Why a child's panel record or an NRM referral is opened ------------------------------------

@PAGE
@given(purpose=purposes(dict(forms.MACE_PURPOSES)))
def test_a_panel_record_opens_with_the_purpose_stated_or_asks_again(people, hearing, client,
                                                                     purpose):
    client.force_login(people["owner"])
    read_is_handled(client, reverse("safeguarding:hearing", args=[hearing.pk]), purpose,
                    labels=dict(forms.MACE_PURPOSES), default="panel",
                    action="mace.hearing.viewed", shows="Two phones")


@PAGE
@given(purpose=purposes(dict(forms.PURPOSES)))
def test_an_nrm_referral_opens_with_the_purpose_stated_or_asks_again(people, nrm, client,
                                                                     purpose):
    client.force_login(people["owner"])
    read_is_handled(client, reverse("safeguarding:nrm", args=[nrm.pk]), purpose,
                    labels=dict(forms.PURPOSES), default="safeguarding",
                    action="nrm.referral.viewed", shows="NRM-1")


def test_a_map_or_panel_opened_for_a_purpose_not_offered_records_no_read(people, hearing,
                                                                          client):
    from soclocal.core.models import AuditEvent

    client.force_login(people["la_chair"])
    for url in (reverse("safeguarding:hearing", args=[hearing.pk]),
                reverse("safeguarding:panel", args=[hearing.meeting_id])):
        response = client.get(url, {"purpose": "curious"})
        assert response.status_code == 400 and b"Two phones" not in response.content
    assert not AuditEvent.objects.filter(action__in=["mace.hearing.viewed",
                                                     "mace.panel.viewed"]).exists()
