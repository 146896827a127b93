"""Properties of the services behind the evaluation's run and review forms, for anything the
forms or a caller can send: each call saves what it was given or refuses with a message
beside the form's box, changing and auditing nothing."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from soclocal.evaluation import forms, services
from soclocal.evaluation.models import EvaluationRun, Link
from tests.properties import PROPERTY, typed_number, written

pytestmark = pytest.mark.django_db


def keyed_to(refusal, form):
    keys = set(refusal.message_dict) if hasattr(refusal, "error_dict") else {None}
    assert keys <= set(form.fields) | {"__all__", None}, keys
    assert refusal.messages and all(m.strip() for m in refusal.messages)


@pytest.fixture
def linked(cohort_world):
    analyst = cohort_world["analyst"]
    services.import_police(analyst, cohort_world["people"], cohort_world["events"])
    services.link_cohort(analyst)
    return cohort_world


COMPARISON = st.sampled_from([*EvaluationRun.Comparison.values, "", "not-a-choice", None,
                              ["both"]])
WINDOW = st.one_of(typed_number(1, 60), st.sampled_from([None, 0, 1, 60, 61, 12.5, "12"]))


@PROPERTY
@given(comparison=COMPARISON, window=WINDOW)
def test_an_evaluation_runs_as_asked_or_is_refused_beside_the_box(linked, comparison, window):
    before = written(EvaluationRun)
    try:
        run = services.run_evaluation(linked["analyst"], comparison=comparison,
                                      window_months=window)
    except ValidationError as refusal:
        keyed_to(refusal, forms.RunForm())
        assert written(EvaluationRun) == before
        return
    run = EvaluationRun.objects.get(pk=run.pk)
    assert run.comparison == comparison
    assert str(run.window_months) == str(window).strip() and 1 <= run.window_months <= 60


@PROPERTY
@given(decision=st.sampled_from(["confirm", "reject", "", "Confirm", "not-a-choice", None,
                                 ["confirm"], 1]))
def test_a_link_is_confirmed_or_rejected_as_asked_or_refused_beside_the_box(linked, decision):
    link = Link.objects.order_by("pk").first()
    before = (link.status, written(Link))
    try:
        services.review_link(linked["analyst"], link, decision)
    except ValidationError as refusal:
        keyed_to(refusal, forms.ReviewForm())
        link.refresh_from_db()
        assert (link.status, written(Link)) == before
        return
    link.refresh_from_db()
    assert link.status == {"confirm": Link.Status.CONFIRMED,
                           "reject": Link.Status.REJECTED}[decision]


def test_a_window_that_is_not_a_number_is_refused_beside_its_box(linked):
    for window in ("abc", None, "1.5"):
        with pytest.raises(ValidationError) as refusal:
            services.run_evaluation(linked["analyst"], window_months=window)
        assert list(refusal.value.message_dict) == ["window_months"]
    with pytest.raises(ValidationError) as refusal:
        services.review_link(linked["analyst"], Link.objects.first(), "maybe")
    assert list(refusal.value.message_dict) == ["decision"]
