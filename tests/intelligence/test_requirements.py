"""Intelligence requirements: set by the force, answered by the tasked agency, through HTTP."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from soclocal.core import work
from soclocal.core.models import AuditEvent
from soclocal.intelligence.models import Requirement, Submission


@pytest.fixture
def ward(db):
    from soclocal.areas.models import Area

    return Area.objects.create(type="ward", code="E05000001", name="Example Ward")


def set_one(client, officer, org, ward, due=None):
    client.force_login(officer)
    due = due or timezone.localdate() + timedelta(days=7)
    response = client.post(reverse("intelligence:requirement_new"), {
        "question": "Who is living at flat 4, Example Court?", "area": ward.pk,
        "priority": "County lines into the estate", "tasked_agency": org["housing"].pk,
        "due_on": due.isoformat()})
    assert response.status_code == 302, response.content.decode()[:2000]
    return Requirement.objects.latest("pk")


def test_task_then_the_partner_answers_with_a_submission(client, people, org, ward):
    requirement = set_one(client, people["intel"], org, ward)
    assert requirement.tasked_agency == org["housing"] and requirement.status == "open"

    client.force_login(people["housing"])
    listing = client.get(reverse("intelligence:requirements")).content.decode()
    assert requirement.reference in listing
    items = work.for_user(people["housing"])
    assert any(requirement.reference in i.text for i in items)
    form = client.get(reverse("intelligence:requirement_answer", args=[requirement.pk]))
    assert "Example Ward" in form.content.decode()  # where: the area, ready to change
    response = client.post(reverse("intelligence:requirement_answer", args=[requirement.pk]), {
        "what": "A man and two teenagers moved in last month", "where": "Flat 4",
        "when": "Since October", "how_known": "records", "urgency": "routine"})
    answer = Submission.objects.get(requirement=requirement)
    assert response.status_code == 302 and answer.to_agency == org["police"]
    requirement.refresh_from_db()
    assert requirement.status == "answered" and requirement.answered_at
    assert AuditEvent.objects.filter(action="intelligence.requirement.answered",
                                     object_id=str(requirement.pk)).exists()

    # The officers see the answer and can assess it; it leaves the partner's queue.
    client.force_login(people["intel"])
    page = client.get(reverse("intelligence:requirement", args=[requirement.pk])).content.decode()
    assert answer.reference in page and "Answered" in page
    assert client.get(reverse("intelligence:submission", args=[answer.pk])).status_code == 200
    assert not any(requirement.reference in i.text for i in work.for_user(people["housing"]))


def test_a_form_with_mistakes_keeps_what_was_typed(client, people, org, ward):
    client.force_login(people["intel"])
    response = client.post(reverse("intelligence:requirement_new"), {
        "question": "Who drives the red car?", "tasked_agency": org["housing"].pk,
        "due_on": "2001-01-01"})
    html = response.content.decode()
    assert response.status_code == 200 and "today or later" in html and "Who drives the red car?" in html


def test_overdue_requirements_lead_the_officers_queue(client, people, org, ward):
    requirement = set_one(client, people["intel"], org, ward)
    Requirement.objects.filter(pk=requirement.pk).update(
        due_on=timezone.localdate() - timedelta(days=1))
    items = [i for i in work.for_user(people["intel2"]) if requirement.reference in i.text]
    assert items and items[0].overdue
    later = set_one(client, people["intel"], org, ward)
    items = [i for i in work.for_user(people["intel"]) if i.heading.startswith("Intelligence req")]
    assert [i.text.split()[0] for i in items] == [requirement.reference, later.reference]
    page = client.get(reverse("intelligence:requirements")).content.decode()
    assert "Overdue" in page


def test_only_the_tasked_agency_sees_it(client, people, org, ward):
    requirement = set_one(client, people["intel"], org, ward)
    for who, code in (("youth", 404), ("youth_manager", 404), ("board", 403)):
        client.force_login(people[who])
        url = reverse("intelligence:requirement_answer", args=[requirement.pk])
        assert client.get(url).status_code == code, who
        assert requirement.reference not in str(work.for_user(people[who]))
    client.force_login(people["housing"])
    assert client.post(reverse("intelligence:requirement_close", args=[requirement.pk])
                       ).status_code == 403


def test_the_officer_closes_it(client, people, org, ward):
    requirement = set_one(client, people["intel"], org, ward)
    client.post(reverse("intelligence:requirement_close", args=[requirement.pk]))
    requirement.refresh_from_db()
    assert requirement.status == "closed"
    client.force_login(people["housing"])
    page = client.get(reverse("intelligence:requirement", args=[requirement.pk])).content.decode()
    assert "Answer this requirement" not in page


def test_the_new_requirement_form_is_prefilled_from_a_profile_link(client, people, ward):
    client.force_login(people["intel"])
    response = client.get(reverse("intelligence:requirement_new"),
                          {"area": ward.pk, "question": "Who runs the lines?"})
    form = response.context["form"]
    assert form["area"].value() == str(ward.pk) and "Who runs the lines?" in response.content.decode()


def test_the_api_lists_and_answers_requirements(client, people, org, ward):
    requirement = set_one(client, people["intel"], org, ward)
    client.force_login(people["housing"])
    listed = client.get("/api/v1/intelligence/requirements").json()
    assert [r["reference"] for r in listed] == [requirement.reference]
    url = f"/api/v1/intelligence/requirements/{requirement.pk}/answers"
    bad = client.post(url, {"what": "", "where": "Flat 4", "when": "Now", "how_known": "saw"},
                      content_type="application/json")
    assert bad.status_code == 422 and "what" in bad.json()["detail"]
    made = client.post(url, {"what": "Two men", "where": "Flat 4", "when": "Now",
                             "how_known": "saw"}, content_type="application/json")
    assert made.status_code == 201
    assert Submission.objects.get(requirement=requirement).reference == made.json()["reference"]
    client.force_login(people["youth"])
    assert client.get("/api/v1/intelligence/requirements").json() == []
    assert client.post(url, {"what": "x", "where": "y", "when": "z", "how_known": "saw"},
                       content_type="application/json").status_code == 404


def test_a_profiles_gaps_become_a_requirement(client, people, make_user):
    import html
    import re

    from soclocal.core.access import Role
    from soclocal.profiles.models import ProfileVersion
    from tests.profiles.matrix import context

    version = ProfileVersion.objects.get(pk=context()["profile"])
    version.texts = {**version.texts, "intelligence_gaps": "Who runs the lines into the ward?"}
    version.save()
    client.force_login(people["intel"])
    page = client.get(reverse("profiles:profile", args=[version.pk])).content.decode()
    link = re.search(r'href="([^"]*/intelligence/requirements/new/[^"]*)"', page)
    assert link, "the profile offers to turn its gaps into a requirement"
    form = client.get(html.unescape(link.group(1)))
    assert form.context["form"]["area"].value() == str(version.area_id)
    assert "Who runs the lines into the ward?" in form.content.decode()
    client.force_login(make_user(Role.ANALYST, username="profileanalyst"))
    page = client.get(reverse("profiles:profile", args=[version.pk])).content.decode()
    assert "/intelligence/requirements/new/" not in page
