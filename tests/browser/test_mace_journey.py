"""A MACE journey in the browser: a key worker refers a child with the county-lines
indicators, the co-chair schedules a panel, lists and records the child, the review falls due
12 weeks on; an officer maps the child's peer group; someone outside gets nothing. Every page
is checked with axe-core."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from soclocal.core.access import Role
from tests.browser.conftest import axe_violations, sign_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_refer_hear_review_and_map(page, make_user, org):
    from soclocal.cases.models import Case, YoungPerson
    from soclocal.core.models import AuditEvent

    owner = make_user(Role.PRACTITIONER, agency="youth", username="keyworker")
    make_user(Role.MANAGER, agency="youth", username="cochair")
    make_user(Role.INTELLIGENCE_OFFICER, agency="police", username="officer")
    outsider = make_user(Role.PRACTITIONER, agency="youth", username="outsider")
    person = YoungPerson.objects.create(first_name="Synthetic", last_name="Child",
                                        date_of_birth=date(2010, 4, 1),
                                        owning_agency=org["youth"], owning_team=org["youth_team"])
    case = Case.objects.create(young_person=person, owning_agency=org["youth"],
                               owning_team=org["youth_team"], practitioner=owner,
                               status=Case.Status.OPEN)

    # The key worker refers the child from the case page.
    sign_in(page, "keyworker", PASSWORD)
    page.goto(f"/cases/{case.pk}/")
    page.get_by_role("link", name="Refer to the MACE panel").click()
    assert axe_violations(page) == []
    page.get_by_role("checkbox", name="Several phones or SIM cards").check()
    page.get_by_label("What worries you about the child's safety").fill(
        "Older men collect him from school.")
    page.get_by_role("button", name="Refer to the panel").click()
    assert page.locator(".govuk-error-summary").is_visible()
    assert axe_violations(page) == []
    assert page.get_by_label("What worries you about the child's safety").input_value() == \
        "Older men collect him from school."
    page.get_by_role("textbox", name="What was seen: several phones").fill("Two phones in his bag")
    page.get_by_role("button", name="Refer to the panel").click()
    assert page.get_by_text("Referred to the MACE panel").is_visible()
    assert axe_violations(page) == []
    page.context.clear_cookies()

    # The local-authority co-chair schedules the panel and lists the child.
    sign_in(page, "cochair", PASSWORD)
    page.goto("/vulnerability/mace/")
    page.get_by_role("link", name="Schedule a panel").click()
    held_on = date.today()
    page.get_by_label("Date of the panel").fill(held_on.isoformat())
    page.get_by_label("Police co-chair").select_option(label="Test Person 3 (Test Police)")
    page.get_by_label("Local-authority co-chair").select_option(
        label="Test Person 2 (Test Youth Service)")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Schedule the panel").click()
    assert page.get_by_text("Panel scheduled.").is_visible()
    assert axe_violations(page) == []
    page.get_by_label("Child to hear").select_option(index=1)
    page.get_by_role("button", name="Add to the agenda").click()
    panel_url = page.url
    page.locator("[data-agenda]").get_by_role("link", name=f"Case {case.pk}").click()
    assert page.get_by_text("Two phones in his bag").is_visible()
    assert axe_violations(page) == []
    hearing_url = page.url
    page.get_by_role("link", name="Record the panel's discussion").click()
    page.get_by_label("High").check()
    page.get_by_label("Minutes for this child").fill("He is being exploited by older men.")
    page.get_by_label("Keep at the panel and review").check()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Save the record").click()
    due = held_on + timedelta(weeks=12)
    assert page.locator("[data-review-due]").inner_text().startswith(
        f"{due.day} {due:%B %Y}")
    page.get_by_role("link", name="Agree an action").click()
    page.get_by_label("Disrupt the exploiters").check()
    page.get_by_label("What will be done").fill("Find out who drives the grey car")
    page.get_by_label("Agency that will do it").select_option(label="Test Police")
    page.get_by_label("Due by").fill((held_on + timedelta(days=14)).isoformat())
    assert axe_violations(page) == []
    page.get_by_role("button", name="Agree the action").click()
    assert page.locator("[data-action=disrupt]").is_visible()
    assert axe_violations(page) == []
    page.goto(panel_url)
    assert page.locator("[data-panel-reviews]").inner_text().endswith(f"due {due.day} {due:%B %Y}")
    page.goto("/")
    assert page.get_by_text("MACE reviews due").first.is_visible()
    page.context.clear_cookies()

    # The key worker sees the review on their work and their child's record, not the agenda.
    sign_in(page, "keyworker", PASSWORD)
    page.goto("/")
    assert page.get_by_text(f"Review of Case {case.pk}").is_visible()
    assert page.goto(hearing_url).status == 200
    assert page.goto(panel_url).status == 404  # the agenda lists other children
    page.console_errors.clear()  # that refusal's own 404 is the only error so far

    # An officer maps the child's peer group; the graph is drawn from the same network.
    page.context.clear_cookies()
    sign_in(page, "officer", PASSWORD)
    page.goto("/vulnerability/maps/new/")
    page.get_by_label("Name of the map (not a child's name)").fill("Bus station group")
    page.get_by_label("Test Person 1 (Test Youth Service)").check()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Start the map").click()
    map_url = page.url
    for kind, label in (("Child", "Child A"), ("Adult of concern", "Adult X")):
        page.get_by_role("link", name="Add someone or somewhere").click()
        page.get_by_label("Who or what").select_option(label=kind)
        page.get_by_label("Name, initials or description").fill(label)
        page.get_by_role("button", name="Add to the map").click()
    page.get_by_role("link", name="Add a link").click()
    page.get_by_label("From", exact=True).select_option(label="Adult X (adult of concern)")
    page.get_by_label("Link", exact=True).select_option(label="Exploits or controls")
    page.get_by_label("To", exact=True).select_option(label="Child A (child)")
    page.get_by_label("2: untested").check()
    page.get_by_role("button", name="Add the link").click()
    assert page.get_by_text("Every link needs an action").first.is_visible()
    assert axe_violations(page) == []
    page.get_by_label("Action this link leads to").fill("Disruption visit")
    page.get_by_role("button", name="Add the link").click()
    page.wait_for_function(
        "document.querySelector('[data-network-graph]').dataset.drawn === '2'")
    assert page.locator("[data-network-graph]").get_attribute("data-edges") == "1"
    assert page.locator("[data-links-table] tbody tr").count() == 1
    assert axe_violations(page) == []
    assert page.console_errors == []

    # Someone who is neither a member nor the case owner gets nothing, and it is recorded.
    page.context.clear_cookies()
    sign_in(page, "outsider", PASSWORD)
    assert page.goto(map_url).status == 404
    assert page.goto(hearing_url).status == 404
    assert AuditEvent.objects.filter(action="access.denied", actor_id=outsider.pk).count() == 2
    page.goto("/vulnerability/mace/")
    assert axe_violations(page) == []
    assert reverse("safeguarding:mace") == "/vulnerability/mace/"
