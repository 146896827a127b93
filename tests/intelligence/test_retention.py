"""Intelligence not reviewed by its review date is flagged: on the report and the queue."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from soclocal.intelligence import services
from soclocal.intelligence.work import intelligence_work

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("days", "outcome", "flagged"), [
    (-1, "develop", True), (0, "develop", False), (10, "file", False), (-5, "nfa", False)])
def test_review_overdue_is_flagged(client, people, report, days, outcome, flagged):
    services.update_report(people["intel"], report, review_on=date.today() + timedelta(days),
                           outcome=outcome, outcome_reasons="Reasons")
    client.force_login(people["intel2"])
    page = client.get(reverse("intelligence:report", args=[report.pk])).content.decode()
    assert ("Review overdue" in page) is flagged
    overdue = [i for i in intelligence_work(people["intel2"])
               if "review" in i.heading and i.overdue]
    assert bool(overdue) is flagged
