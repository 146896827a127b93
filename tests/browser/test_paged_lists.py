"""Paged lists in a browser: the GOV.UK pagination and the filters above a list pass axe-core,
and the next page keeps the filter."""

from django.conf import settings

from soclocal.scale import generate
from tests.browser.conftest import axe_violations, sign_in


def test_paged_and_filtered_reports_are_accessible_and_keep_the_filter(page, db):
    from soclocal.intelligence.models import IntelligenceReport

    generate(0.0001, intelligence_reports=120)
    IntelligenceReport.objects.update(outcome="file")
    sign_in(page, "intel", settings.DEMO_PASSWORD)
    page.goto("/intelligence/?outcome=file")
    assert page.locator(".govuk-pagination").count() == 1
    assert axe_violations(page) == []
    page.get_by_role("link", name="Page 2").click()
    assert "outcome=file" in page.url and "page=2" in page.url
    assert page.locator("[aria-current=page]").inner_text() == "2"
    assert axe_violations(page) == []
    page.goto(page.locator(".govuk-pagination__link[rel=next]").get_attribute("href"))
    assert "page=3" in page.url and "outcome=file" in page.url
