"""Splink's Spark backend runs the same matching settings as DuckDB and finds the same pairs,
for finding duplicates (intelligence) and for linking two lists (evaluation)."""

import sys
from pathlib import Path

import pytest

from soclocal.core import engines
from soclocal.core.matching import find_pairs
from soclocal.evaluation import linkage
from tests.core.test_matching import PEOPLE
from tests.evaluation.synthetic import generate as generate_linkable
from tests.evaluation.test_linkage import _records

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from synthetic_people import generate  # noqa: E402

pytestmark = pytest.mark.spark


def _same(duck, spark):
    assert duck, "the test set has pairs to find"
    assert [(p.left, p.right) for p in spark] == [(p.left, p.right) for p in duck]
    assert [p.comparisons for p in spark] == [p.comparisons for p in duck]
    for s, d in zip(spark, duck, strict=True):
        assert s.probability == pytest.approx(d.probability, abs=1e-6)


def test_duplicates_are_the_same_pairs_on_spark_and_duckdb_and_the_setting_chooses_spark(
        settings):
    records, truth = generate(200, seed=5)
    records += PEOPLE
    duck = find_pairs("person", records, engine="duckdb")
    settings.ANALYTICS_ENGINE = "spark"
    context = engines.spark_session().sparkContext
    context.setJobGroup("matching-test", "jobs this test starts")
    try:
        spark = find_pairs("person", records)
    finally:
        context.setLocalProperty("spark.jobGroup.id", None)
    assert context.statusTracker().getJobIdsForGroup("matching-test")  # Spark ran it
    _same(duck, spark)
    assert {(p.left, p.right) for p in spark} & truth
    assert {("A1", "A2"), ("B1", "B2"), ("C1", "C2"), ("F1", "F2")} <= {
        (p.left, p.right) for p in spark}


def test_linking_two_lists_gives_the_same_pairs_on_spark_and_duckdb():
    data = generate_linkable(150, seed=11, noise=0.2)
    cohort, police = _records(data)
    records = [{"reference": f"{source}:{r['ref']}", "source": source, **{
        k: r[k] for k in ("forenames", "surname", "date_of_birth", "postcode")}}
        for source, rows in (("cohort", cohort), ("police", police)) for r in rows]
    threshold = linkage.REVIEW
    _same(find_pairs("person_link", records, threshold=threshold, engine="duckdb"),
          find_pairs("person_link", records, threshold=threshold, engine="spark"))

