"""The difference-in-differences against a panel worked by hand."""

import math

import pytest

from soclocal.evaluation.outcomes import COMPARISON, ENGAGED, did

# (before, after) arrests for five engagers and five in the comparison group.
ENGAGERS = [(4, 1), (3, 2), (5, 1), (2, 2), (6, 3)]
COMPARATORS = [(3, 3), (4, 2), (2, 2), (5, 4), (1, 1)]


def rows(engagers=ENGAGERS, comparators=COMPARATORS):
    return ([{"group": ENGAGED, "counts": {"arrests": c}} for c in engagers]
            + [{"group": COMPARISON, "counts": {"arrests": c}} for c in comparators])


def test_difference_is_the_change_among_engagers_less_the_change_in_the_comparison_group():
    # Engagers change by -3, -1, -4, 0, -3 (mean -2.2); the comparison group by 0, -2, 0, -1,
    # 0 (mean -0.6): the difference-in-differences is -1.6 per young person.
    result = did(rows(), "arrests")
    assert result["difference"]["estimate"] == pytest.approx(-1.6)
    # Clustered by person, the variance is that of each group's mean change, with the usual
    # small-sample factor G/(G-1) * (N-1)/(N-K) for 10 people, 20 rows and 4 parameters.
    t_changes, c_changes = [-3, -1, -4, 0, -3], [0, -2, 0, -1, 0]

    def spread(values):
        mean = sum(values) / len(values)
        return sum((v - mean) ** 2 for v in values) / len(values) ** 2

    factor = 10 / 9 * 19 / 16
    se = math.sqrt(factor * (spread(t_changes) + spread(c_changes)))
    assert result["difference"]["se"] == pytest.approx(se, rel=1e-4)
    # The interval uses Student's t with G - 1 = 9 degrees of freedom (2.262157), not the
    # normal 1.959964, which would be too narrow for ten people.
    assert result["difference"]["ci_low"] == pytest.approx(-1.6 - 2.262157 * se, abs=1e-4)
    assert result["difference"]["ci_high"] == pytest.approx(-1.6 + 2.262157 * se, abs=1e-4)


def test_ratio_is_the_ratio_of_the_groups_ratios_of_totals():
    # Engagers: 20 arrests before, 9 after; comparison: 15 before, 12 after.
    result = did(rows(), "arrests")
    ratio = result["ratio"]
    assert ratio["estimate"] == pytest.approx((9 / 20) / (12 / 15), rel=1e-5)
    assert ratio["ci_low"] < ratio["estimate"] < ratio["ci_high"]
    # The log ratio's interval is symmetric, with the same t value as the difference's.
    log_half_width = math.log(ratio["ci_high"]) - math.log(ratio["estimate"])
    assert log_half_width == pytest.approx(2.262157 * ratio["se"], rel=1e-4)
    assert math.log(ratio["estimate"]) - math.log(ratio["ci_low"]) == pytest.approx(
        log_half_width, rel=1e-4)


def test_no_change_anywhere_gives_zero_and_a_ratio_of_one():
    same = [(2, 2), (3, 3), (1, 1), (4, 4), (2, 2)]
    result = did(rows(same, same), "arrests")
    assert result["difference"]["estimate"] == pytest.approx(0, abs=1e-9)
    assert result["ratio"]["estimate"] == pytest.approx(1, rel=1e-6)


def test_too_few_people_in_a_group_is_not_estimated():
    result = did(rows(ENGAGERS[:4]), "arrests")
    assert result["difference"] is None and "fewer than 5" in result["note"]


def test_a_cell_with_no_events_has_no_ratio_but_still_a_difference():
    none_after = [(b, 0) for b, _ in ENGAGERS]
    result = did(rows(none_after), "arrests")
    assert result["ratio"] is None
    assert result["difference"]["estimate"] == pytest.approx(-4.0 + 0.6)
