"""Every intelligence page an officer and a partner use, checked with axe-core."""

import pytest

from soclocal.core.access import Role
from tests.browser.conftest import axe_violations, sign_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_intelligence_pages_are_accessible(page, make_user, org, sharing_agreement):
    from soclocal.intelligence import services

    officer = make_user(Role.INTELLIGENCE_OFFICER, agency="police", username="officer")
    second = make_user(Role.INTELLIGENCE_OFFICER, agency="police", username="second")
    make_user(Role.PRACTITIONER, agency="youth", username="worker")
    source = services.create_source(officer, identity="Invented source", handlers=[second])
    report = services.create_report(officer, title="Test", text="Original", source=source,
                                    source_type="covert", source_grade="1",
                                    intelligence_grade="A", handling="C",
                                    handling_conditions="Named officers only")
    person = services.create_person(officer, forenames="Alex", surname="Example", report=report)
    flat = services.create_entity(officer, "address", address="1 Test Street", report=report)
    services.create_link(officer, person, flat, "occupies", report=report)
    version = services.sanitise(officer, report, text="Sanitised")
    services.approve_sanitised(second, version)
    released = services.release(second, version, agency=org["youth"], purpose="Testing",
                                agreement=sharing_agreement)

    sign_in(page, "officer", PASSWORD)
    for path in (f"/intelligence/reports/{report.pk}/edit/",
                 f"/intelligence/reports/{report.pk}/releases/{released.pk}/withdraw/",
                 "/intelligence/sources/", "/intelligence/sources/new/",
                 f"/intelligence/sources/{source.pk}/", "/intelligence/entities/?q=example",
                 f"/intelligence/entities/{person.pk}/", f"/intelligence/entities/{flat.pk}/"):
        assert page.goto(path).status == 200, path
        assert axe_violations(page) == [], path
    page.context.clear_cookies()
    sign_in(page, "worker", PASSWORD)
    for path in ("/intelligence/", f"/intelligence/shared/{version.pk}/"):
        assert page.goto(path).status == 200, path
        assert axe_violations(page) == [], path
        assert "Original" not in page.locator("main").inner_text()
