"""The profile's analytics SQL gives the same figures on Spark as on DuckDB, over the same
store: every local authority of the fixture months, through the command line."""

import json

import pytest

from soclocal.areas.models import Area, AreaType
from soclocal.cli import main
from soclocal.core import engines
from soclocal.crime.imports import import_paths
from tests.profiles.conftest import fixture_csvs

pytestmark = [pytest.mark.django_db, pytest.mark.spark]


def _profile(lad, engine, tmp_path):
    out = tmp_path / f"{lad.code}-{engine}.json"
    assert main(["profile", lad.code, "--from", "2023-11", "--to", "2024-12",
                 "--format", "json", "--out", str(out), "--engine", engine]) == 0
    return json.loads(out.read_text())


def test_every_local_authority_has_the_same_counts_rates_and_harm_on_both_engines(
        settings, tmp_path, geography):
    settings.DATA_DIR = tmp_path
    import_paths([str(p) for p in fixture_csvs()])
    lads = list(Area.objects.filter(type=AreaType.LAD).order_by("code"))
    assert len(lads) == 8
    for lad in lads:
        duck, spark = _profile(lad, "duckdb", tmp_path), _profile(lad, "spark", tmp_path)
        assert duck["total"] > 0, lad.name
        for key in ("counts_by_crime_type", "total", "rates_per_1000", "rate_total", "harm",
                    "soc", "comparison", "lsoas", "repeat_locations", "outcomes",
                    "stop_search", "force_totals"):
            assert spark[key] == duck[key], (lad.name, key)
        assert spark["trend"]["monthly"] == duck["trend"]["monthly"], lad.name
        # The source's rows agree; its checksum is each engine's own hash.
        assert ([(s["force"], s["month"], s["rows"]) for s in spark["source"]]
                == [(s["force"], s["month"], s["rows"]) for s in duck["source"]])


def test_the_engine_setting_chooses_spark(settings, tmp_path, geography):
    settings.DATA_DIR = tmp_path
    settings.ANALYTICS_ENGINE = "spark"
    import_paths([str(fixture_csvs()[0])])
    engine = engines.connect()
    try:
        assert engine.name == "spark"
        held = engine.rows("SELECT count(*) FROM street WHERE month = $m", {"m": "2023-11"})
        assert held[0][0] > 0
        duck = engines.connect("duckdb")
        try:
            assert duck.rows("SELECT count(*) FROM street WHERE month = $m",
                             {"m": "2023-11"}) == held
        finally:
            duck.close()
    finally:
        engine.close()


def test_an_empty_store_reads_as_empty_views_on_spark(tmp_path):
    engine = engines.connect("spark", base=tmp_path)
    try:
        for kind in ("street", "outcomes", "stop_search"):
            assert engine.rows(f"SELECT count(*) FROM {kind}") == [(0,)]
    finally:
        engine.close()

