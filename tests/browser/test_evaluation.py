"""The evaluation pages in a real browser: the report draws its charts, the board member sees
the sharing version, the review page works, and axe-core finds nothing serious."""

import pytest

from soclocal.evaluation import services
from soclocal.evaluation.models import Link
from tests.browser.conftest import axe_violations, sign_in
from tests.conftest import PASSWORD
from tests.evaluation.conftest import cohort_world, staff  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def evaluated(cohort_world):  # noqa: F811
    analyst = cohort_world["analyst"]
    services.import_police(analyst, cohort_world["people"], cohort_world["events"])
    services.link_cohort(analyst)
    run = services.run_evaluation(analyst, comparison="not_engaged", window_months=12)
    return {**cohort_world, "run": run}


def test_the_report_draws_its_charts_and_is_accessible(page, evaluated):
    sign_in(page, "evaluator", PASSWORD)
    page.goto(f"/evaluation/{evaluated['run'].pk}/")
    assert "Full version" in page.locator("#provenance").inner_text()
    images = page.locator("figure.app-chart img")
    assert images.count() >= 2
    assert all(page.evaluate("(img) => img.naturalWidth > 0", images.nth(i).element_handle())
               for i in range(images.count()))
    assert page.get_by_role("heading", name="Caveats").is_visible()
    assert axe_violations(page) == []
    assert not [e for e in page.console_errors if "Content Security Policy" in e]
    page.get_by_role("link", name="Person-level table (pseudonymous)").click()
    assert page.get_by_role("heading", name="Person-level table").is_visible()
    assert axe_violations(page) == []


def test_the_board_member_sees_the_sharing_version(page, evaluated):
    sign_in(page, "chair", PASSWORD)
    page.goto("/evaluation/")
    page.get_by_role("link", name=f"Version {evaluated['run'].version}").click()
    assert "Sharing version" in page.locator("#provenance").inner_text()
    assert page.get_by_role("link", name="Person-level table (pseudonymous)").count() == 0
    assert axe_violations(page) == []


def test_reviewing_an_uncertain_pair(page, evaluated):
    link = Link.objects.order_by("probability").first()
    Link.objects.filter(pk=link.pk).update(status=Link.Status.UNCERTAIN)
    sign_in(page, "evaluator", PASSWORD)
    page.goto("/evaluation/review/")
    assert axe_violations(page) == []
    page.get_by_role("link", name=f"Review the pair for {link.young_person}").click()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Save decision").click()
    assert "Choose whether these are the same person" in page.locator(
        ".govuk-error-summary").inner_text()
    page.get_by_label("Yes, the same person").check()
    page.get_by_role("button", name="Save decision").click()
    assert "No pairs are waiting for review." in page.content()
    link.refresh_from_db()
    assert link.status == Link.Status.CONFIRMED
