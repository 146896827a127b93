"""World Café seating: hosts stay, everyone is seated each round, few repeat meetings."""

from hypothesis import given
from hypothesis import strategies as st

from soclocal.engagement.seating import plan, repeat_meetings


def stay_put(people, tables, rounds):
    room = [people[t::tables] for t in range(tables)]
    return [room for _ in range(rounds)]


def test_hosts_stay_and_travellers_meet_new_people():
    people = [f"P{i}" for i in range(24)]
    hosts = people[:6]
    seating = plan(people, tables=6, rounds=3, hosts=hosts)
    for room in seating:
        assert [table[0] for table in room] == hosts
    # Everyone sitting still would meet the same people every round.
    assert repeat_meetings(stay_put(people, 6, 3)) == 2 * 6 * 6
    assert repeat_meetings(seating) <= 6


@given(st.integers(2, 40), st.integers(1, 8), st.integers(1, 4), st.integers(0, 3))
def test_everyone_sits_once_each_round_at_even_tables(n, tables, rounds, seed):
    people = list(range(n))
    seating = plan(people, tables, rounds, hosts=people[:min(tables, n // 2)], seed=seed)
    size = -(-n // tables)
    for room in seating:
        assert sorted(p for table in room for p in table) == people
        assert all(len(table) <= size for table in room)
