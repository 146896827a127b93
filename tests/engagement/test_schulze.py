"""Schulze's method against published worked examples, and its defining properties."""

from hypothesis import given
from hypothesis import strategies as st

from soclocal.engagement.schulze import pairwise, ranking, strongest_paths, winners

# The 45-voter example from Schulze's method's Wikipedia article (and Schulze 2011).
WIKIPEDIA_45 = [
    (5, "ACBED"), (5, "ADECB"), (8, "BEDAC"), (3, "CABED"), (7, "CAEBD"), (2, "CBADE"),
    (7, "DCEBA"), (8, "EBADC"),
]


def test_wikipedia_45_voter_example():
    d = pairwise("ABCDE", WIKIPEDIA_45)
    # The article's tables of pairwise preferences d and strongest paths p, row by row.
    assert [[d[x][y] for y in "ABCDE" if y != x] for x in "ABCDE"] == [
        [20, 26, 30, 22], [25, 16, 33, 18], [19, 29, 17, 24], [15, 12, 28, 14],
        [23, 27, 21, 31]]
    p = strongest_paths("ABCDE", d)
    assert [[p[x][y] for y in "ABCDE" if y != x] for x in "ABCDE"] == [
        [28, 28, 30, 24], [25, 28, 33, 24], [25, 29, 29, 24], [25, 28, 28, 24],
        [25, 28, 28, 31]]
    assert ranking("ABCDE", WIKIPEDIA_45) == [["E"], ["A"], ["C"], ["B"], ["D"]]


def test_tennessee_capital_example():
    # Memphis 42%, Nashville 26%, Chattanooga 15%, Knoxville 17%: Nashville wins.
    ballots = [(42, ["M", "N", "C", "K"]), (26, ["N", "C", "K", "M"]),
               (15, ["C", "K", "N", "M"]), (17, ["K", "C", "N", "M"])]
    assert ranking("MNCK", ballots) == [["N"], ["C"], ["K"], ["M"]]


def test_ties_and_partial_ballots():
    assert winners("AB", [(1, ["A"]), (1, ["B"])]) == ["A", "B"]
    assert winners("ABC", [(3, [{"A", "B"}]), (1, ["C", "A"])]) == ["A"]


ballot_lists = st.lists(
    st.tuples(st.integers(1, 5), st.permutations("ABCD").map(list)), min_size=1, max_size=12)


@given(ballot_lists)
def test_a_condorcet_winner_always_wins(ballots):
    d = pairwise("ABCD", ballots)
    beats_all = [x for x in "ABCD" if all(d[x][y] > d[y][x] for y in "ABCD" if y != x)]
    if beats_all:
        assert winners("ABCD", ballots) == beats_all


@given(ballot_lists)
def test_the_ranking_covers_every_candidate_once(ballots):
    tiers = ranking("ABCD", ballots)
    assert sorted(c for tier in tiers for c in tier) == list("ABCD")
