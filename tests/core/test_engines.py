"""The analytics engines' boundary: DuckDB's SQL in Spark's dialect, and pyspark left
unimported when DuckDB runs."""

import subprocess
import sys
from pathlib import Path

import pytest

from soclocal.core import engines


def test_parameters_grouping_and_functions_are_translated_for_spark():
    sql = ("SELECT GROUPING(a, b) AS g, GROUPING(a) AS one, bit_xor(hash(a, b)) AS c, "
           "list(a) AS l, CAST(x AS VARCHAR) AS v FROM t "
           "WHERE m BETWEEN $from AND $to AND list_contains($wanted, m)")
    assert engines.spark_sql(sql) == (
        "SELECT grouping_id(a, b) AS g, GROUPING(a) AS one, bit_xor(xxhash64(a, b)) AS c, "
        "collect_list(a) AS l, CAST(x AS STRING) AS v FROM t "
        "WHERE m BETWEEN :from AND :to AND array_contains(:wanted, m)")


def test_an_unknown_engine_is_named_in_the_error(tmp_path):
    with pytest.raises(ValueError, match="unknown analytics engine 'hive'"):
        engines.connect("hive", base=tmp_path)


def test_duckdb_engine_runs_statements_registers_tables_and_gives_arrow(tmp_path):
    import pyarrow as pa

    engine = engines.connect("duckdb", base=tmp_path)
    try:
        engine.register("codes", pa.table({"code": ["a", "b", "b"]}))
        engine.execute("CREATE OR REPLACE TEMP TABLE counted AS "
                       "SELECT code, count(*) AS n FROM codes WHERE code >= $least GROUP BY code",
                       {"least": "b"})
        assert engine.rows("SELECT code, n FROM counted") == [("b", 2)]
        assert engine.arrow("SELECT count(*) AS n FROM street").to_pylist() == [{"n": 0}]
    finally:
        engine.close()


def test_an_engine_opened_for_the_work_is_closed_after_it_and_a_given_one_is_left_open(
        tmp_path, settings):
    import duckdb

    settings.DATA_DIR = tmp_path
    with engines.given_or_own() as own:
        assert own.rows("SELECT 1") == [(1,)]
    with pytest.raises(duckdb.ConnectionException):
        own.rows("SELECT 1")
    given = engines.connect("duckdb", base=tmp_path)
    try:
        with engines.given_or_own(given) as used:
            assert used is given
        assert given.rows("SELECT 2") == [(2,)]
    finally:
        given.close()


def test_pyspark_is_not_imported_unless_the_spark_engine_is_used(tmp_path):
    code = ("import os, sys, pathlib, django; "
            "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'soclocal.config.settings'); "
            "django.setup(); from soclocal.core import engines; "
            f"e = engines.connect('duckdb', base=pathlib.Path({str(tmp_path)!r})); "
            "e.rows('SELECT count(*) FROM street'); e.close(); "
            "from soclocal.profiles import analytics; from soclocal.core import matching; "
            "print('pyspark' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, env={**__import__("os").environ,
                                           "SOCLOCAL_DATA_DIR": str(tmp_path)})
    assert done.stdout.strip().splitlines()[-1] == "False"


def test_spark_without_java_says_what_to_install(tmp_path):
    code = ("import os, pathlib, django; "
            "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'soclocal.config.settings'); "
            "django.setup(); from soclocal.core import engines\n"
            "try:\n"
            f"    engines.connect('spark', base=pathlib.Path({str(tmp_path)!r}))\n"
            "except engines.EngineUnavailable as e:\n"
            "    print(e)\n")
    env = {k: v for k, v in __import__("os").environ.items() if k != "JAVA_HOME"}
    env |= {"PATH": str(Path(sys.executable).parent), "SOCLOCAL_DATA_DIR": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, env=env)
    assert "needs Java 17 or later" in done.stdout
    assert "default-jre-headless" in done.stdout
