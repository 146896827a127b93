"""The profile's tests on scipy.special give scipy.stats's answers on the same inputs."""

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy import stats

from soclocal.profiles import statistics

counts = st.integers(min_value=0, max_value=5000)
values = st.lists(st.integers(min_value=-50, max_value=50), min_size=5, max_size=40)


@given(counts, counts)
def test_binomial_p_value_is_scipys(k, rest):
    n = k + rest
    expected = stats.binomtest(k, n, 0.5).pvalue if n else 1.0
    assert statistics.binomial_half_p(k, n) == pytest.approx(expected, rel=1e-9, abs=1e-12)


@given(st.lists(st.floats(min_value=0, max_value=1), min_size=0, max_size=60),
       st.sampled_from([np.float32, np.float64]))
def test_benjamini_hochberg_is_scipys(ps, dtype):
    ps = np.array(ps, dtype=dtype)
    assert np.array_equal(statistics.false_discovery_control(ps),
                          stats.false_discovery_control(ps))


@settings(max_examples=200)
@given(values, st.data())
def test_correlations_are_scipys(x, data):
    y = data.draw(st.lists(st.integers(min_value=-50, max_value=50), min_size=len(x),
                           max_size=len(x)))
    assume(len(set(x)) > 1 and len(set(y)) > 1)  # the profile asks only of varying values
    for ours, theirs in ((statistics.pearson(x, y), stats.pearsonr(x, y)),
                         (statistics.spearman(x, y), stats.spearmanr(x, y))):
        assert ours[0] == pytest.approx(theirs.statistic, abs=1e-12)
        assert ours[1] == pytest.approx(theirs.pvalue, rel=1e-9, abs=1e-12)


def test_a_perfect_rank_correlation_has_a_p_value_of_zero_as_scipys():
    x, y = [0, 0, 0, 1, 1], [-1, -1, -1, 3, 3]
    ours, theirs = statistics.spearman(x, y), stats.spearmanr(x, y)
    assert ours[0] == pytest.approx(theirs.statistic) == 1
    assert ours[1] == pytest.approx(theirs.pvalue, abs=1e-12)
