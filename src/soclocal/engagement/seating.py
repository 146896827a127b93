"""World Café seating: hosts stay at their tables, travellers move each round so that people
meet as many new people as they can.

Greedy: each round, travellers are seated one by one (the most-met first) at the open table
where they have met the fewest of the people already sitting there. It is not optimal, but it
is fast for a room of a hundred and does far better than staying put or a plain rotation.
"""

import random
from collections import defaultdict
from itertools import combinations


def plan(people: list, tables: int, rounds: int, hosts: list | None = None,
         seed: int = 0) -> list[list[list]]:
    """Seating for each round: rounds × tables × people. Hosts (one per table, optional) stay."""
    if tables < 1 or rounds < 1:
        raise ValueError("a World Café needs at least one table and one round")
    hosts = list(hosts or [])[:tables]
    travellers = [p for p in people if p not in hosts]
    size = -(-len(people) // tables)  # tables as even as they can be
    met = defaultdict(set)
    chooser = random.Random(seed)
    seating = []
    for _ in range(rounds):
        room = [[hosts[t]] if t < len(hosts) else [] for t in range(tables)]
        order = sorted(travellers, key=lambda p: (-len(met[p]), chooser.random()))
        for person in order:
            open_tables = [t for t in range(tables) if len(room[t]) < size]
            best = min(open_tables, key=lambda t: (sum(q in met[person] for q in room[t]),
                                                   len(room[t]), chooser.random()))
            room[best].append(person)
        for table in room:
            for a, b in combinations(table, 2):
                met[a].add(b)
                met[b].add(a)
        seating.append(room)
    return seating


def repeat_meetings(seating) -> int:
    """How many times two people share a table again after meeting before."""
    seen, repeats = set(), 0
    for room in seating:
        for table in room:
            for pair in combinations(sorted(map(str, table)), 2):
                if pair in seen:
                    repeats += 1
                seen.add(pair)
    return repeats
