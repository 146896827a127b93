"""Per-theme spending limits inside the Method of Equal Shares."""

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pabutools.election import (
    ApprovalBallot,
    ApprovalProfile,
    Cost_Sat,
    Instance,
    Project,
    parse_pabulib,
)
from pabutools.rules import method_of_equal_shares

from soclocal.budgeting import pabulib, rules, services
from soclocal.budgeting.models import Ballot, Bid, Choice, Process

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "pb"
INSTANCES = sorted(FIXTURES.glob("*.pb"))


def themes_of(election):
    return {p.project_id: p.fields.get("category", "") for p in election.projects}


@pytest.mark.parametrize("path", INSTANCES, ids=lambda p: p.stem)
def test_without_limits_it_is_exactly_pabutools_mes(path):
    election = pabulib.parse(path)
    instance, profile = election.to_pabutools()
    increment = rules.mes_increment(instance, profile)
    theirs = method_of_equal_shares(*parse_pabulib(str(path)), sat_class=Cost_Sat,
                                    voter_budget_increment=increment)
    ours, capped = rules.equal_shares_within_limits(instance, profile, {}, themes_of(election),
                                                    increment)
    # The same bids, chosen in the same order.
    assert ours == [p.name for p in theirs] and capped == {}


def test_a_limit_no_theme_reaches_changes_nothing():
    election = pabulib.parse(FIXTURES / "Switzerland_Zurich_D5.pb")
    instance, profile = election.to_pabutools()
    plain = rules.allocate(instance, profile, rules.MES)
    roomy = {theme: election.budget for theme in set(themes_of(election).values())}
    assert rules.apply_category_limits(instance, profile, rules.MES, roomy,
                                       themes_of(election)) == (plain, {})


@pytest.mark.parametrize("theme", ["Transportation", "Nature"])  # the themes MES funds
def test_with_a_limit_no_theme_exceeds_it_and_the_money_goes_elsewhere(theme):
    election = pabulib.parse(FIXTURES / "Switzerland_Zurich_D5.pb")
    instance, profile = election.to_pabutools()
    themes = themes_of(election)
    cost = {p.project_id: p.cost for p in election.projects}
    plain = rules.allocate(instance, profile, rules.MES)
    spent_plain = sum(cost[p] for p in plain if themes[p] == theme)
    limit = spent_plain // 2
    funded, capped = rules.apply_category_limits(instance, profile, rules.MES, {theme: limit},
                                                 themes)
    assert sum(cost[p] for p in funded if themes[p] == theme) <= limit
    assert sum(cost[p] for p in funded) <= election.budget
    assert capped and set(capped.values()) == {theme}
    assert not set(capped) & set(funded)
    # Bids of other themes take up money the capped theme could not use.
    others = [p for p in funded if themes[p] != theme]
    assert set(others) - set(plain)


approval_elections = st.integers(min_value=2, max_value=6).flatmap(lambda n: st.tuples(
    st.lists(st.integers(min_value=1, max_value=40), min_size=n, max_size=n),
    st.lists(st.sampled_from(["A", "B", ""]), min_size=n, max_size=n),
    st.lists(st.lists(st.integers(min_value=0, max_value=n - 1), min_size=1, max_size=n),
             min_size=1, max_size=8),
    st.integers(min_value=10, max_value=100),
    st.dictionaries(st.sampled_from(["A", "B"]), st.integers(min_value=0, max_value=60)),
))


@settings(max_examples=60, deadline=None)
@given(approval_elections)
def test_on_any_small_election_limits_and_budget_hold(election):
    costs, themes_list, votes, budget, limits = election
    projects = [Project(str(i), cost) for i, cost in enumerate(costs)]
    instance = Instance(projects, budget_limit=budget)
    profile = ApprovalProfile([ApprovalBallot({projects[i] for i in vote}) for vote in votes])
    themes = {str(i): theme for i, theme in enumerate(themes_list)}
    increment = rules.mes_increment(instance, profile)
    unlimited, none_capped = rules.equal_shares_within_limits(instance, profile, {}, themes,
                                                              increment)
    theirs = method_of_equal_shares(instance, profile, sat_class=Cost_Sat,
                                    voter_budget_increment=increment)
    assert unlimited == [p.name for p in theirs] and none_capped == {}
    funded, capped = rules.equal_shares_within_limits(instance, profile, limits, themes,
                                                      increment)
    assert sum(costs[int(p)] for p in funded) <= budget
    for theme, limit in limits.items():
        assert sum(costs[int(p)] for p in funded if themes[p] == theme) <= limit
    assert all(themes[p] in limits for p in capped)


def test_the_result_says_a_bid_was_skipped_because_its_theme_limit_was_reached(facilitator):
    process = Process.objects.create(name="Fund", slug="fund", budget=Decimal(1000),
                                     status=Process.Status.CLOSED, rule=rules.MES,
                                     themes="Youth\nParks",
                                     category_limits={"Youth": 600})
    bids = {}
    for ref, theme, cost in (("1", "Youth", 500), ("2", "Youth", 400), ("3", "Parks", 300)):
        bids[ref] = Bid.objects.create(process=process, reference=ref, title=f"Bid {ref}",
                                       theme=theme, cost=Decimal(cost),
                                       status=Bid.Status.ACCEPTED)
    # Everyone backs both youth bids; some back the park too.
    for n in range(10):
        ballot = Ballot.objects.create(process=process, voter_ref=f"v{n}")
        picks = ["1", "2"] + (["3"] if n < 4 else [])
        for i, ref in enumerate(picks):
            Choice.objects.create(ballot=ballot, bid=bids[ref], position=i)
    result = services.compute_result(facilitator, process)
    assert "1" in result.funded and "2" not in result.funded and "3" in result.funded
    assert result.reasons["2"] == "Not funded: the limit of 600 for Youth was reached"
    process.category_limits = {}
    process.save()
    unlimited = services.compute_result(facilitator, process)
    assert "2" in unlimited.funded  # the limit is what kept it out
