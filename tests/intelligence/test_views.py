"""The intelligence pages: forms keep what was typed, a few clicks from a report to a link."""

import pytest
from django.urls import reverse

from soclocal.core.models import AuditEvent
from soclocal.intelligence import services
from soclocal.intelligence.models import Entity, Link

pytestmark = pytest.mark.django_db


def test_a_refused_submission_keeps_what_was_typed(client, people):
    client.force_login(people["housing"])
    page = client.post(reverse("intelligence:submit"), {"what": "Cars at night",
                                                        "where": "Flat 4"})
    text = page.content.decode()
    assert page.status_code == 200 and "Cars at night" in text and "Flat 4" in text
    assert "Say when, as closely as you can" in text and "Say how you know" in text


def test_a_refused_grade_keeps_what_was_typed(client, people):
    client.force_login(people["intel"])
    page = client.post(reverse("intelligence:report_new"), {
        "title": "Flat 4", "text": "Cars at night", "source_type": "partner",
        "source_grade": "2", "intelligence_grade": "B", "handling": "C",
        "outcome": "file"})
    text = page.content.decode()
    assert "Write the conditions for sharing" in text
    assert "Give the reasons for the assessment" in text and "Cars at night" in text


def test_from_a_report_search_add_create_and_link(client, people, report):
    known = services.create_person(people["intel"], forenames="Alex", surname="Example")
    client.force_login(people["intel"])
    url = reverse("intelligence:report_entities", args=[report.pk])
    page = client.get(url, {"q": "example"}).content.decode()
    assert f'name="entity" value="{known.pk}"' in page and "Alex Example" in page
    client.post(url, {"action": "add", "entity": known.pk})
    assert report in known.reports.all()
    client.post(url, {"action": "create", "entity-kind": "vehicle", "entity-name": "ZZ19 DMO"})
    car = Entity.objects.get(kind="vehicle")
    assert car.reference == "V-000001" and report in car.reports.all()
    bad = client.post(url, {"action": "link", "link-from_entity": known.pk,
                            "link-to_entity": car.pk, "link-kind": "uses",
                            "link-start": "2026-02-01", "link-end": "2026-01-01"})
    assert "The end date must be on or after the start date" in bad.content.decode()
    client.post(url, {"action": "link", "link-from_entity": known.pk, "link-to_entity": car.pk,
                      "link-kind": "uses"})
    link = Link.objects.get()
    assert (link.from_entity, link.to_entity, link.kind, link.source) == (
        known, car, "uses", report.reference)
    entity_page = client.get(reverse("intelligence:entity", args=[known.pk])).content.decode()
    assert report.reference in entity_page and "2/B/C" in entity_page
    assert AuditEvent.objects.filter(action="intelligence.entity.searched").exists()
    assert AuditEvent.objects.filter(action="intelligence.entity.viewed",
                                     object_id=str(known.pk)).exists()


def test_the_author_cannot_approve_a_sanitised_version_through_the_page(client, people, report):
    version = services.sanitise(people["intel"], report, text="Cars call at night")
    client.force_login(people["intel"])
    url = reverse("intelligence:sanitised_approve", args=[report.pk, version.pk])
    client.post(url)
    version.refresh_from_db()
    assert version.approved_at is None
    client.force_login(people["intel2"])
    client.post(url)
    version.refresh_from_db()
    assert version.approved_by == people["intel2"]
