"""Properties of the services behind the priorities forms (a threat, its assessment, the
scoring method, a decision, linked evidence), for anything the forms can send: each call
does all it says or refuses with a message keyed to a field of the form, writing nothing and
auditing nothing."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from soclocal.priorities import forms, scoring, selectors, services
from soclocal.priorities.models import Assessment, Decision, ScoringMethod, Threat, ThreatLink
from tests.properties import PAGE, PROPERTY, dates, post_is_handled, posts, typed, written

pytestmark = pytest.mark.django_db


def keyed_to(refusal, form):
    keys = set(refusal.message_dict) if hasattr(refusal, "error_dict") else {None}
    assert keys <= set(form.fields) | {"__all__", None}, keys
    assert refusal.messages and all(m.strip() for m in refusal.messages)


@pytest.fixture
def threat(people):
    return services.raise_threat(people["police_analyst"], kind=Threat.Kind.PLACE,
                                 title="Drug market by the flats")


@PROPERTY
@given(kind=st.sampled_from(Threat.Kind.values + ["", "alien"]), title=typed(200),
       evidence=typed(), police_only=st.booleans())
def test_a_threat_is_raised_as_given_or_refused(people, kind, title, evidence, police_only):
    before = written(Threat)
    try:
        threat = services.raise_threat(people["police_analyst"], kind=kind, title=title,
                                       evidence_text=evidence, police_only=police_only)
    except ValidationError as refusal:
        keyed_to(refusal, forms.ThreatForm())
        assert written(Threat) == before
        return
    assert kind in Threat.Kind.values and title.strip()
    saved = Threat.objects.get(pk=threat.pk)
    assert (saved.kind, saved.title, saved.evidence_text) == (kind, title.strip(), evidence)
    assert saved.police_only == (police_only or kind == Threat.Kind.PERSON)


SCORE = st.one_of(st.none(), st.integers(-2, 12), st.sampled_from(["", "3", "high", "2.5"]))


@PROPERTY
@given(scores=st.fixed_dictionaries({k: SCORE for k in scoring.KEYS}), rationale=typed())
def test_an_assessment_keeps_every_score_or_refuses_beside_the_factor(people, threat, scores,
                                                                      rationale):
    method = selectors.current_method()
    before = written(Assessment)
    try:
        made = services.assess(people["police_analyst"], threat, scores, rationale)
    except ValidationError as refusal:
        keyed_to(refusal, forms.AssessmentForm(method=method))
        assert written(Assessment) == before
        return
    top = len(method["scale"]) - 1
    assert all(0 <= int(v) <= top for v in scores.values())
    assert Assessment.objects.get(pk=made.pk).scores == {k: int(v) for k, v in scores.items()}


NUMBER = st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True),
                   st.sampled_from(["", "0.5", "abc", "1e3"]), st.integers(-5, 120))


@PROPERTY
@given(levels=st.lists(typed(40), max_size=12),
       formula=st.sampled_from([k for k, _ in scoring.FORMULAS] + ["", "magic"]),
       floor=NUMBER, uplift=NUMBER, high=NUMBER, medium=NUMBER,
       weights=st.fixed_dictionaries({k: NUMBER for k in scoring.KEYS}))
def test_a_scoring_method_is_saved_whole_or_refused_beside_its_box(
        people, levels, formula, floor, uplift, high, medium, weights):
    before = written(ScoringMethod)
    settings = {"scale": levels, "formula": formula, "confidence_floor": floor,
                "position_uplift": uplift, "bands": {"high": high, "medium": medium},
                "weights": weights}
    try:
        saved = services.save_method(people["admin"], settings)
    except ValidationError as refusal:
        keyed_to(refusal, forms.MethodForm())
        assert written(ScoringMethod) == before
        return
    method = ScoringMethod.objects.get(pk=saved.pk).method
    assert method["scale"] == [s.strip() for s in levels if s.strip()]
    assert 0 <= method["bands"]["medium"] <= method["bands"]["high"] <= 100
    assert 0 <= method["confidence_floor"] <= 1 and 0 <= method["position_uplift"] <= 5


@PROPERTY
@given(outcome=st.sampled_from(Decision.Outcome.values + ["", "ignore"]), reasons=typed(),
       referred_to=typed(200), owner=st.booleans(), review=st.one_of(st.none(), dates()))
def test_a_decision_is_recorded_as_given_or_refused(people, threat, outcome, reasons,
                                                   referred_to, owner, review):
    before = written(Decision)
    try:
        made = services.decide(people["admin"], threat, outcome=outcome, reasons=reasons,
                               referred_to=referred_to,
                               owner=people["police_analyst"] if owner else None,
                               review_date=review)
    except ValidationError as refusal:
        keyed_to(refusal, forms.DecisionForm())
        assert written(Decision) == before
        return
    assert outcome in Decision.Outcome.values and reasons.strip() and owner
    assert review is not None and review >= timezone.localdate()
    saved = Decision.objects.get(pk=made.pk)
    assert (saved.outcome, saved.reasons, saved.review_date) == (outcome, reasons.strip(),
                                                                 review)


@PROPERTY
@given(kind=st.sampled_from(ThreatLink.Kind.values + ["", "rumour"]),
       reference=st.one_of(typed(40), st.sampled_from(["IR-0001", "1", "999999", "-1",
                                                       "1e9", "٣"])))
def test_evidence_is_linked_only_when_it_can_be_opened(people, threat, kind, reference):
    before = written(ThreatLink)
    try:
        services.link_evidence(people["intel"], threat, kind=kind, reference=reference)
    except ValidationError as refusal:
        keyed_to(refusal, forms.LinkForm())
        assert written(ThreatLink) == before
        return
    raise AssertionError("nothing exists to be linked, so nothing may be")


@PAGE
@given(data=st.data())
def test_posting_anything_as_a_decision_records_it_or_shows_it_again(people, threat, client,
                                                                     data):
    client.force_login(people["admin"])
    post_is_handled(client, reverse("priorities:decide", args=[threat.pk]),
                    data.draw(posts(forms.DecisionForm())), models=(Decision,))


def test_a_decision_with_no_outcome_owner_or_review_date_is_refused_beside_each(people,
                                                                               threat):
    with pytest.raises(ValidationError) as refusal:
        services.decide(people["admin"], threat, outcome="ignore", reasons="Because",
                        owner=None, review_date=None)
    assert {"outcome", "owner", "review_date"} <= set(refusal.value.message_dict)
    assert not Decision.objects.exists()


def test_a_scoring_method_with_words_for_numbers_is_refused_beside_each_box(people):
    settings = {"scale": ["Low", "Medium", "High"], "formula": scoring.FORMULAS[0][0],
                "confidence_floor": "abc", "position_uplift": "1", "weights": {},
                "bands": {"high": "high", "medium": "1"}}
    with pytest.raises(ValidationError) as refusal:
        services.save_method(people["admin"], settings)
    assert {"confidence_floor", "band_high"} <= set(refusal.value.message_dict)
