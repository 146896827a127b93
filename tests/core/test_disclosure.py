"""Small-count suppression: nothing hidden can be worked out from what is published."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from soclocal.core.disclosure import MARK, PRIMARY, Frame, suppress, suppress_series

counts = st.integers(min_value=0, max_value=40)
tables = st.integers(1, 5).flatmap(
    lambda cols: st.lists(st.lists(counts, min_size=cols, max_size=cols), min_size=1, max_size=6))


def _recoverable(table, published):
    """Hidden cells an attacker can solve for exactly: unknowns x (hidden cells and totals),
    the equations 'row sums to its total' and 'column sums to its total'; x_k is pinned down
    when adding the row e_k does not raise the rank of the equations' unknown part."""
    n_rows, n_cols = len(table), len(table[0])
    entries = {("cell", i, j) for i in range(n_rows) for j in range(n_cols)}
    entries |= {("row", i) for i in range(n_rows)} | {("col", j) for j in range(n_cols)}
    entries |= {("grand",)}
    unknown = sorted(e for e in entries if published[e] is None)
    if not unknown:
        return []
    at = {e: n for n, e in enumerate(unknown)}
    equations = []
    for i in range(n_rows):
        equations.append({**{("cell", i, j): 1 for j in range(n_cols)}, ("row", i): -1})
    for j in range(n_cols):
        equations.append({**{("cell", i, j): 1 for i in range(n_rows)}, ("col", j): -1})
    equations.append({**{("row", i): 1 for i in range(n_rows)}, ("grand",): -1})
    equations.append({**{("col", j): 1 for j in range(n_cols)}, ("grand",): -1})
    a = np.array([[eq.get(e, 0) for e in unknown] for eq in equations], dtype=float)
    base = np.linalg.matrix_rank(a) if a.size else 0
    pinned = []
    for e in unknown:
        unit = np.zeros(len(unknown))
        unit[at[e]] = 1
        if np.linalg.matrix_rank(np.vstack([a, unit])) == base:
            pinned.append(e)
    return pinned


def _published(result, table):
    out = {}
    for i, row in enumerate(result.cells):
        for j, cell in enumerate(row):
            out[("cell", i, j)] = cell.value
    for i, cell in enumerate(result.row_totals):
        out[("row", i)] = cell.value
    for j, cell in enumerate(result.column_totals):
        out[("col", j)] = cell.value
    out[("grand",)] = result.grand_total.value
    return out


@settings(max_examples=150, deadline=None)
@given(tables)
def test_no_hidden_count_can_be_worked_out_from_the_published_figures(table):
    result = suppress(table)
    published = _published(result, table)
    assert _recoverable(table, published) == []


@settings(max_examples=150, deadline=None)
@given(tables)
def test_every_published_count_is_zero_or_at_least_five_and_true(table):
    result = suppress(table)
    for i, row in enumerate(result.cells):
        for j, cell in enumerate(row):
            if cell.value is not None:
                assert cell.value == table[i][j]
                assert cell.value == 0 or cell.value >= 5
            elif 0 < table[i][j] < 5:
                assert cell.suppressed == PRIMARY
    for i, total in enumerate(result.row_totals):
        assert total.value in (None, sum(table[i]))


def test_a_single_small_count_takes_the_next_smallest_with_it():
    cells, total = suppress_series({"Robbery": 3, "Drugs": 0, "Burglary": 12, "Shoplifting": 40})
    assert cells["Robbery"].shown == MARK
    assert cells["Burglary"].shown == MARK and cells["Burglary"].suppressed == "secondary"
    assert cells["Drugs"].shown == 0 and cells["Shoplifting"].shown == 40
    assert total.shown == 55


def test_nothing_small_means_nothing_hidden():
    cells, total = suppress_series({"a": 5, "b": 0, "c": 9})
    assert [c.shown for c in cells.values()] == [5, 0, 9] and total.shown == 14


def test_a_weighted_total_is_a_constraint_too():
    # Counts 3 and 8 with a published count total and a harm total weighted 10 and 1:
    # hiding both counts is not enough (two equations, two unknowns), so more must go.
    frame = Frame()
    frame.add("a", 3)
    frame.add("b", 8)
    frame.add("c", 20)
    frame.add("n", 31)
    frame.add("harm", 3 * 10 + 8 + 20 * 2, count=False)
    frame.total("n", ["a", "b", "c"])
    frame.total("harm", ["a", "b", "c"], weights={"a": 10, "b": 1, "c": 2})
    out = frame.suppress()
    hidden = [k for k, v in out.items() if v.suppressed]
    assert "a" in hidden and len(hidden) >= 3
