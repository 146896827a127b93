"""The network page draws its graph beside the tables; requirements and the analysts' view
are accessible too (axe-core)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from soclocal.core.access import Role
from tests.browser.conftest import axe_violations, sign_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_network_is_drawn_and_tabled(page, make_user, org):
    from soclocal.intelligence import services

    officer = make_user(Role.INTELLIGENCE_OFFICER, agency="police", username="officer")
    report = services.create_report(officer, title="Test", text="Original",
                                    source_type="partner", source_grade="2",
                                    intelligence_grade="B", handling="P")
    people = [services.create_person(officer, forenames=n, surname="Example")
              for n in ("Ann", "Ben", "Cal")]
    flat = services.create_entity(officer, "address", address="1 Test Street")
    for a, b in ((0, 1), (1, 2), (0, 2)):
        services.create_link(officer, people[a], people[b], "associate", report=report)
    services.create_link(officer, people[0], flat, "occupies", report=report)
    requirement = services.set_requirement(
        officer, question="Who lives at 1 Test Street?", tasked_agency=org["youth"],
        due_on=timezone.localdate() + timedelta(days=3))

    sign_in(page, "officer", PASSWORD)
    assert page.goto("/intelligence/network/").status == 200
    graph = page.locator("[data-network-graph]")
    graph.wait_for(state="visible")
    page.wait_for_function(
        "document.querySelector('[data-network-graph]').dataset.drawn === '4'")
    assert graph.locator("canvas").count() > 0  # Cytoscape drew on its canvases
    assert graph.get_attribute("data-edges") == "4"  # every link drawn, none refused
    assert page.locator("[data-entities-table] tbody tr").count() == 4
    assert page.locator("[data-links-table] tbody tr").count() == 4
    assert axe_violations(page) == []
    assert page.console_errors == []  # nothing refused by the content security policy

    page.goto(f"/intelligence/network/?around={flat.reference}&steps=1")
    page.wait_for_function(
        "document.querySelector('[data-network-graph]').dataset.drawn === '2'")
    assert page.locator("[data-entities-table] tbody tr").count() == 2

    for path in ("/intelligence/requirements/", "/intelligence/requirements/new/",
                 f"/intelligence/requirements/{requirement.pk}/"):
        assert page.goto(path).status == 200, path
        assert axe_violations(page) == [], path

    page.context.clear_cookies()
    make_user(Role.PRACTITIONER, agency="youth", username="worker")
    make_user(Role.ANALYST, agency="youth", username="analyst")
    sign_in(page, "worker", PASSWORD)
    assert page.goto(f"/intelligence/requirements/{requirement.pk}/answer/").status == 200
    assert axe_violations(page) == []
    page.context.clear_cookies()
    sign_in(page, "analyst", PASSWORD)
    for path in ("/intelligence/analysis/", "/intelligence/analysis/?version=sharing"):
        assert page.goto(path).status == 200, path
        assert axe_violations(page) == [], path
    page.wait_for_function("document.querySelector('[data-count-map]') === null || "
                           "document.querySelector('[data-count-map]').dataset.features")
    assert page.console_errors == []


def test_the_network_works_without_javascript(browser, live_server, make_user):
    from soclocal.intelligence import services

    officer = make_user(Role.INTELLIGENCE_OFFICER, agency="police", username="officer")
    a = services.create_person(officer, forenames="Ann", surname="Example")
    b = services.create_person(officer, forenames="Ben", surname="Example")
    services.create_link(officer, a, b, "family")
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, "officer", PASSWORD)
        page.goto(f"/intelligence/network/?path_from={a.reference}&path_to={b.reference}")
        assert page.locator("[data-network-graph]").is_hidden()
        assert page.locator("[data-path] li").count() == 2
        assert "Ben Example" in page.locator("[data-links-table]").inner_text()
    finally:
        context.close()
