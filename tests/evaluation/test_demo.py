"""The demo evaluation: a police extract for the demo's young people and comparators,
calibrated to the seed evaluation, and a report ready to open."""

import pytest

from soclocal.cases.demo import load_demo_cases
from soclocal.demo import load_people
from soclocal.evaluation.demo import load_demo_evaluation
from soclocal.evaluation.models import EvaluationRun, PoliceExtract

pytestmark = pytest.mark.django_db


def test_the_demo_evaluation_is_ready_and_calibrated_to_the_seed():
    load_people()
    load_demo_cases()
    run = load_demo_evaluation()
    assert isinstance(run, EvaluationRun) and EvaluationRun.objects.count() == 1
    doc = run.figures
    link = doc["linkage"]
    # About 77% of young people found in police data.
    assert 0.6 <= link["found_share"] <= 0.9
    assert doc["window_months"] == 6
    engaged = doc["groups"]["engaged"]
    comparison = doc["groups"]["comparison"]
    assert engaged["people"] >= 10 and comparison["people"] >= 10
    # Most of those found had several arrests and missing episodes before referral.
    assert engaged["measures"]["arrests"]["before_mean"] > 1
    assert comparison["measures"]["missing_episodes"]["before_mean"] > 1
    assert next(e for e in doc["estimates"] if e["measure"] == "arrests")["difference"]
    # Safe to run again: nothing more is made.
    assert load_demo_evaluation() is None
    assert PoliceExtract.objects.count() == 1
