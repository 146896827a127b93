"""The numpy hotspot statistics give esda's and libpysal's answers on real boundaries, and the
contiguity is kept by content."""

import json
import warnings

import numpy as np
import pytest
from shapely.geometry import shape

from soclocal.profiles import spatial
from soclocal.profiles.analytics import SEED, permutations_for, spatial_weights

NOTTINGHAM = "E06000018"


@pytest.fixture
def nottingham_rates(geography, crime_store):
    """Nottingham's small areas: codes, boundaries and log crime rates over real data."""
    from soclocal.areas.models import Area
    from soclocal.areas.selectors import lsoas_of
    from soclocal.profiles.analytics import compute_profile

    area = Area.objects.get(type="lad", code=NOTTINGHAM)
    profile = compute_profile(area, "2024-11", "2024-12")
    geometries = dict(lsoas_of(area).values_list("code", "geometry"))
    rows = [r for r in profile["lsoas"] if r["rate"] is not None and geometries.get(r["code"])]
    return ([r["code"] for r in rows], [geometries[r["code"]] for r in rows],
            np.log1p([r["rate"] for r in rows]))


def as_neighbours(w):
    return {i: sorted(w.neighbors[i]) for i in range(w.n)}


def test_contiguity_is_libpysals_queen(nottingham_rates):
    _codes, geometries, _y = nottingham_rates
    ours = spatial.queen([json.loads(g) for g in geometries])
    theirs = spatial_weights([shape(json.loads(g)) for g in geometries])
    assert {i: ours.of(i).tolist() for i in range(ours.n)} == as_neighbours(theirs)
    assert ours.n > 100


def test_an_area_touching_none_is_joined_to_its_nearest_as_libpysal_does():
    def square(x, y):
        return {"type": "Polygon", "coordinates": [[[x, y], [x + 1, y], [x + 1, y + 1],
                                                    [x, y + 1], [x, y]]]}
    # A 3 x 3 grid and one square standing apart, nearest the grid's top right corner.
    grid = [square(x, y) for y in range(3) for x in range(3)] + [square(5, 4)]
    ours = spatial.queen(grid)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # libpysal notes the island it joins
        theirs = spatial_weights([shape(g) for g in grid])
    assert theirs.islands == [] and ours.cardinalities.min() > 0
    assert {i: ours.of(i).tolist() for i in range(ours.n)} == as_neighbours(theirs)
    assert ours.of(9).tolist() == [8]


def test_gi_star_permutations_equal_esdas_on_the_same_seed(nottingham_rates):
    from esda import G_Local

    _codes, geometries, y = nottingham_rates
    permutations = permutations_for(len(y))
    ours = spatial.gi_star(y, spatial.queen([json.loads(g) for g in geometries]),
                           permutations, SEED)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = G_Local(y, spatial_weights([shape(json.loads(g)) for g in geometries]),
                         transform="R", star=True, permutations=permutations, seed=SEED,
                         n_jobs=1)
    assert ours.g == pytest.approx(theirs.Gs, rel=1e-12)
    assert ours.z_sim == pytest.approx(theirs.z_sim, rel=1e-9, abs=1e-9)
    # A draw that ties the observed value exactly can fall either side by rounding.
    assert ours.p_sim == pytest.approx(theirs.p_sim, abs=1.01 / (permutations + 1))
    assert (ours.p_sim < 0.01).sum() > 5


def test_small_chunks_give_the_same_statistics(nottingham_rates):
    _codes, geometries, y = nottingham_rates
    w = spatial.queen([json.loads(g) for g in geometries])
    whole = spatial.gi_star(y, w, 999, 7)
    pieces = spatial.gi_star(y, w, 999, 7, chunk=5000)
    assert np.array_equal(whole.p_sim, pieces.p_sim)
    assert whole.z_sim == pytest.approx(pieces.z_sim, rel=1e-12)


def test_moran_quadrants_are_esdas(nottingham_rates):
    from esda import Moran_Local

    _codes, geometries, y = nottingham_rates
    w = spatial_weights([shape(json.loads(g)) for g in geometries])
    w.transform = "r"
    theirs = Moran_Local(y, w, transformation="r", permutations=0)
    ours = spatial.moran_quadrants(y, spatial.queen([json.loads(g) for g in geometries]))
    assert ours.tolist() == [int(q) for q in theirs.q]
    assert set(ours.tolist()) == {1, 2, 3, 4}


def test_contiguity_and_draws_are_computed_once_and_kept_by_content(nottingham_rates,
                                                                    tmp_path):
    codes, geometries, _y = nottingham_rates
    first = spatial.weights_for(codes, geometries, tmp_path)
    kept = list(tmp_path.glob("*.npz"))
    assert len(kept) == 1 and kept[0].stem == spatial.content_key(codes, geometries)
    again = spatial.weights_for(codes, geometries, tmp_path)
    assert np.array_equal(first.indices, again.indices)
    # Another set of areas (one left out) is another entry; a changed boundary another.
    spatial.weights_for(codes[1:], geometries[1:], tmp_path)
    moved = json.loads(geometries[0])
    polygons = moved["coordinates"] if moved["type"] == "MultiPolygon" else [moved["coordinates"]]
    for polygon in polygons:
        for ring in polygon:
            for point in ring:
                point[0] += 1e-6
    spatial.weights_for(codes, [json.dumps(moved), *geometries[1:]], tmp_path)
    assert len(list(tmp_path.glob("*.npz"))) == 3
    # A damaged file is computed again.
    kept[0].write_bytes(b"damaged")
    assert np.array_equal(spatial.weights_for(codes, geometries, tmp_path).indices,
                          first.indices)
    draws = spatial.draws(len(codes), 12, 999, SEED, tmp_path)
    assert np.array_equal(spatial.draws(len(codes), 12, 999, SEED, tmp_path), draws)
    assert len(list(tmp_path.glob("draws-*.npy"))) == 1
