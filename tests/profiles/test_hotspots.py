"""Hotspots on real police.uk data: the city centre stands out, shuffled values do not."""

import json
import warnings

import numpy as np
import pytest

from soclocal.profiles.analytics import (
    SEED,
    compute_profile,
    find_hotspots,
    permutations_for,
    spatial_weights,
)

NOTTINGHAM = "E06000018"
# Nottingham 039G and 039B: the city centre (the Market Square, Victoria Centre and the Lace
# Market), where police.uk records by far the most crime per resident in the county.
CITY_CENTRE = {"E01035506", "E01033400"}


@pytest.fixture
def nottingham_year(geography, crime_store):
    from soclocal.areas.models import Area

    area = Area.objects.get(type="lad", code=NOTTINGHAM)
    return area, compute_profile(area, "2023-11", "2024-12")


def geometries_of(area):
    from soclocal.areas.selectors import lsoas_of

    return dict(lsoas_of(area).values_list("code", "geometry"))


def test_the_city_centre_is_a_hotspot(nottingham_year):
    _area, profile = nottingham_year
    hotspots = profile["hotspots"]
    assert hotspots["available"]
    assert CITY_CENTRE <= set(hotspots["hot"])
    by_code = {r["code"]: r for r in profile["lsoas"]}
    for code in hotspots["hot"]:
        assert by_code[code]["gi_z"] > 0 and by_code[code]["gi_q"] < 0.05
    # Local Moran agrees that the centre is a cluster of high rates.
    assert CITY_CENTRE & set(hotspots["clusters"].get("HH", []))


def test_the_same_rates_shuffled_across_the_map_give_no_hotspots(nottingham_year):
    area, profile = nottingham_year
    geometries = geometries_of(area)
    real = [dict(r) for r in profile["lsoas"] if r["rate"] is not None]
    rng = np.random.default_rng(SEED)
    flagged = []
    for _ in range(10):
        rates = rng.permutation([r["rate"] for r in real])
        shuffled = [{"code": r["code"], "rate": float(x)} for r, x in zip(real, rates, strict=True)]
        found = find_hotspots(shuffled, geometries)
        assert found["available"]
        flagged.append(len(found["hot"]) + len(found["cold"]))
    # With a 5% false discovery rate a spatially random map is flagged at all about one time
    # in twenty; the real map flags several areas.
    assert sum(1 for n in flagged if n) <= 2
    assert sum(flagged) < len(profile["hotspots"]["hot"])


def test_gi_star_matches_a_direct_esda_call(nottingham_year):
    from esda import G_Local
    from scipy import stats
    from shapely.geometry import shape

    area, profile = nottingham_year
    geometries = geometries_of(area)
    rows = [r for r in profile["lsoas"] if r["rate"] is not None and geometries.get(r["code"])]
    w = spatial_weights([shape(json.loads(geometries[r["code"]])) for r in rows])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        direct = G_Local(np.log1p([r["rate"] for r in rows]), w, transform="R", star=True,
                         permutations=permutations_for(len(rows)), seed=SEED, n_jobs=1)
    assert [r["gi_z"] for r in rows] == pytest.approx(list(direct.z_sim), abs=1e-3)
    q = stats.false_discovery_control(np.minimum(1, 2 * direct.p_sim))
    assert [r["gi_q"] for r in rows] == pytest.approx(list(q), abs=1e-4)
    assert profile["hotspots"]["permutations"] == permutations_for(len(rows))


@pytest.mark.parametrize("n", [8, 50, 179, 700])
def test_enough_permutations_for_one_area_to_pass_the_correction(n):
    p = permutations_for(n)
    assert 2 / (p + 1) <= 0.05 / n
    assert p >= 999


def test_local_moran_permutations_would_give_gi_stars_p_values(nottingham_year):
    """Why one permutation test serves both: with every neighbour weighted alike and the
    area's own value fixed, both statistics move only with the drawn neighbours' sum."""
    from esda import G_Local, Moran_Local
    from shapely.geometry import shape

    area, profile = nottingham_year
    geometries = geometries_of(area)
    rows = [r for r in profile["lsoas"] if r["rate"] is not None and geometries.get(r["code"])]
    y = np.log1p([r["rate"] for r in rows])
    w = spatial_weights([shape(json.loads(geometries[r["code"]])) for r in rows])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        gi = G_Local(y, w, transform="R", star=True, permutations=999, seed=3, n_jobs=1)
    w.transform = "r"
    moran = Moran_Local(y, w, transformation="r", permutations=999, seed=3, n_jobs=1)
    # Equal up to one draw in a thousand: rounding can break a tie on the other side.
    assert list(moran.p_sim) == pytest.approx(list(gi.p_sim), abs=1.01 / 1000)
