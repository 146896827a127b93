"""Disclosure control: small counts in aggregates that leave the analyst's screen.

One mechanism for every shared aggregate. Figures are entries in a `Frame`; totals are tied
to their parts by linear constraints (a total equals the sum of its parts; a harm score
equals the weighted sum of counts). Suppression then runs in two steps:

1. primary: a count from 1 to `threshold - 1` is hidden (zero is published: it says
   nothing about a person);
2. secondary: while any hidden figure could be worked out exactly from the published
   figures and the constraints, the smallest published figure that shares a constraint with
   it is hidden too.

"Worked out exactly" is tested with linear algebra: a hidden figure is determined when it
does not move in any solution of the constraints with the published figures fixed, that is
when its component is zero in every vector of the null space of the constraints restricted
to the hidden figures. So no combination of published totals and parts recovers a hidden
figure, across every table the figures take part in, when they share one frame.
"""

from dataclasses import dataclass, field

THRESHOLD = 5
PRIMARY, SECONDARY = "primary", "secondary"
MARK = "[c]"  # how a hidden figure is printed: "confidential", as official statistics do


@dataclass(frozen=True)
class Published:
    """A figure as published: its value, or None with the reason it is hidden."""

    value: float | None
    suppressed: str | None = None  # PRIMARY, SECONDARY or None

    @property
    def shown(self):
        return MARK if self.suppressed else self.value


@dataclass
class Frame:
    """Figures and the constraints between them, suppressed together."""

    threshold: int = THRESHOLD
    values: dict = field(default_factory=dict)
    counts: set = field(default_factory=set)
    constraints: list = field(default_factory=list)  # [{key: coefficient}], each sums to 0

    def add(self, key, value, *, count=True):
        """A figure; `count=False` for one that is not a count of people or events (a harm
        score), which is never hidden for being small but may be hidden to protect others."""
        self.values[key] = value
        if count:
            self.counts.add(key)
        return key

    def total(self, total_key, parts, *, weights=None):
        """Say that `total_key` equals the (weighted) sum of `parts`."""
        row = {key: float(weights[key] if weights else 1.0) for key in parts}
        row[total_key] = row.get(total_key, 0.0) - 1.0
        self.constraints.append(row)

    def suppress(self) -> dict:
        hidden = {k: PRIMARY for k in self.counts
                  if self.values[k] is not None and 0 < self.values[k] < self.threshold}
        import numpy as np  # imported here: every command imports this module at start

        keys = list(self.values)
        index = {k: i for i, k in enumerate(keys)}
        matrix = np.zeros((len(self.constraints), len(keys)))
        for r, row in enumerate(self.constraints):
            for key, coefficient in row.items():
                matrix[r, index[key]] += coefficient
        while True:
            exposed = self._determined(hidden, matrix, index)
            if not exposed:
                break
            partner = self._partner(exposed, hidden, matrix, index, keys)
            if partner is None:
                break
            hidden[partner] = SECONDARY
        return {k: Published(None if k in hidden else v, hidden.get(k))
                for k, v in self.values.items()}

    def _determined(self, hidden, matrix, index):
        """The hidden figures the published ones pin down."""
        import numpy as np

        if not hidden:
            return []
        order = sorted(hidden, key=lambda k: index[k])
        columns = [index[k] for k in order]
        sub = matrix[:, columns]
        sub = sub[np.any(sub != 0, axis=1)]
        if sub.shape[0] == 0:
            return []
        from scipy.linalg import null_space  # scipy is slow to import; only needed here

        basis = null_space(sub)
        free = np.any(np.abs(basis) > 1e-9, axis=1) if basis.size else np.zeros(len(order), bool)
        return [k for k, moves in zip(order, free, strict=False) if not moves]

    def _partner(self, exposed, hidden, matrix, index, keys):
        """The published figure to hide next: one in the most constraints that hide a single
        figure (the plain leaks), then counts before totals, non-zero before zero, smallest."""
        import numpy as np

        def hidden_in(r):
            return [keys[c] for c in np.nonzero(matrix[r])[0] if keys[c] in hidden]

        rows = {r for key in exposed for r in np.nonzero(matrix[:, index[key]])[0]}
        if not any(keys[c] not in hidden for r in rows for c in np.nonzero(matrix[r])[0]):
            # Pinned down through a chain: widen to every constraint with a hidden figure.
            rows = {r for r in range(matrix.shape[0]) if hidden_in(r)}
        score = {}
        for r in rows:
            leak = len(hidden_in(r)) == 1
            for c in np.nonzero(matrix[r])[0]:
                if keys[c] not in hidden:
                    score[keys[c]] = score.get(keys[c], 0) + leak
        if not score:
            return None
        is_total = {keys[c] for row in matrix for c in np.nonzero(row < 0)[0]}
        return min(score, key=lambda k: (-score[k], self.values[k] in (0, None), k in is_total,
                                         self.values[k] or 0, str(k)))


@dataclass
class Table:
    """A suppressed table with row, column and grand totals."""

    cells: list
    row_totals: list
    column_totals: list
    grand_total: Published


def suppress(cells, *, threshold=THRESHOLD, row_totals=True, column_totals=True) -> Table:
    """Suppress a table of counts (a list of rows) published with its totals."""
    frame = Frame(threshold=threshold)
    n_rows, n_cols = len(cells), len(cells[0]) if cells else 0
    for i in range(n_rows):
        for j in range(n_cols):
            frame.add(("cell", i, j), cells[i][j])
    rows = [frame.add(("row", i), sum(cells[i])) for i in range(n_rows)] if row_totals else []
    cols = ([frame.add(("col", j), sum(r[j] for r in cells)) for j in range(n_cols)]
            if column_totals else [])
    grand = frame.add(("grand",), sum(map(sum, cells))) if (row_totals or column_totals) else None
    for i in range(n_rows if row_totals else 0):
        frame.total(("row", i), [("cell", i, j) for j in range(n_cols)])
    for j in range(n_cols if column_totals else 0):
        frame.total(("col", j), [("cell", i, j) for i in range(n_rows)])
    if grand is not None:
        frame.total(grand, rows or cols)
        if rows and cols:
            frame.total(grand, cols)
    out = frame.suppress()
    return Table(
        cells=[[out[("cell", i, j)] for j in range(n_cols)] for i in range(n_rows)],
        row_totals=[out[k] for k in rows], column_totals=[out[k] for k in cols],
        grand_total=out[grand] if grand is not None else None,
    )


def suppress_series(values: dict, *, threshold=THRESHOLD) -> tuple[dict, Published]:
    """Suppress a list of counts published with their total: ({name: Published}, total)."""
    names = list(values)
    table = suppress([[values[n]] for n in names], threshold=threshold, row_totals=False)
    return ({n: table.cells[i][0] for i, n in enumerate(names)},
            table.column_totals[0] if names else Published(0))
