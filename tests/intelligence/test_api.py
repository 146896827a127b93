"""The intelligence API: the same rules as the pages, writes through the same services."""

import pytest

from soclocal.accounts.services import create_api_token
from soclocal.core.models import AuditEvent
from soclocal.intelligence.models import Entity, Link

pytestmark = pytest.mark.django_db


def bearer(user):
    _token, key = create_api_token(user, name="test")
    return {"Authorization": f"Bearer {key}"}


def test_share_grade_and_link_over_the_api(client, people):
    housing = bearer(people["housing"])
    made = client.post("/api/v1/intelligence/submissions", content_type="application/json",
                       headers=housing, data={"what": "Cars at night", "where": "Flat 4",
                                              "when": "Last week", "how_known": "saw",
                                              "urgency": "urgent", "child_at_risk": True})
    assert made.status_code == 201 and made.json()["status"] == "received"
    listed = client.get("/api/v1/intelligence/submissions", headers=housing).json()
    assert [s["reference"] for s in listed] == [made.json()["reference"]]
    assert client.get("/api/v1/intelligence/reports", headers=housing).status_code == 403

    intel = bearer(people["intel"])
    bad = client.post("/api/v1/intelligence/reports", content_type="application/json",
                      headers=intel, data={"title": "T", "text": "X", "source_type": "partner",
                                           "source_grade": "4", "intelligence_grade": "B",
                                           "handling": "C"})
    assert bad.status_code == 422
    assert "source_grade" in bad.json()["detail"] and "handling_conditions" in bad.json()["detail"]
    report = client.post("/api/v1/intelligence/reports", content_type="application/json",
                         headers=intel, data={
                             "title": "T", "text": "X", "source_type": "partner",
                             "source_grade": "2", "intelligence_grade": "B", "handling": "C",
                             "handling_conditions": "Named staff only",
                             "submission_id": made.json()["id"]}).json()
    assert report["handling_conditions"] == "Named staff only"
    got = client.get(f"/api/v1/intelligence/reports/{report['id']}", headers=intel).json()
    assert (got["source_grade"], got["intelligence_grade"], got["handling"]) == ("2", "B", "C")

    def entity(**data):
        return client.post("/api/v1/intelligence/entities", content_type="application/json",
                           headers=intel, data={"report_id": report["id"], **data})

    alex = entity(kind="person", forenames="Alex", surname="Example", date_of_birth="2001-02-03")
    assert alex.status_code == 201 and alex.json()["reference"] == "P-000001"
    flat = entity(kind="address", address="Flat 4", postcode="ng2 4aa").json()
    assert flat["postcode"] == "NG2 4AA"
    assert entity(kind="spaceship", name="X").status_code == 422
    link = client.post("/api/v1/intelligence/links", content_type="application/json",
                       headers=intel, data={"from": "P-000001", "to": flat["reference"],
                                            "kind": "occupies", "start": "2026-01-01",
                                            "report_id": report["id"]})
    assert link.status_code == 201
    assert link.json()["from"] == "P-000001" and link.json()["reports"] == ["IR-000001"]
    links = client.get("/api/v1/intelligence/links", headers=intel).json()
    assert [(k["from"], k["to"], k["kind"]) for k in links] == [
        ("P-000001", flat["reference"], "occupies")]
    assert client.post("/api/v1/intelligence/links", content_type="application/json",
                       headers=intel, data={"from": "P-000001", "to": "P-000001",
                                            "kind": "associate"}).status_code == 422
    # Another agency's staff cannot write or read entities.
    youth = bearer(people["youth_manager"])
    assert client.post("/api/v1/intelligence/entities", content_type="application/json",
                       headers=youth, data={"kind": "person", "surname": "X"}).status_code == 403
    assert Entity.objects.count() == 2 and Link.objects.count() == 1
    assert AuditEvent.objects.filter(action="intelligence.entity.created").count() == 2
