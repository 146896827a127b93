"""Spatial statistics for hotspots, in numpy: contiguity between small areas (cached by the
areas' content), Getis-Ord Gi* with conditional permutations, local Moran's quadrants.

They follow esda and libpysal step for step (the same vertex rule for Queen contiguity, the
same draws from the same seed, the same statistics), so the figures equal theirs;
tests/profiles/test_spatial.py compares them on real boundaries. Computed here because
importing esda and libpysal takes longer than a whole profile, and esda draws each
permutation in a Python loop.
"""

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

CACHE_VERSION = "1"


@dataclass
class Neighbours:
    """Who borders whom, for areas 0..n-1: area i's neighbours are
    indices[indptr[i]:indptr[i + 1]], in ascending order, never i itself."""

    indptr: np.ndarray
    indices: np.ndarray

    @property
    def n(self):
        return len(self.indptr) - 1

    def of(self, i):
        return self.indices[self.indptr[i]:self.indptr[i + 1]]

    @property
    def cardinalities(self):
        return np.diff(self.indptr)


def content_key(codes, geometries) -> str:
    """A hash of the areas' codes and boundaries, in order: the same areas with the same
    boundaries give the same key, whatever area they are profiled for."""
    digest = hashlib.sha256(CACHE_VERSION.encode())
    for code, geometry in zip(codes, geometries, strict=True):
        digest.update(code.encode())
        digest.update(b"\0")
        digest.update((geometry or "").encode())
        digest.update(b"\0")
    return digest.hexdigest()


def weights_for(codes, geometries, cache_dir: Path | None = None) -> Neighbours:
    """Queen contiguity between GeoJSON boundaries (text), computed once per set of areas
    and kept in `cache_dir` under a hash of their codes and boundaries."""
    path = None
    if cache_dir is not None:
        path = Path(cache_dir) / f"{content_key(codes, geometries)}.npz"
        if path.exists():
            try:
                with np.load(path) as saved:
                    return Neighbours(saved["indptr"], saved["indices"])
            except (OSError, ValueError, KeyError):
                pass  # a damaged file is computed again and replaced
    found = queen([json.loads(g) for g in geometries])
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.partial.npz")
        np.savez(partial, indptr=found.indptr, indices=found.indices)
        partial.replace(path)
    return found


def queen(geometries: list[dict]) -> Neighbours:
    """Areas sharing at least one boundary vertex are neighbours (libpysal's Queen rule);
    then, as where an area touches none, every area is also joined to the area whose
    centroid is nearest its own (libpysal's union with KNN, k = 1)."""
    at_vertex = defaultdict(set)
    for i, geometry in enumerate(geometries):
        for vertex in _vertices(geometry):
            at_vertex[vertex].add(i)
    sets = [set() for _ in geometries]
    for sharing in at_vertex.values():
        if len(sharing) > 1:
            for i in sharing:
                sets[i] |= sharing
    for i, s in enumerate(sets):
        s.discard(i)
    if any(not s for s in sets):
        for i, j in enumerate(_nearest(geometries)):
            sets[i].add(int(j))
    indptr = np.zeros(len(sets) + 1, dtype=np.int64)
    indptr[1:] = np.cumsum([len(s) for s in sets])
    indices = np.array([j for s in sets for j in sorted(s)], dtype=np.int64)
    return Neighbours(indptr, indices)


def _vertices(geometry):
    kind = geometry["type"]
    if kind == "Polygon":
        rings = geometry["coordinates"]
    elif kind == "MultiPolygon":
        rings = [ring for polygon in geometry["coordinates"] for ring in polygon]
    else:
        raise ValueError(f"A boundary must be a Polygon or MultiPolygon, not {kind}.")
    for ring in rings:
        for point in ring:
            yield (float(point[0]), float(point[1]))


def _nearest(geometries):
    """For each area, the other area whose centroid is nearest its own."""
    import shapely

    shapes = shapely.from_geojson([json.dumps(g) for g in geometries])
    points = shapely.get_coordinates(shapely.centroid(shapes))
    distances = ((points[:, None, :] - points[None, :, :]) ** 2).sum(axis=2)
    np.fill_diagonal(distances, np.inf)
    return distances.argmin(axis=1)


def draws(n: int, max_cardinality: int, permutations: int, seed: int,
          cache_dir: Path | None = None) -> np.ndarray:
    """(permutations, max_cardinality) ids drawn without replacement from the n - 1 other
    areas: the same draws, from the same seed, as esda's conditional randomisation. They
    depend only on these four numbers, so they are kept in `cache_dir` too."""
    path = None
    if cache_dir is not None:
        path = Path(cache_dir) / f"draws-{CACHE_VERSION}-{n}-{max_cardinality}-{permutations}-{seed}.npy"
        if path.exists():
            try:
                return np.load(path)
            except (OSError, ValueError):
                pass
    rng = np.random.RandomState(seed)
    out = np.empty((permutations, max_cardinality), dtype=np.int32)
    for k in range(permutations):
        out[k] = rng.permutation(n - 1)[:max_cardinality]
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.partial.npy")
        np.save(partial, out)
        partial.replace(path)
    return out


@dataclass
class GiStar:
    g: np.ndarray  # the statistic
    z_sim: np.ndarray  # standardised against its permutation distribution
    p_sim: np.ndarray  # pseudo p-value, the more extreme tail (esda's "directed")


def gi_star(y, neighbours: Neighbours, permutations: int, seed: int,
            chunk: int = 4_000_000, cache_dir: Path | None = None) -> GiStar:
    """Getis-Ord Gi* with row-standardised weights, each area counting itself as one of its
    neighbours, and conditional permutations: area i keeps its own value and its neighbours'
    values are drawn from the other areas. Every area with the same number of neighbours is
    computed in one array operation (in chunks of at most `chunk` values)."""
    y = np.asarray(y, dtype=float)
    n = len(y)
    total = y.sum()
    cards = neighbours.cardinalities
    observed = np.empty(n)
    for i in range(n):
        share = 1.0 / (cards[i] + 1)
        acc = 0.0
        for j in sorted([*neighbours.of(i).tolist(), i]):  # the order a sparse product adds
            acc += share * y[j]
        observed[i] = acc / total
    ids = draws(n, int(cards.max()), permutations, seed, cache_dir)
    simulated = np.empty((n, permutations))
    for k in np.unique(cards):
        rows = np.flatnonzero(cards == k)
        share = 1.0 / (k + 1)
        weights = np.full(k, share)
        drawn = ids[:, :k]
        step = max(1, chunk // max(1, permutations * k))
        for start in range(0, len(rows), step):
            these = rows[start:start + step]
            # Ids skip area i itself: an id at or past i is the area after it.
            others = drawn[None, :, :] + (drawn[None, :, :] >= these[:, None, None])
            simulated[these] = (y[others] @ weights + share * y[these][:, None]) / total
    larger = (simulated >= observed[:, None]).sum(axis=1)
    low = (permutations - larger) < larger
    larger[low] = permutations - larger[low]
    p_sim = ((larger + 1.0) / (permutations + 1.0)).astype(np.float32)
    z_sim = (observed - simulated.mean(axis=1)) / simulated.std(axis=1)
    return GiStar(observed, z_sim, p_sim)


def moran_quadrants(y, neighbours: Neighbours) -> np.ndarray:
    """Local Moran's scatterplot quadrant of each area (1 HH, 2 LH, 3 LL, 4 HL): its own
    standardised value against the mean of its neighbours' (row-standardised weights)."""
    y = np.asarray(y, dtype=float)
    z = y - y.mean()
    z /= y.std()
    lag = np.empty(len(y))
    cards = neighbours.cardinalities
    for i in range(len(y)):
        share = 1.0 / cards[i]
        acc = 0.0
        for j in neighbours.of(i).tolist():
            acc += share * z[j]
        lag[i] = acc
    high, high_lag = z > 0, lag > 0
    return np.where(high, np.where(high_lag, 1, 4), np.where(high_lag, 2, 3))
