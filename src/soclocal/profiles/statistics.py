"""The few tests a profile reports, on scipy.special's distributions.

scipy.stats takes most of a second to import, longer than a whole profile takes to compute,
so a profile uses the distribution functions underneath it (scipy.special) with the same
formulas scipy.stats applies; tests/profiles/test_statistics.py checks each against
scipy.stats on the same inputs.
"""

import numpy as np


def binomial_half_p(k: int, n: int) -> float:
    """Two-sided exact p-value of k successes in n trials with p = 1/2 (scipy.stats.binomtest):
    the outcomes at most as likely as k are those at least as far from n/2."""
    from scipy.special import bdtr

    if n == 0 or 2 * k == n:
        return 1.0
    return float(min(1.0, 2 * bdtr(min(k, n - k), n, 0.5)))


def false_discovery_control(ps) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values (scipy.stats.false_discovery_control), in the
    order given and the type given."""
    ps = np.asarray(ps)
    if ps.size <= 1:
        return ps
    m = ps.shape[-1]
    order = np.argsort(ps)
    adjusted = ps[order] * (m / np.arange(1, m + 1, dtype=ps.dtype))
    np.minimum.accumulate(adjusted[::-1], out=adjusted[::-1])
    out = np.empty_like(adjusted)
    out[order] = adjusted
    return np.clip(out, 0, 1)


def pearson(x, y) -> tuple[float, float]:
    """Pearson's r and its two-sided p-value (scipy.stats.pearsonr)."""
    from scipy.special import betaincc

    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    xm, ym = x - x.mean(), y - y.mean()
    xmax, ymax = np.max(np.abs(xm)), np.max(np.abs(ym))
    normxm = xmax * np.linalg.norm(xm / xmax)
    normym = ymax * np.linalg.norm(ym / ymax)
    r = float(np.clip(np.vecdot(xm / normxm, ym / normym), -1.0, 1.0))
    ab = len(x) / 2 - 1
    return r, float(2 * betaincc(ab, ab, (abs(r) + 1) / 2))


def spearman(x, y) -> tuple[float, float]:
    """Spearman's rank correlation and its two-sided p-value from the t distribution
    (scipy.stats.spearmanr)."""
    from scipy.special import stdtr

    ranked = np.vstack([_ranks(x), _ranks(y)])
    rs = float(np.corrcoef(ranked)[1, 0])
    dof = len(ranked[0]) - 2
    # A perfect correlation divides by zero: t is infinite and p is 0, as scipy gives.
    with np.errstate(divide="ignore"):
        t = rs * np.sqrt(np.clip(np.float64(dof) / ((rs + 1.0) * (1.0 - rs)), 0, None))
    return rs, float(2 * stdtr(dof, -abs(t)))


def _ranks(values) -> np.ndarray:
    """Ranks from 1, ties given their mean rank (scipy.stats.rankdata's default)."""
    values = np.asarray(values, dtype=float)
    order = np.argsort(values, kind="mergesort")
    ordered = values[order]
    first = np.r_[True, ordered[1:] != ordered[:-1]]
    group = np.cumsum(first) - 1
    starts = np.flatnonzero(first)
    ends = np.r_[starts[1:], len(values)]
    mean_rank = (starts + 1 + ends) / 2.0
    ranks = np.empty(len(values))
    ranks[order] = mean_rank[group]
    return ranks
