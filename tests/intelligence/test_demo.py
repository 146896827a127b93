"""The demo intelligence: loaded through the services, released to partners, a network with
suspected groups and planted duplicates, exported as valid FollowTheMoney."""

import io
import json

import pytest
from django.urls import reverse
from django.utils.html import escape
from followthemoney import model

from soclocal.accounts.models import User
from soclocal.core import networks
from soclocal.core.audit import AuditEvent
from soclocal.demo import load_people
from soclocal.intelligence import exports, selectors
from soclocal.intelligence.demo import CONDITION, load_demo_intelligence
from soclocal.intelligence.models import Entity, IntelligenceReport, Link, Release, Submission
from soclocal.intelligence.work import intelligence_work

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    load_people()
    assert load_demo_intelligence() is True
    return User.objects.get(username="intel")


def test_demo_intelligence(demo, client):
    counts = (Submission.objects.count(), IntelligenceReport.objects.count(),
              Entity.objects.count(), Link.objects.count(), AuditEvent.objects.count())
    assert load_demo_intelligence() is False  # safe to run again
    assert counts == (Submission.objects.count(), IntelligenceReport.objects.count(),
                      Entity.objects.count(), Link.objects.count(), AuditEvent.objects.count())
    assert Submission.objects.values("submitter_agency").distinct().count() >= 5
    assert 140 <= Submission.objects.count() + IntelligenceReport.objects.count() <= 170
    people = Entity.objects.filter(kind="person")
    assert 90 <= people.count() <= 100  # 80 and more, with a dozen recorded twice
    assert Entity.objects.filter(kind="organisation", organised_crime_group=True).count() >= 4
    assert set(Entity.objects.values_list("kind", flat=True)) >= {
        "person", "address", "vehicle", "phone", "organisation"}
    # every entity and link was audited as it was made
    assert AuditEvent.objects.filter(action="intelligence.entity.created").count() == \
        Entity.objects.count()
    assert AuditEvent.objects.filter(action="intelligence.link.created").count() == \
        Link.objects.count()
    assert Release.objects.count() >= 3
    items = list(intelligence_work(demo))
    assert any(i.urgent for i in items)
    assert any("review" in i.heading and i.overdue for i in items)
    housing = User.objects.get(username="housing.officer")
    shared = selectors.received_for(housing).get(sanitised__report__title__contains="Sneinton")
    client.force_login(housing)
    page = client.get(reverse("intelligence:received", args=[shared.sanitised_id]))
    text = page.content.decode()
    assert escape(CONDITION) in text and "A resident who knows" not in text
    client.force_login(User.objects.get(username="practitioner"))
    page = client.get(reverse("intelligence:received", args=[shared.sanitised_id]))
    assert page.status_code == 404


def test_the_demo_network_has_groups_and_duplicates(demo):
    found = selectors.duplicates_for(demo)
    assert len(found) >= 10
    assert sum("second record" in (r["left"].source + r["right"].source) for r in found) >= 10
    entities, links = exports.network_records()
    graph = networks.build([{"id": e.pk, "kind": e.kind, "label": e.label} for e in entities],
                           [{"id": k.pk, "source": k.from_entity_id, "target": k.to_entity_id,
                             "kind": k.kind} for k in links])
    groups = networks.suspected_groups(graph)
    assert len([g for g in groups if len(g) >= 8]) >= 3


def test_the_demo_network_exports_as_valid_followthemoney(demo):
    out = io.BytesIO()
    written = exports.write("ftm", out)
    lines = out.getvalue().decode().splitlines()
    assert len(lines) == sum(written) and written[0] > 150
    schemata = set()
    for line in lines:
        data = json.loads(line)
        proxy = model.get_proxy(data, cleaned=False)
        proxy.schema.validate(data)  # raises InvalidData when not valid
        schemata.add(proxy.schema.name)
    assert {"Person", "Address", "Vehicle", "UserAccount", "Organization", "Membership",
            "Associate"} <= schemata
