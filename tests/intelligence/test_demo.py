"""The demo intelligence: loaded through the services, released to the housing association."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from soclocal.accounts.models import User
from soclocal.demo import load_people
from soclocal.intelligence import selectors
from soclocal.intelligence.demo import CONDITION, load_demo_intelligence
from soclocal.intelligence.models import Entity, IntelligenceReport, Link, Submission
from soclocal.intelligence.work import intelligence_work

pytestmark = pytest.mark.django_db


def test_demo_intelligence(client):
    load_people()
    assert load_demo_intelligence() is True
    assert load_demo_intelligence() is False  # safe to run again
    assert Submission.objects.values("submitter_agency").distinct().count() >= 3
    assert sum(s.urgent_safeguarding for s in Submission.objects.all()) == 1
    assert IntelligenceReport.objects.count() == 3
    assert set(Entity.objects.values_list("kind", flat=True)) >= {
        "person", "address", "vehicle", "phone", "organisation"}
    assert Link.objects.count() == 8
    intel = User.objects.get(username="intel")
    items = list(intelligence_work(intel))
    assert items[0].urgent or any(i.urgent for i in items)
    assert any("review" in i.heading and i.overdue for i in items)
    housing = User.objects.get(username="housing.officer")
    (shared,) = selectors.received_for(housing)
    client.force_login(housing)
    page = client.get(reverse("intelligence:received", args=[shared.sanitised_id]))
    text = page.content.decode()
    assert escape(CONDITION) in text and "A resident who knows" not in text
    client.force_login(User.objects.get(username="practitioner"))
    page = client.get(reverse("intelligence:received", args=[shared.sanitised_id]))
    assert page.status_code == 404
