"""Schulze's method for a community group choosing its priorities by ranked vote.

Each ballot ranks some or all candidates (ties allowed, unranked candidates share the lowest
place). d[x][y] counts voters preferring x to y; the strength of the strongest path from x to y
is the widest path in that graph; x beats y when p[x][y] > p[y][x]. The winners are those no one
beats, and the full order repeats that with the winners taken out.
"""

from collections.abc import Hashable, Iterable, Sequence

Ballot = Sequence[Iterable[Hashable] | Hashable]  # best first; a set in a slot is a tie


def _levels(ballot: Ballot, candidates) -> dict:
    """Each candidate's place on a ballot: 0 is best; unranked ones share the last place."""
    place = {}
    for i, slot in enumerate(ballot):
        group = slot if isinstance(slot, (set, frozenset, list, tuple)) else [slot]
        for c in group:
            if c not in candidates:
                raise ValueError(f"the ballot ranks {c!r}, which is not a candidate")
            if c in place:
                raise ValueError(f"the ballot ranks {c!r} twice")
            place[c] = i
    last = len(ballot)
    return {c: place.get(c, last) for c in candidates}


def pairwise(candidates: Sequence, ballots: Iterable[tuple[int, Ballot]]) -> dict:
    """d[x][y]: how many voters prefer x to y. Ballots come as (count, ballot)."""
    d = {x: {y: 0 for y in candidates if y != x} for x in candidates}
    for count, ballot in ballots:
        place = _levels(ballot, set(candidates))
        for x in candidates:
            for y in candidates:
                if x != y and place[x] < place[y]:
                    d[x][y] += count
    return d


def strongest_paths(candidates: Sequence, d: dict) -> dict:
    p = {x: {y: (d[x][y] if d[x][y] > d[y][x] else 0) for y in candidates if y != x}
         for x in candidates}
    for i in candidates:
        for j in candidates:
            if i == j:
                continue
            for k in candidates:
                if k in (i, j):
                    continue
                p[j][k] = max(p[j][k], min(p[j][i], p[i][k]))
    return p


def ranking(candidates: Sequence, ballots: Iterable[tuple[int, Ballot]]) -> list[list]:
    """The Schulze order: a list of tiers, best first; a tier of several is a tie."""
    candidates = list(candidates)
    p = strongest_paths(candidates, pairwise(candidates, list(ballots)))
    left, order = list(candidates), []
    while left:
        tier = [x for x in left if all(p[x][y] >= p[y][x] for y in left if y != x)]
        order.append(tier)
        left = [x for x in left if x not in tier]
    return order


def winners(candidates: Sequence, ballots: Iterable[tuple[int, Ballot]]) -> list:
    return ranking(candidates, ballots)[0]
