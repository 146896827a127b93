"""Which bids are funded: the greedy rule and the Method of Equal Shares, computed by pabutools.

Greedy funds bids in order of support while they fit the budget. Support is the number of
approvals, the total points (cumulative and scoring ballots) or the Borda score (ranked
ballots: a ballot of k bids gives k-1 to its first, 0 to its last). pabutools' greedy rule
orders bids by satisfaction per unit of cost, so support is weighted by cost to make that
order the order of support.

Equal Shares gives each voter an equal share of the budget to spend on the bids they
support, with cost satisfaction; when that leaves money unspent, each voter's share is
raised step by step ("add1" completion) until one more step would overspend. The step is
a thousandth of the budget per voter (at least one unit of money), so a large budget does
not take thousands of rounds.
"""

from dataclasses import dataclass
from decimal import Decimal

from pabutools.election import Cost_Sat
from pabutools.election.ballot import AbstractCardinalBallot, AbstractOrdinalBallot
from pabutools.election.satisfaction import AdditiveSatisfaction
from pabutools.rules import greedy_utilitarian_welfare, method_of_equal_shares

GREEDY, MES = "greedy", "mes"
RULES = {GREEDY: "Greedy (most support first)", MES: "Method of Equal Shares"}


def support_of(ballot, project):
    """A ballot's support for one project: 1 approval, its points, or its Borda score."""
    if isinstance(ballot, AbstractOrdinalBallot):
        if project in ballot:
            return len(ballot) - ballot.position(project) - 1
        return 0
    if isinstance(ballot, AbstractCardinalBallot):
        return ballot.get(project, 0)
    return 1 if project in ballot else 0


def _support_times_cost(instance, profile, ballot, project, precomputed):
    return support_of(ballot, project) * project.cost


class SupportTimesCost(AdditiveSatisfaction):
    def __init__(self, instance, profile, ballot):
        super().__init__(instance, profile, ballot, _support_times_cost)


def mes_increment(instance, profile) -> int:
    voters = max(profile.num_ballots(), 1)
    return max(1, int(instance.budget_limit / voters / 1000))


def allocate(instance, profile, rule: str) -> list[str]:
    """The ids of the funded projects, in the order the rule chose them."""
    if rule == GREEDY:
        chosen = greedy_utilitarian_welfare(instance, profile, sat_class=SupportTimesCost)
    elif rule == MES:
        chosen = method_of_equal_shares(instance, profile, sat_class=Cost_Sat,
                                        voter_budget_increment=mes_increment(instance, profile))
    else:
        raise ValueError(f"unknown rule '{rule}': use {' or '.join(RULES)}")
    return [p.name for p in chosen]


def apply_category_limits(instance, profile, rule: str, limits: dict, category: dict) -> tuple:
    """The rule's choice kept within per-category spending limits.

    Greedy walks bids in its own order of support and skips any that would break the budget
    or its category's limit, so money a capped category cannot use goes to the next bid. For
    Equal Shares the rule's choice is kept in the order it was made, dropping bids over their
    category's limit. Returns (funded, {bid: the category whose limit stopped it})."""
    from fractions import Fraction

    limits = {k: Fraction(str(v)) for k, v in limits.items()}
    costs = {p.name: Fraction(str(p.cost)) for p in instance}
    if rule == GREEDY:
        scores = support(instance, profile)
        order = [pid for pid in sorted(costs, key=lambda pid: (-scores[pid], pid))
                 if scores[pid] > 0]
    else:
        order = allocate(instance, profile, rule)
    spent, by_category, funded, capped = Fraction(0), {}, [], {}
    budget = Fraction(str(instance.budget_limit))
    for pid in order:
        cat = category.get(pid, "")
        if spent + costs[pid] > budget:
            continue
        if cat in limits and by_category.get(cat, 0) + costs[pid] > limits[cat]:
            capped[pid] = cat
            continue
        funded.append(pid)
        spent += costs[pid]
        by_category[cat] = by_category.get(cat, 0) + costs[pid]
    return funded, capped


def support(instance, profile) -> dict[str, Decimal]:
    totals = {p.name: 0 for p in instance}
    for ballot in profile:
        for project in instance:
            totals[project.name] += support_of(ballot, project)
    return {k: Decimal(str(float(v))).normalize() if not isinstance(v, int) else Decimal(v)
            for k, v in totals.items()}


@dataclass
class Outcome:
    funded: list[str]
    total: Decimal
    budget: Decimal
    support: dict[str, Decimal]
    reasons: dict[str, str]


def explain(instance, profile, rule: str, funded: list[str]) -> Outcome:
    """Why each bid was or was not funded, in plain words."""
    costs = {p.name: Decimal(str(p.cost)) if not hasattr(p.cost, "numerator")
             else Decimal(int(p.cost.numerator)) / Decimal(int(p.cost.denominator))
             for p in instance}
    budget = Decimal(int(instance.budget_limit.numerator)) / Decimal(
        int(instance.budget_limit.denominator))
    scores = support(instance, profile)
    order = sorted(costs, key=lambda pid: (-scores[pid], pid))
    total = sum((costs[p] for p in funded), Decimal(0))
    left = budget - total
    reasons = {}
    for rank, pid in enumerate(order, start=1):
        if pid in funded:
            reasons[pid] = f"Funded: ranked {rank} of {len(order)} by support"
            if rule == MES:
                reasons[pid] += ", and its supporters' equal shares covered its cost"
        elif scores[pid] == 0:
            reasons[pid] = "Not funded: no one voted for it"
        elif costs[pid] > left:
            reasons[pid] = (f"Not funded: ranked {rank} of {len(order)} by support; its cost "
                            f"({costs[pid]:,}) is more than the money left ({left:,})")
        else:
            reasons[pid] = (f"Not funded: ranked {rank} of {len(order)} by support; its "
                            "supporters' equal shares did not cover its cost")
    return Outcome(funded, total, budget, scores, reasons)
