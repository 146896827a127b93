"""The sharing version: counts from 1 to 4 hidden, and the counts that would reveal them."""

from datetime import date, timedelta

from soclocal.evaluation import outcomes, report
from soclocal.evaluation.linkage import Linkage

REFERRAL = date(2023, 6, 15)


def member(key, group, area, arrests_before, arrests_after, missing_before=0):
    events = ([(REFERRAL - timedelta(days=10 + i), "arrest", "violence")
               for i in range(arrests_before)]
              + [(REFERRAL + timedelta(days=10 + i), "arrest", "drugs")
                 for i in range(arrests_after)]
              + [(REFERRAL - timedelta(days=40 + i), "missing episode", "")
                 for i in range(missing_before)])
    return outcomes.Member(key, group, REFERRAL, area, bool(events), events)


def document():
    members = (
        # Area A: two engagers (a small number), area B: ten.
        [member(f"a{i}", outcomes.ENGAGED, "A", 1, 0) for i in range(2)]
        + [member(f"b{i}", outcomes.ENGAGED, "B", 2, 1, missing_before=1) for i in range(10)]
        + [member(f"c{i}", outcomes.COMPARISON, "B", 2, 2) for i in range(8)]
        # Three comparison young people with no police events.
        + [member(f"d{i}", outcomes.COMPARISON, "B", 0, 0, missing_before=0) for i in range(3)])
    results = outcomes.evaluate(members, windows=(6,), data_from=date(2020, 1, 1),
                                data_to=date(2025, 1, 1))
    engaged = {m.key: m.group == outcomes.ENGAGED for m in members}
    linkage = report.linkage_summary(Linkage([], len(members), 30), engaged)
    return report.build_document(results, linkage=linkage, comparison="test",
                                 data_from=date(2020, 1, 1), data_to=date(2025, 1, 1),
                                 source={}, built_on=date(2025, 1, 2))


def _area(doc, value):
    return next(r for r in doc["by_area"] if r["value"] == value)


def test_small_counts_and_the_counts_that_reveal_them_are_hidden():
    full = document()
    assert _area(full, "A")["groups"]["engaged"]["people"] == 2
    shared = report.sharing_version(full)
    assert shared["sharing"] is True
    a, b = _area(shared, "A"), _area(shared, "B")
    assert a["groups"]["engaged"]["people"] == "[c]"
    # Area B's engagers (10) would give area A's away from the total (12): hidden too.
    assert b["groups"]["engaged"]["people"] == "[c]"
    assert shared["groups"]["engaged"]["people"] == 12
    # The means resting on hidden counts are hidden, and so is the area's estimate.
    assert a["groups"]["engaged"]["arrests"]["before_mean"] == "[c]"
    assert a["arrests"]["difference"] is None
    # The whole groups' figures are large enough to publish.
    assert shared["groups"]["engaged"]["measures"]["arrests"]["before"] == 22
    # Zero is published: it says nothing about anyone.
    assert shared["groups"]["comparison"]["measures"]["offences_sexual"]["before"] == 0


def test_monthly_trend_points_resting_on_one_to_four_events_are_hidden():
    full = document()
    shared = report.sharing_version(full)
    full_points = {p["month"]: p for p in full["pre_trend"]["monthly"]["missing_episodes"]}
    shared_points = {p["month"]: p for p in shared["pre_trend"]["monthly"]["missing_episodes"]}
    for month, point in full_points.items():
        events = point["engaged_events"]
        if 0 < events < 5:
            assert shared_points[month]["engaged"] is None
        else:
            assert shared_points[month]["engaged"] == point["engaged"]
        assert "engaged_events" not in shared_points[month]


def test_the_full_version_is_left_as_it_was():
    full = document()
    report.sharing_version(full)
    assert full["sharing"] is False and _area(full, "A")["groups"]["engaged"]["people"] == 2
