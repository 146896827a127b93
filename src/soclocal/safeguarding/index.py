"""The vulnerability index (decision 0035).

For the chosen level (LSOA or data zone, ward, local authority) and period:

1. each area's figure for an indicator is its rate per 1,000: count / denominator x 1000 when
   the partner gave a denominator, else count / population x 1000, else the bare count. At
   ward and local authority level the LSOAs' counts, denominators and populations are summed
   first, then divided. A deprivation indicator's figure is the loaded deprivation score (or
   domain score), population-weighted mean of the LSOAs above LSOA level. The system's own
   counts (crime, open cases, intelligence reports: decision 0042) have no denominator.
2. each figure is standardised across the areas of that level with a figure for the
   indicator in the period: z = (x - mean) / standard deviation (population standard
   deviation, dividing by n); when every area has the same figure, z = 0.
3. an indicator's contribution to an area is weight x z; the index is the sum of the
   contributions divided by the sum of the weights of the indicators the area has figures
   for. 0 is the average area; higher is more vulnerable.

The change is this period's index minus the previous period's (the period before it among
those with uploaded figures): a change in the area's standing against the others.
"""

import math
from dataclasses import dataclass, field

LEVELS = {"small": "LSOA or data zone", "ward": "Ward", "lad": "Local authority"}


@dataclass
class Cell:
    count: int | None
    denominator: int | None
    value: float | None
    z: float | None = None
    contribution: float | None = None
    suppressed: bool = False


@dataclass
class Row:
    area_id: int
    code: str
    name: str
    cells: dict = field(default_factory=dict)  # indicator code -> Cell
    index: float | None = None
    rank: int | None = None
    previous: float | None = None
    suppressed: bool = False

    def ordered(self, codes):
        return [self.cells.get(c) for c in codes]

    @property
    def change(self):
        if self.index is None or self.previous is None:
            return None
        return self.index - self.previous


def rate(count, denominator, population):
    if denominator:
        return count / denominator * 1000
    if population:
        return count / population * 1000
    return float(count)


def standardise(values: dict) -> dict:
    """z-scores of {key: value} with the population standard deviation."""
    if not values:
        return {}
    n = len(values)
    mean = sum(values.values()) / n
    sd = math.sqrt(sum((v - mean) ** 2 for v in values.values()) / n)
    return {k: (v - mean) / sd if sd > 0 else 0.0 for k, v in values.items()}


def combine(rows: list[Row], weights: dict) -> None:
    """Standardise each indicator across `rows`, then give each row its index and rank."""
    for code, weight in weights.items():
        z = standardise({r.code: r.cells[code].value for r in rows
                         if code in r.cells and r.cells[code].value is not None})
        for r in rows:
            if r.code in z:
                r.cells[code].z = z[r.code]
                r.cells[code].contribution = weight * z[r.code]
    for r in rows:
        used = [c for c in weights if c in r.cells and r.cells[c].z is not None]
        total_weight = sum(abs(weights[c]) for c in used)
        r.index = (sum(r.cells[c].contribution for c in used) / total_weight
                   if total_weight else None)
    ranked = sorted((r for r in rows if r.index is not None), key=lambda r: -r.index)
    for i, r in enumerate(ranked, start=1):
        r.rank = i
    rows.sort(key=lambda r: (r.rank is None, r.rank or 0, r.name))
