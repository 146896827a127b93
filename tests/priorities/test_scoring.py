"""The scoring formula against cases worked by hand, and its properties over every scale."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from soclocal.priorities import scoring

HAND = {"harm_physical": 4, "harm_psychological": 3, "harm_financial": 2, "harm_community": 3,
        "harm_environmental": 0, "scale": 2, "vulnerability": 4, "likelihood": 3,
        "confidence": 2, "capacity": 2, "capability": 4}


def test_multiplicative_default_worked_by_hand():
    # impact = (2·4 + 1.5·3 + 1·2 + 1.5·3 + 0.5·0 + 1.5·2 + 2·4) / (10 · 4) = 30/40 = 0.75
    # likelihood = 3/4; confidence = 0.5 + 0.5 · 2/4 = 0.75
    # position = (1 + 0.5 · (2 + 4)/8) / 1.5 = 1.375 / 1.5
    # 100 · 0.75 · 0.75 · 0.75 · 0.91667 = 38.67
    s = scoring.score(HAND, scoring.DEFAULT_METHOD)
    assert s.value == 38.7
    assert s.priority == "Medium"
    assert s.parts == {"impact": 0.75, "likelihood": 0.75, "confidence": 0.75,
                       "position": 0.9167}
    assert s.formula.endswith("= 38.7") and "impact (0.75)" in s.formula


def test_additive_worked_by_hand():
    # (30 + 1·3 + 1·2 + 1·2 + 1·4) / (14 · 4) = 41/56 = 0.7321
    method = {**scoring.DEFAULT_METHOD, "formula": scoring.ADDITIVE}
    s = scoring.score(HAND, method)
    assert s.value == 73.2 and s.priority == "High"


def test_changing_a_weight_changes_the_score():
    method = {**scoring.DEFAULT_METHOD,
              "weights": {**scoring.DEFAULT_METHOD["weights"], "harm_environmental": 9.5}}
    # impact = (30 + 9.5·0) / (19 · 4) = 30/76
    s = scoring.score(HAND, method)
    assert s.parts["impact"] == round(30 / 76, 4)
    assert s.value == round(100 * 30 / 76 * 0.75 * 0.75 * 1.375 / 1.5, 1)


@pytest.mark.parametrize("value,band", [(50, "High"), (49.9, "Medium"), (25, "Medium"),
                                        (24.9, "Low"), (0, "Low")])
def test_bands(value, band):
    assert scoring.band(value, scoring.DEFAULT_METHOD) == band


def methods():
    weights = st.fixed_dictionaries({k: st.floats(0.1, 10) for k in scoring.KEYS})
    return st.builds(
        lambda levels, w, formula, floor, uplift: {
            "scale": [f"L{i}" for i in range(levels)], "weights": w, "formula": formula,
            "confidence_floor": floor, "position_uplift": uplift,
            "bands": {"high": 50, "medium": 25}},
        st.integers(3, 11), weights, st.sampled_from([scoring.MULTIPLICATIVE, scoring.ADDITIVE]),
        st.floats(0, 1), st.floats(0, 5))


@st.composite
def method_and_scores(draw):
    method = draw(methods())
    top = len(method["scale"]) - 1
    scores = draw(st.fixed_dictionaries({k: st.integers(0, top) for k in scoring.KEYS}))
    return method, scores


@given(method_and_scores())
def test_score_is_between_0_and_100(ms):
    method, scores = ms
    assert 0 <= scoring.score(scores, method).value <= 100


@given(method_and_scores(), st.sampled_from([k for k in scoring.KEYS
                                             if scoring.GROUP[k] == "impact"]))
def test_more_harm_never_lowers_the_score(ms, key):
    method, scores = ms
    top = len(method["scale"]) - 1
    worse = {**scores, key: min(top, scores[key] + 1)}
    assert scoring.score(worse, method).value >= scoring.score(scores, method).value


@given(method_and_scores(), st.floats(0.5, 20))
def test_only_the_ratio_of_weights_matters(ms, factor):
    method, scores = ms
    scaled = {**method, "weights": {k: w * factor for k, w in method["weights"].items()}}
    assert scoring.score(scores, scaled).value == pytest.approx(
        scoring.score(scores, method).value, abs=0.11)


@given(methods())
def test_the_worst_scores_give_100_and_no_likelihood_gives_0(method):
    top = len(method["scale"]) - 1
    worst = {k: top for k in scoring.KEYS}
    assert scoring.score(worst, method).value == 100
    if method["formula"] == scoring.MULTIPLICATIVE:
        assert scoring.score({**worst, "likelihood": 0}, method).value == 0
