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

from .models import GREEDY, MES, RULES  # noqa: F401  (the rule names live with the process)


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


def allocate(instance, profile, rule: str, increment=None) -> list[str]:
    """The ids of the funded projects, in the order the rule chose them. For Equal Shares,
    `increment` is the money added to each voter's share per completion step (None: the
    default step; 0: no completion)."""
    if rule == GREEDY:
        chosen = greedy_utilitarian_welfare(instance, profile, sat_class=SupportTimesCost)
    elif rule == MES:
        if increment is None:
            increment = mes_increment(instance, profile)
        chosen = method_of_equal_shares(instance, profile, sat_class=Cost_Sat,
                                        voter_budget_increment=increment or None)
    else:
        raise ValueError(f"unknown rule '{rule}': use {' or '.join(RULES)}")
    return [p.name for p in chosen]


def apply_category_limits(instance, profile, rule: str, limits: dict, category: dict) -> tuple:
    """The rule's choice kept within per-category (theme) spending limits, inside the rule.

    Greedy walks bids in its own order of support and skips any that would break the budget
    or its category's limit, so money a capped category cannot use goes to the next bid.
    Equal Shares skips a bid at the moment it would be chosen if its category's limit would
    be exceeded (see `equal_shares_within_limits`). Returns (funded, {bid: the category whose
    limit stopped it})."""
    if rule == MES:
        return equal_shares_within_limits(instance, profile, limits, category,
                                          mes_increment(instance, profile))
    if rule != GREEDY:
        raise ValueError(f"unknown rule '{rule}': use {' or '.join(RULES)}")
    from fractions import Fraction

    limits = {k: Fraction(str(v)) for k, v in limits.items()}
    costs = {p.name: Fraction(str(p.cost)) for p in instance}
    scores = support(instance, profile)
    order = [pid for pid in sorted(costs, key=lambda pid: (-scores[pid], pid))
             if scores[pid] > 0]
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


def equal_shares_within_limits(instance, profile, limits: dict, category: dict,
                               increment=None) -> tuple[list[str], dict[str, str]]:
    """The Method of Equal Shares with spending limits per category, applied inside the rule.

    pabutools (1.2) has no category or multi-budget constraints in its rules, so this follows
    pabutools' own MES step for step (cost satisfaction, its voter and project bookkeeping,
    lexicographic tie-breaking, and the same "add1" completion) with one change: when the bid
    MES would choose next would take its category over its limit, it is set aside for good
    (spending in a category only grows) and the voters keep their money for the next choice.
    The completion stops when no bid left fits both the budget and its category's limit.
    Without limits the outcome is exactly pabutools' MES; the tests check that."""
    from pabutools.election import AbstractApprovalProfile
    from pabutools.fractions import frac, str_as_frac
    from pabutools.rules.mes.mes_rule import MESProject, MESVoter

    if profile.num_ballots() == 0:
        return [], {}
    limits = {theme: str_as_frac(str(value)) for theme, value in limits.items()}
    sat_profile = profile.as_sat_profile(sat_class=Cost_Sat)
    binary = isinstance(profile, AbstractApprovalProfile)
    per_voter = frac(instance.budget_limit, profile.num_ballots())
    voters = [MESVoter(i, sat.ballot, sat, per_voter, sat_profile.multiplicity(sat))
              for i, sat in enumerate(sat_profile)]
    projects, free = set(), []
    for p in instance:
        mes_p, total_sat = MESProject(p), 0
        for i, voter in enumerate(voters):
            sat = voter.sat.sat_project(p)
            if sat > 0:
                total_sat += voter.total_sat_project(p)
                mes_p.supporter_indices.append(i)
                if binary:
                    mes_p.unique_sat_supporter = sat
                else:
                    mes_p.sat_supporter_map[voter] = sat
        if total_sat > 0:
            if p.cost > 0:
                mes_p.total_sat = total_sat
                mes_p.initial_affordability = mes_p.affordability = frac(p.cost, total_sat)
                projects.add(mes_p)
            else:
                free.append(p)  # supported and free: always funded, as in pabutools

    previous = ([p.name for p in free], {})
    while True:
        chosen, capped = _equal_shares_round(instance, profile, voters, set(projects), free,
                                             limits, category)
        names = [p.name for p in chosen]
        if increment is None:
            return names, capped
        if not instance.is_feasible(chosen):
            return previous
        if _exhaustive(instance, chosen, projects, limits, category):
            return names, capped
        per_voter += increment
        previous = (names, capped)
        for voter in voters:
            voter.budget = per_voter
        for p in projects:
            p.affordability = p.initial_affordability


def _equal_shares_round(instance, profile, voters, projects, free, limits, category):
    """One run of MES at the voters' current budgets (pabutools' `mes_inner_algo`, resolute)."""
    from pabutools.fractions import frac
    from pabutools.tiebreaking import lexico_tie_breaking

    chosen, capped, spent = list(free), {}, {}
    while True:
        best, tied = float("inf"), []
        for project in sorted(projects, key=lambda p: p.affordability):
            if sum(voters[i].total_budget() for i in project.supporter_indices) < project.cost:
                projects.remove(project)  # its supporters can no longer afford it
                continue
            if project.affordability > best:
                break  # affordability only grows, so no later project can do better
            project.supporter_indices.sort(
                key=lambda i: voters[i].budget_over_sat_project(project))  # noqa: B023
            paid, denominator = 0, project.total_sat
            for i in project.supporter_indices:
                supporter = voters[i]
                factor = frac(project.cost - paid, denominator)
                if factor * project.supporters_sat(supporter) <= supporter.budget:
                    project.affordability = factor
                    if factor < best:
                        best, tied = factor, [project]
                    elif factor == best:
                        tied.append(project)
                    break
                paid += supporter.total_budget()
                denominator -= supporter.multiplicity * project.supporters_sat(supporter)
        if not tied:
            return chosen, capped
        if len(tied) > 1:
            tied = lexico_tie_breaking.order(instance, profile, tied)
        selected = tied[0]
        projects.remove(selected)
        theme = category.get(selected.name, "")
        if theme in limits and spent.get(theme, 0) + selected.cost > limits[theme]:
            # The theme's limit is reached: skip it here, and nobody pays for it.
            capped[selected.name] = theme
            continue
        chosen.append(selected.project)
        spent[theme] = spent.get(theme, 0) + selected.cost
        for i in selected.supporter_indices:
            supporter = voters[i]
            supporter.budget -= min(supporter.budget,
                                    best * selected.supporters_sat(supporter))


def _exhaustive(instance, chosen, available, limits, category) -> bool:
    """True if no bid left fits both the money left and its category's limit."""
    names = {p.name for p in chosen}
    total = sum(p.cost for p in chosen)
    spent = {}
    for p in chosen:
        theme = category.get(p.name, "")
        spent[theme] = spent.get(theme, 0) + p.cost
    for p in available:
        if p.name in names or total + p.cost > instance.budget_limit:
            continue
        theme = category.get(p.name, "")
        if theme not in limits or spent.get(theme, 0) + p.cost <= limits[theme]:
            return False
    return True


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
